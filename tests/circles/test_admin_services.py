"""The secretariat's admin writes meetings, notes and attachments through the same services as
the portal: the same notices, the same history, the same file clean-up, the same conflict check."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage

from circles import services
from circles.models import Attachment, Meeting, MeetingNote, NoteRevision, NoteStatus, NoteVisibility
from tests.circles.conftest import future, make_meeting, make_note, pdf_file

pytestmark = pytest.mark.django_db

BASE_REVISION = re.compile(r'name="base_revision" value="(\d+)"')


def recipients(mailoutbox) -> list[str]:
    return sorted(addr for mail in mailoutbox for addr in mail.to)


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def meeting_admin_data(circle, *, title="Kredsmøde i Aalborg", days=12, **extra) -> dict:
    starts, ends = future(days, 10), future(days, 13)
    return {
        "circle": circle.pk,
        "kind": "circle",
        "title": title,
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        "location": "Rådhuset",
        "online_url": "",
        "agenda": "1. Velkomst",
        **management("attachments"),
        **extra,
    }


def note_admin_data(note_or_meeting, *, body, status="published", visibility="circle", base_revision=None):
    note = note_or_meeting if isinstance(note_or_meeting, MeetingNote) else None
    meeting = note.meeting if note else note_or_meeting
    data = {
        "meeting": meeting.pk,
        "status": status,
        "visibility": visibility,
        "body": body,
        **management("revisions"),
        **management("attachments"),
    }
    if note is not None:
        revisions = list(NoteRevision.objects.filter(note=note).order_by("-created_at", "-pk"))
        data.update(management("revisions", len(revisions), len(revisions)))
        for i, revision in enumerate(revisions):
            data[f"revisions-{i}-id"] = revision.pk
            data[f"revisions-{i}-note"] = note.pk
        attachments = list(Attachment.objects.filter(note=note).order_by("created_at", "pk"))
        data.update(management("attachments", len(attachments), len(attachments)))
        for i, attachment in enumerate(attachments):
            data[f"attachments-{i}-id"] = attachment.pk
            data[f"attachments-{i}-note"] = note.pk
    if base_revision is not None:
        data["base_revision"] = base_revision
    return data


# --- a new meeting reaches the circle, whichever way it was made ---------------------------------


def test_a_meeting_made_in_the_portal_mails_the_circle(
    client, circle_lead, other_member, member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(circle_lead)
    starts, ends = future(12, 10), future(12, 13)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/kredse/{nordjylland.slug}/moeder/nyt/",
            {
                "title": "Kredsmøde i Aalborg",
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": ends.strftime("%Y-%m-%dT%H:%M"),
                "location": "Rådhuset",
            },
        )
    assert response.status_code == 302
    # Everyone in the circle but the one who made it; member (Hovedstaden) is not in it.
    assert recipients(mailoutbox) == [other_member.email]


def test_a_meeting_made_in_admin_mails_the_circle_as_the_portal_does(
    secretariat_client,
    secretariat,
    circle_lead,
    other_member,
    member,
    nordjylland,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post("/admin/circles/meeting/add/", meeting_admin_data(nordjylland))
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(title="Kredsmøde i Aalborg")
    assert meeting.created_by == secretariat and meeting.agenda_html == "<ol>\n<li>Velkomst</li>\n</ol>\n"
    assert recipients(mailoutbox) == sorted([circle_lead.email, other_member.email])
    assert all("Kredsmøde i Aalborg" in mail.subject + mail.body for mail in mailoutbox)
    (part,) = mailoutbox[0].attachments
    assert part.get_filename().endswith(".ics") and part.get_content_type() == "text/calendar"


def test_a_meeting_changed_in_admin_is_saved_through_the_service(
    secretariat_client, circle_lead, nordjylland, hovedstaden
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, title="Før")
    data = meeting_admin_data(nordjylland, title="Efter", agenda="**Ny** dagsorden")
    # The circle is not the admin's to move: who is invited follows the circle.
    data["circle"] = hovedstaden.pk
    response = secretariat_client.post(f"/admin/circles/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.title == "Efter"
    assert meeting.agenda_html == "<p><strong>Ny</strong> dagsorden</p>\n"
    assert meeting.circle == nordjylland


def test_a_meeting_cancelled_in_admin_is_cancelled_by_the_service(
    secretariat_client, circle_lead, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    response = secretariat_client.post(
        "/admin/circles/meeting/", {"action": "cancel_meetings", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled


# --- a note published in admin reaches the circle and keeps its history ---------------------------


def test_a_note_published_in_the_portal_mails_the_circle(
    client, circle_lead, other_member, member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    mailoutbox.clear()
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moeder/{meeting.pk}/referat/",
            {"body": "Referat.", "visibility": "circle", "base_revision": 0, "publish": "1"},
        )
    assert response.status_code == 302
    assert recipients(mailoutbox) == [other_member.email]
    assert NoteRevision.objects.filter(note__meeting=meeting).count() == 1


def test_a_note_written_and_published_in_admin_mails_the_circle_as_the_portal_does(
    secretariat_client,
    secretariat,
    circle_lead,
    other_member,
    member,
    nordjylland,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/admin/circles/meetingnote/add/", note_admin_data(meeting, body="Referat **fra** admin.")
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    note = MeetingNote.objects.get(meeting=meeting)
    assert note.is_published and note.author == secretariat and note.published_at is not None
    assert note.body_html == "<p>Referat <strong>fra</strong> admin.</p>\n"
    assert list(note.revisions.values_list("body", "edited_by")) == [
        ("Referat **fra** admin.", secretariat.pk)
    ]
    assert recipients(mailoutbox) == sorted([circle_lead.email, other_member.email])
    assert all("Nyt referat" in mail.subject for mail in mailoutbox)


def test_a_draft_note_published_in_admin_mails_the_circle_once(
    secretariat_client, circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(actor=circle_lead, meeting=meeting, body="Kladde", publish=False)
    mailoutbox.clear()
    page = secretariat_client.get(f"/admin/circles/meetingnote/{note.pk}/change/").content.decode()
    base = BASE_REVISION.findall(page)[0]
    data = note_admin_data(note, body="Færdigt referat", base_revision=base)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/admin/circles/meetingnote/{note.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    note.refresh_from_db()
    assert note.is_published and note.body == "Færdigt referat"
    # The lead wrote the note, so the lead is not told about it (as when the lead publishes).
    assert recipients(mailoutbox) == [other_member.email]
    assert list(note.revisions.order_by("pk").values_list("body", "status")) == [
        ("Kladde", NoteStatus.DRAFT),
        ("Færdigt referat", NoteStatus.PUBLISHED),
    ]


def test_a_note_cannot_be_made_a_draft_again_in_admin(secretariat_client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(actor=circle_lead, meeting=meeting, body="Offentligt")
    page = secretariat_client.get(f"/admin/circles/meetingnote/{note.pk}/change/").content.decode()
    base = BASE_REVISION.findall(page)[0]
    data = note_admin_data(note, body="Offentligt", status="draft", base_revision=base)
    response = secretariat_client.post(f"/admin/circles/meetingnote/{note.pk}/change/", data)
    assert response.status_code == 200
    assert "kan ikke gøres til en kladde igen" in response.content.decode()
    note.refresh_from_db()
    assert note.is_published


# --- the edit-conflict check holds in admin as in the portal --------------------------------------


def test_the_lead_saving_in_between_stops_the_portal_save_and_keeps_the_text(
    client, circle_lead, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(actor=circle_lead, meeting=meeting, body="Første udgave")
    client.force_login(circle_lead)
    base = BASE_REVISION.findall(client.get(f"/moeder/{meeting.pk}/referat/").content.decode())[0]
    services.note_save(actor=circle_lead, meeting=meeting, body="Lederens nye udgave", visibility="circle")
    response = client.post(
        f"/moeder/{meeting.pk}/referat/",
        {"body": "Min udgave fra den gamle fane", "visibility": "circle", "base_revision": base},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nogen har gemt en nyere udgave" in html and "Min udgave fra den gamle fane" in html
    note.refresh_from_db()
    assert note.body == "Lederens nye udgave"


def test_the_lead_saving_in_between_stops_the_admin_save_and_keeps_the_secretarys_text(
    secretariat_client, secretariat, circle_lead, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(actor=circle_lead, meeting=meeting, body="Første udgave")
    url = f"/admin/circles/meetingnote/{note.pk}/change/"
    base = BASE_REVISION.findall(secretariat_client.get(url).content.decode())[0]
    # The lead saves in the portal while the secretary's admin page is open.
    services.note_save(actor=circle_lead, meeting=meeting, body="Lederens nye udgave", visibility="circle")
    data = note_admin_data(note, body="Sekretariatets rettelse", base_revision=base)
    response = secretariat_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nogen har gemt en nyere udgave" in html
    assert "Sekretariatets rettelse" in html
    note.refresh_from_db()
    assert note.body == "Lederens nye udgave"
    # Saving again on purpose (the form now carries the newest version) replaces it, kept in history.
    newer = BASE_REVISION.findall(html)[0]
    assert newer != base
    response = secretariat_client.post(
        url, note_admin_data(note, body="Sekretariatets rettelse", base_revision=newer)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    note.refresh_from_db()
    assert note.body == "Sekretariatets rettelse"
    assert list(note.revisions.order_by("pk").values_list("body", flat=True)) == [
        "Første udgave",
        "Lederens nye udgave",
        "Sekretariatets rettelse",
    ]


# --- an attachment deleted in admin is gone from storage --------------------------------------


def _note_with_attachment(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(actor=circle_lead, meeting=meeting, visibility=NoteVisibility.CIRCLE)
    attachment = services.attachment_add(actor=circle_lead, note=note, file=pdf_file("bilag.pdf"))
    assert default_storage.exists(attachment.file.name)
    return note, attachment


def test_an_attachment_deleted_in_the_portal_is_gone_from_storage(
    client, circle_lead, nordjylland, django_capture_on_commit_callbacks
):
    _note, attachment = _note_with_attachment(circle_lead, nordjylland)
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/bilag/{attachment.pk}/slet/").status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(attachment.file.name)


def test_an_attachment_deleted_in_admin_is_gone_from_storage_as_in_the_portal(
    secretariat_client, circle_lead, nordjylland, django_capture_on_commit_callbacks
):
    note, attachment = _note_with_attachment(circle_lead, nordjylland)
    url = f"/admin/circles/meetingnote/{note.pk}/change/"
    base = BASE_REVISION.findall(secretariat_client.get(url).content.decode())[0]
    data = note_admin_data(note, body=note.body, base_revision=base)
    data["attachments-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(attachment.file.name)


def test_an_attachment_of_a_meeting_deleted_in_admin_is_gone_from_storage(
    secretariat_client, circle_lead, nordjylland, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    attachment = services.attachment_add(actor=circle_lead, meeting=meeting, file=pdf_file("dagsorden.pdf"))
    data = meeting_admin_data(nordjylland, title=meeting.title)
    data.update(management("attachments", 1, 1))
    data.update({"attachments-0-id": attachment.pk, "attachments-0-meeting": meeting.pk})
    data["attachments-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/admin/circles/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(attachment.file.name)


def test_a_meeting_deleted_in_admin_takes_its_files_with_it(
    secretariat_client, circle_lead, nordjylland, django_capture_on_commit_callbacks
):
    note, on_note = _note_with_attachment(circle_lead, nordjylland)
    on_meeting = services.attachment_add(actor=circle_lead, meeting=note.meeting, file=pdf_file("d.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            f"/admin/circles/meeting/{note.meeting_id}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Meeting.objects.filter(pk=note.meeting_id).exists()
    assert not default_storage.exists(on_note.file.name)
    assert not default_storage.exists(on_meeting.file.name)


def test_notes_deleted_from_the_admin_list_take_their_files_with_them(
    secretariat_client, circle_lead, nordjylland, django_capture_on_commit_callbacks
):
    note, attachment = _note_with_attachment(circle_lead, nordjylland)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/admin/circles/meetingnote/",
            {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not MeetingNote.objects.filter(pk=note.pk).exists()
    assert not default_storage.exists(attachment.file.name)
