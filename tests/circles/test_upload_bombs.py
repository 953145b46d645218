"""Office files that unpack out of proportion (zip bombs) are refused in Danish, never stored.

The bombs are built for real with zipfile: entries of zeros that deflate about a thousand
times, an archive of thousands of entries, and one whose directory claims far more than its
data holds. The check reads only the zip's central directory: the lying archive (whose entry
unpacks to a thousand bytes) is refused for what its directory claims.
"""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from circles import services
from circles.models import Attachment
from komdir.demo.samplefiles import tiny_docx
from tests.circles.conftest import make_meeting

MESSAGE = "Filen fylder for meget, når den er pakket ud"
MB = 1024 * 1024
FOLDER = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}


@pytest.fixture
def meeting(circle_lead, nordjylland):
    return make_meeting(actor=circle_lead, circle=nordjylland)


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def office_file(ext: str, *, zeros_mb: int = 0, entries: int = 0) -> bytes:
    """A minimal Office file of type `ext`, with an entry of `zeros_mb` MB of zeros and/or
    `entries` extra empty entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if ext == "docx":
            source = zipfile.ZipFile(io.BytesIO(tiny_docx()))
            for name in source.namelist():
                archive.writestr(name, source.read(name))
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(f"{FOLDER[ext]}/document.xml", "<x/>")
        if zeros_mb:
            entry = zipfile.ZipInfo(f"{FOLDER[ext]}/media/image1.png")
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w", force_zip64=True) as padding:
                chunk = b"\x00" * MB
                for _ in range(zeros_mb):
                    padding.write(chunk)
        for n in range(entries):
            archive.writestr(f"{FOLDER[ext]}/x{n}", b"")
    return out.getvalue()


def claims_more_than_it_holds(stated_bytes: int) -> bytes:
    """An archive whose central directory says its one media entry unpacks to `stated_bytes`
    while its data is a few bytes: only a reader of the directory sees the claim."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(tiny_docx()))
        for name in source.namelist():
            archive.writestr(name, source.read(name))
        archive.writestr("word/media/image1.png", b"\x00" * 1000)
    raw = bytearray(out.getvalue())
    directory = zipfile.ZipFile(io.BytesIO(bytes(raw)))
    position = directory.start_dir
    while raw[position : position + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", raw[position + 28 : position + 34])
        if raw[position + 46 : position + 46 + name_len] == b"word/media/image1.png":
            raw[position + 24 : position + 28] = struct.pack("<I", stated_bytes)  # uncompressed size
        position += 46 + name_len + extra_len + comment_len
    return bytes(raw)


def upload(client, meeting, name, data):
    return client.post(f"/moeder/{meeting.pk}/bilag/nyt/", {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(("ext", "unpacked_mb"), [("docx", 400), ("xlsx", 120), ("pptx", 120)])
def test_a_file_unpacking_to_hundreds_of_mb_is_refused_and_not_stored(
    client, circle_lead, meeting, _media_in_tmp, ext, unpacked_mb
):
    bomb = office_file(ext, zeros_mb=unpacked_mb)
    assert len(bomb) < MB  # small on the wire: only unpacking makes it big
    client.force_login(circle_lead)
    response = upload(client, meeting, f"referat.{ext}", bomb)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(_media_in_tmp) == []


def test_an_entry_out_of_proportion_to_its_packed_size_is_refused(circle_lead, meeting, _media_in_tmp):
    # 30 MB in total is within the limit, but a thousand times its packed size is a bomb's mark.
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=circle_lead,
            meeting=meeting,
            file=ContentFile(office_file("docx", zeros_mb=30), name="referat.docx"),
        )
    assert MESSAGE in exc.value.messages[0]
    assert not Attachment.objects.exists()
    assert stored_files(_media_in_tmp) == []


def test_thousands_of_entries_are_refused(client, circle_lead, meeting, _media_in_tmp):
    client.force_login(circle_lead)
    response = upload(client, meeting, "slides.pptx", office_file("pptx", entries=5000))
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_check_reads_the_directory_and_unpacks_nothing(circle_lead, meeting, _media_in_tmp):
    lying = claims_more_than_it_holds(400 * MB)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        # What it holds is a thousand bytes: only its directory says 400 MB.
        assert archive.getinfo("word/media/image1.png").file_size == 400 * MB
        assert len(archive.read("word/media/image1.png")) == 1000
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=circle_lead, meeting=meeting, file=ContentFile(lying, name="referat.docx")
        )
    assert MESSAGE in exc.value.messages[0]


def test_a_normal_office_file_with_a_large_image_is_accepted(circle_lead, meeting, _media_in_tmp):
    import os

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(tiny_docx()))
        for name in source.namelist():
            archive.writestr(name, source.read(name))
        archive.writestr("word/media/image1.png", os.urandom(2 * MB))  # photos do not shrink
    attachment = services.attachment_add(
        actor=circle_lead, meeting=meeting, file=ContentFile(data.getvalue(), name="referat.docx")
    )
    assert attachment.pk and stored_files(_media_in_tmp)
