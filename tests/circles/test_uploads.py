"""Attachments are checked by content; bad uploads are refused in Danish and nothing is stored."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile

from circles import services
from circles.models import Attachment
from circles.uploads import MAX_ATTACHMENT_BYTES
from komdir.demo.samplefiles import tiny_docx, tiny_pdf, tiny_png
from tests.circles.conftest import make_meeting

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


@pytest.fixture
def meeting(circle_lead, nordjylland):
    return make_meeting(actor=circle_lead, circle=nordjylland)


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _ooxml(folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/workbook.xml", "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Dagsorden.pdf", tiny_pdf(), "application/pdf"),
        ("logo.png", tiny_png(), "image/png"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image/jpeg"),
        (
            "notat.docx",
            tiny_docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.xlsx", _ooxml("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "slides.pptx",
            _ooxml("ppt"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
    ],
)
def test_allowed_types_are_stored_under_random_names(
    circle_lead, meeting, _media_in_tmp, name, data, content_type
):
    attachment = services.attachment_add(
        actor=circle_lead, meeting=meeting, file=ContentFile(data, name=name)
    )
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(data)
    stored = Path(attachment.file.name)
    assert stored.parts[0] == "bilag" and stored.stem != Path(name).stem and len(stored.stem) == 32
    assert (Path(_media_in_tmp) / attachment.file.name).read_bytes() == data


def _upload(client, meeting, upload):
    return client.post(f"/moeder/{meeting.pk}/bilag/nyt/", {"file": upload})


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("program.pdf", EXECUTABLE, "Filens indhold passer ikke til filtypen .pdf"),
        ("program.pdf", ELF, "Filens indhold passer ikke til filtypen .pdf"),
        ("billede.png", tiny_pdf(), "Filens indhold passer ikke til filtypen .png"),
        ("dokument.docx", _ooxml("xl"), "Filens indhold passer ikke til filtypen .docx"),
        ("arkiv.docx", b"PK\x03\x04 not really a zip", "Filens indhold passer ikke til filtypen .docx"),
        ("program.exe", EXECUTABLE, "Filtypen er ikke tilladt"),
        ("tom.pdf", b"", "Filen er tom."),
    ],
)
def test_bad_upload_is_refused_in_danish_and_nothing_is_stored(
    client, circle_lead, meeting, _media_in_tmp, name, data, message
):
    client.force_login(circle_lead)
    response = _upload(client, meeting, SimpleUploadedFile(name, data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(_media_in_tmp) == []


def test_file_over_20_mb_is_refused(client, circle_lead, meeting, _media_in_tmp):
    client.force_login(circle_lead)
    data = tiny_pdf() + b"\x00" * (MAX_ATTACHMENT_BYTES + 1 - len(tiny_pdf()))
    response = _upload(client, meeting, SimpleUploadedFile("stor.pdf", data))
    assert response.status_code == 400
    assert "Filen er for stor: højst 20 MB" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(_media_in_tmp) == []


def test_file_of_exactly_20_mb_is_accepted(circle_lead, meeting):
    data = tiny_pdf() + b"\x00" * (MAX_ATTACHMENT_BYTES - len(tiny_pdf()))
    attachment = services.attachment_add(
        actor=circle_lead, meeting=meeting, file=ContentFile(data, name="stor.pdf")
    )
    assert attachment.size == MAX_ATTACHMENT_BYTES


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\boot.pdf",
        "mappe/fil.pdf",
        "..pdf",
        "a\x00b.pdf",
        "fil\n.pdf",
        "navn\x07.pdf",
        "navn\u202egpj.pdf",
    ],
)
def test_names_with_path_parts_or_control_characters_are_refused(circle_lead, meeting, _media_in_tmp, name):
    # Django's multipart parser already strips directories and non-printable characters from
    # uploaded names; the service refuses them again for any caller that passes a name itself.
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=circle_lead, meeting=meeting, file=ContentFile(tiny_pdf()), filename=name
        )
    assert "Filnavnet" in exc.value.messages[0]
    assert not Attachment.objects.exists()
    assert stored_files(_media_in_tmp) == []


def test_download_is_an_attachment_with_the_original_name(client, other_member, circle_lead, meeting):
    attachment = services.attachment_add(
        actor=circle_lead, meeting=meeting, file=ContentFile(tiny_pdf(), name="Dagsorden æøå.pdf")
    )
    client.force_login(other_member)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "Dagsorden" in disposition and "%C3%A6%C3%B8%C3%A5" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == tiny_pdf()


def test_media_files_are_not_served_by_url(client, other_member, circle_lead, meeting, settings):
    attachment = services.attachment_add(
        actor=circle_lead, meeting=meeting, file=ContentFile(tiny_pdf(), name="x.pdf")
    )
    client.force_login(other_member)
    assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404


def test_upload_through_the_form_works_and_shows_on_meeting_page(client, circle_lead, meeting, other_member):
    client.force_login(circle_lead)
    response = _upload(client, meeting, SimpleUploadedFile("Program.pdf", tiny_pdf()))
    assert response.status_code == 302
    client.force_login(other_member)
    assert "Program.pdf" in client.get(meeting.get_absolute_url()).content.decode()


def test_lead_deletes_attachment_and_the_file_goes(
    django_capture_on_commit_callbacks, client, circle_lead, meeting, _media_in_tmp
):
    attachment = services.attachment_add(
        actor=circle_lead, meeting=meeting, file=ContentFile(tiny_pdf(), name="x.pdf")
    )
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/bilag/{attachment.pk}/slet/").status_code == 302
    assert not Attachment.objects.exists()
    assert stored_files(_media_in_tmp) == []


def test_control_characters_in_an_http_upload_never_reach_the_stored_name(client, circle_lead, meeting):
    client.force_login(circle_lead)
    assert _upload(client, meeting, SimpleUploadedFile("navn\x07\u202e.pdf", tiny_pdf())).status_code == 302
    assert Attachment.objects.get().original_name == "navn.pdf"


@pytest.fixture
def memory_storage(settings):
    """Attachments in Django's InMemoryStorage: a real storage with no files on disk, as with S3."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return settings.STORAGES


def test_attachment_round_trip_works_on_a_storage_that_is_not_the_file_system(
    memory_storage,
    django_capture_on_commit_callbacks,
    client,
    circle_lead,
    other_member,
    meeting,
    _media_in_tmp,
):
    data = tiny_pdf("Bilag i hukommelsen")
    attachment = services.attachment_add(
        actor=circle_lead, meeting=meeting, file=ContentFile(data, name="Budget 2027.pdf")
    )
    assert isinstance(storages["default"], InMemoryStorage)
    assert default_storage.exists(attachment.file.name)
    assert attachment.file.size == attachment.size == len(data)
    assert stored_files(_media_in_tmp) == []

    client.force_login(other_member)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == data

    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/bilag/{attachment.pk}/slet/").status_code == 302
    assert not default_storage.exists(attachment.file.name)


def test_attachment_missing_from_a_non_file_system_storage_is_a_404(
    memory_storage, client, circle_lead, other_member, meeting
):
    attachment = services.attachment_add(
        actor=circle_lead, meeting=meeting, file=ContentFile(tiny_pdf(), name="væk.pdf")
    )
    default_storage.delete(attachment.file.name)
    client.force_login(other_member)
    assert client.get(attachment.get_absolute_url()).status_code == 404
