"""Hostile and broken Excel files in the invitation import: a clear Danish message, never a 500.

Every file is built for real here (zipfile, an XML with a DTD and entities, an encrypted entry,
an OLE2 container, an archive that unpacks far beyond its size) and uploaded through the admin
import form as the secretariat would.
"""

import io
import re
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.importing import ImportFileError, read_invitation_file
from members.models import Invitation

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/members/invitation/importer/"
SHEET = "xl/worksheets/sheet1.xml"
REFUSED = "Excel-filen kunne ikke læses"
PASSWORD = "beskyttet med adgangskode"
UNPACKED = "fylder for meget, når den er pakket ud"


def good_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", "Fornavn", "Efternavn", "Stillingsbetegnelse", "Niveau", "Kommune"])
    sheet.append(["anne@aalborg.dk", "Anne", "Andersen", "Direktør", 2, "Aalborg"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The workbook `data` with some entries' contents replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, changes.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def flag_encrypted(data: bytes, name: str) -> bytes:
    """Set the "encrypted" bit of entry `name` in its local header and its central directory
    record, as a zip tool encrypting that entry does (Python's zipfile writes no encryption)."""
    raw = bytearray(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    raw[archive.getinfo(name).header_offset + 6] |= 0x1
    position = archive.start_dir
    while raw[position : position + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", raw[position + 28 : position + 34])
        if raw[position + 46 : position + 46 + name_len].decode() == name:
            raw[position + 8] |= 0x1
        position += 46 + name_len + extra_len + comment_len
    return bytes(raw)


def with_dtd(data: bytes, doctype: str, cell: str) -> bytes:
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()
    sheet = sheet.replace("<t>Anne</t>", f"<t>{cell}</t>")
    return rewrite(data, {SHEET: (f'<?xml version="1.0"?>\n{doctype}\n{sheet}').encode()})


def entity_expansion() -> bytes:
    return with_dtd(good_workbook(), '<!DOCTYPE worksheet [<!ENTITY navn "Anne">]>', "&navn;")


def billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{"".join(f"&lol{n - 1};" for _ in range(10))}">' for n in range(1, 10)
    ]
    return with_dtd(good_workbook(), f"<!DOCTYPE worksheet [{''.join(levels)}]>", "&lol9;")


def external_entity() -> bytes:
    return with_dtd(
        good_workbook(), '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
    )


def truncated_zip() -> bytes:
    data = good_workbook()
    return data[: len(data) // 2]


def not_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("noter.txt", "Ikke et regneark.")
    return out.getvalue()


def encrypted_entry() -> bytes:
    return flag_encrypted(good_workbook(), SHEET)


def password_protected_excel() -> bytes:
    # Excel saves a workbook with a password as an OLE2 compound file, not as a zip.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def unpacks_huge() -> bytes:
    """A workbook of a few hundred kB with an entry that unpacks to 200 MB of zeros."""
    data = good_workbook()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            if info.filename != SHEET:
                archive.writestr(info.filename, source.read(info.filename))
        entry = zipfile.ZipInfo("xl/padding.bin")
        entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entry, "w", force_zip64=True) as padding:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(200):
                padding.write(chunk)
        archive.writestr(SHEET, source.read(SHEET))
    return out.getvalue()


def many_entries() -> bytes:
    data = good_workbook()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        for n in range(5000):
            archive.writestr(f"x/{n}", b"")
    return out.getvalue()


HOSTILE = {
    "an entity in a DTD": (entity_expansion, REFUSED),
    "billion laughs": (billion_laughs, REFUSED),
    "an external entity": (external_entity, REFUSED),
    "a corrupt zip": (truncated_zip, REFUSED),
    "a zip that is no workbook": (not_a_workbook, REFUSED),
    "an encrypted entry": (encrypted_entry, PASSWORD),
    "a password-protected workbook": (password_protected_excel, PASSWORD),
    "an archive that unpacks to 200 MB": (unpacks_huge, UNPACKED),
    "5 000 entries": (many_entries, UNPACKED),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_excel_file_gets_a_clear_message_on_the_import_form(secretariat_client, kind):
    build, message = HOSTILE[kind]
    data = build()
    assert len(data) < 2 * 1024 * 1024  # within the import's size limit: the content is the problem
    response = secretariat_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("medlemmer.xlsx", data), "upload": "1"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    errors = " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', content, re.S))
    assert message in errors  # on the form, next to the file field
    assert "root:" not in content  # nothing of /etc/passwd
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("kind", ["an entity in a DTD", "an external entity", "billion laughs"])
def test_the_reader_refuses_a_dtd_instead_of_expanding_it(kind):
    build, _message = HOSTILE[kind]
    with pytest.raises(ImportFileError) as exc:
        read_invitation_file(SimpleUploadedFile("medlemmer.xlsx", build()))
    assert REFUSED in " ".join(exc.value.messages)


def test_a_good_workbook_still_reads():
    rows = read_invitation_file(SimpleUploadedFile("medlemmer.xlsx", good_workbook()))
    assert rows[0]["email"] == "anne@aalborg.dk" and rows[0]["first_name"] == "Anne"
