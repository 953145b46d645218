"""The permission matrix for circles: visitor, member of another circle, circle member, lead, secretariat."""

import pytest
from django.core.exceptions import PermissionDenied

from circles import selectors, services
from circles.decisions.selectors import notes_and_decisions_for_area
from circles.models import Attachment, Meeting, MeetingNote
from tests.circles.conftest import make_meeting, make_note, pdf_file
from tests.factories import make_member


@pytest.fixture
def hovedstaden_lead(db, hovedstaden):
    from circles.models import MembershipRole

    user = make_member(municipality_name="Gentofte", email="formand.h@kommune.test")
    services.membership_set(user=user, circle=hovedstaden, role=MembershipRole.LEAD)
    return user


# --- creating and editing --------------------------------------------------------------------


def test_lead_creates_meetings_in_own_circle(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    assert meeting.circle == nordjylland


def test_lead_of_circle_a_cannot_create_in_circle_b(circle_lead, hovedstaden):
    with pytest.raises(PermissionDenied):
        make_meeting(actor=circle_lead, circle=hovedstaden)
    assert not Meeting.objects.filter(circle=hovedstaden).exists()


def test_lead_of_circle_a_cannot_edit_cancel_or_write_notes_in_circle_b(
    circle_lead, hovedstaden_lead, hovedstaden
):
    meeting = make_meeting(actor=hovedstaden_lead, circle=hovedstaden)
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=circle_lead, meeting=meeting, title="Kapret")
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=circle_lead, meeting=meeting)
    with pytest.raises(PermissionDenied):
        make_note(actor=circle_lead, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=circle_lead, meeting=meeting, file=pdf_file())
    meeting.refresh_from_db()
    assert meeting.title == "Kredsmøde" and meeting.cancelled_at is None
    assert not MeetingNote.objects.exists() and not Attachment.objects.exists()


def test_plain_member_cannot_create_meetings_even_in_own_circle(other_member, nordjylland):
    with pytest.raises(PermissionDenied):
        make_meeting(actor=other_member, circle=nordjylland)


def test_only_secretariat_creates_association_wide_events(secretariat, circle_lead):
    with pytest.raises(PermissionDenied):
        make_meeting(actor=circle_lead, circle=None)
    event = make_meeting(actor=secretariat, circle=None, title="Generalforsamling")
    assert event.is_association_wide


def test_secretariat_manages_any_circle(secretariat, hovedstaden, nordjylland):
    for circle in (hovedstaden, nordjylland):
        meeting = make_meeting(actor=secretariat, circle=circle)
        make_note(actor=secretariat, meeting=meeting)


def test_lead_gets_403_on_create_page_of_other_circle(client, circle_lead):
    # The lead sees the other circle (every member does) but may not plan its meetings: 403.
    client.force_login(circle_lead)
    assert client.get("/kredse/hovedstaden/moeder/nyt/").status_code == 403
    assert client.post("/kredse/hovedstaden/moeder/nyt/", {"title": "x"}).status_code == 403
    assert client.get("/kredse/findes-ikke/moeder/nyt/").status_code == 404
    assert client.get("/kredse/nordjylland/moeder/nyt/").status_code == 200


def test_lead_is_refused_on_edit_pages_of_other_circle(client, circle_lead, hovedstaden_lead, hovedstaden):
    """403 where the lead sees what they may not change (the meeting), 404 where they may not
    even see it (the other circle's circle-only note)."""
    meeting = make_meeting(actor=hovedstaden_lead, circle=hovedstaden)
    note = make_note(actor=hovedstaden_lead, meeting=meeting)
    client.force_login(circle_lead)
    for url, status in (
        (f"/moeder/{meeting.pk}/rediger/", 403),
        (f"/moeder/{meeting.pk}/referat/", 403),
        (f"/referater/{note.pk}/rediger/", 404),
        (f"/moeder/{meeting.pk}/bilag/nyt/", 403),
        (f"/referater/{note.pk}/bilag/nyt/", 404),
    ):
        assert client.get(url).status_code == status, url
    assert client.post(f"/moeder/{meeting.pk}/aflys/").status_code == 403
    assert client.post(f"/moeder/{meeting.pk}/rediger/", {"title": "Kapret"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "Kredsmøde" and meeting.cancelled_at is None


# --- reading circle-only notes ----------------------------------------------------------------


def _note_urls(note):
    attachment = note.attachments.get()
    return [
        note.get_absolute_url(),
        f"/referater/{note.pk}/rediger/",
        f"/moeder/{note.meeting_id}/referat/",
        f"/referater/{note.pk}/bilag/nyt/",
        attachment.get_absolute_url(),
    ]


def test_member_of_circle_b_gets_404_for_circle_a_only_note_attachment_and_edit_pages(
    member_client, circle_only_note
):
    meeting_notes_page = f"/moeder/{circle_only_note.meeting_id}/referat/"
    for url in _note_urls(circle_only_note):
        # The meeting itself is for every member: its notes page is refused with 403, not hidden.
        assert member_client.get(url).status_code == (403 if url == meeting_notes_page else 404), url


def test_member_of_circle_b_finds_circle_a_only_note_in_no_list(
    member_client, member, circle_only_note, area
):
    meeting = circle_only_note.meeting
    pages = [
        "/kredse/",
        "/kredse/nordjylland/",
        meeting.get_absolute_url(),
        area.get_absolute_url(),
    ]
    for url in pages:
        html = member_client.get(url).content.decode()
        assert "Fortroligt ord" not in html, url
        assert circle_only_note.get_absolute_url() not in html, url
        assert "fortroligt.pdf" not in html, url
    assert notes_and_decisions_for_area(area=area, viewer=member)["notes"] == []


def test_circle_member_reads_own_circle_only_note_and_attachment(client, other_member, circle_only_note):
    client.force_login(other_member)
    response = client.get(circle_only_note.get_absolute_url())
    assert response.status_code == 200
    assert "Fortroligt ord" in response.content.decode()
    download = client.get(circle_only_note.attachments.get().get_absolute_url())
    assert download.status_code == 200
    # A plain member of the circle still may not edit: they see the note, so 403.
    assert client.get(f"/referater/{circle_only_note.pk}/rediger/").status_code == 403


def test_all_members_note_is_readable_by_every_member(member_client, members_note):
    assert member_client.get(members_note.get_absolute_url()).status_code == 200
    assert member_client.get(members_note.attachments.get().get_absolute_url()).status_code == 200


def test_secretariat_reads_and_edits_every_note(client, secretariat, circle_only_note):
    client.force_login(secretariat)
    for url in _note_urls(circle_only_note):
        assert client.get(url).status_code == 200, url


def test_draft_note_is_404_for_circle_members_and_visible_to_lead(
    client, circle_lead, other_member, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    draft = make_note(actor=circle_lead, meeting=meeting, publish=False, body="Udkast")
    client.force_login(other_member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Udkast" not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(circle_lead)
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("path_kind", ["note", "attachment", "circle", "meeting", "calendar"])
def test_visitor_is_sent_to_login_and_sees_nothing(client, circle_only_note, path_kind):
    url = {
        "note": circle_only_note.get_absolute_url(),
        "attachment": circle_only_note.attachments.get().get_absolute_url(),
        "circle": "/kredse/nordjylland/",
        "meeting": circle_only_note.meeting.get_absolute_url(),
        "calendar": "/kalender/",
    }[path_kind]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_association_wide_notes_are_always_for_all_members(secretariat, member):
    from circles.models import NoteVisibility

    event = make_meeting(actor=secretariat, circle=None, title="Generalforsamling", days=-3)
    note = make_note(actor=secretariat, meeting=event, visibility=NoteVisibility.CIRCLE)
    assert note.visibility == NoteVisibility.MEMBERS
    assert selectors.note_get(pk=note.pk, viewer=member) == note


def test_rsvp_is_for_the_circle_and_association_wide_events(
    client, member, other_member, circle_lead, nordjylland, secretariat
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(member)
    # Every member sees the meeting; only the circle (and the secretariat) sign up: 403.
    assert client.post(f"/moeder/{meeting.pk}/tilmelding/", {"response": "yes"}).status_code == 403
    client.force_login(other_member)
    assert client.post(f"/moeder/{meeting.pk}/tilmelding/", {"response": "yes"}).status_code == 302
    event = make_meeting(actor=secretariat, circle=None, title="Generalforsamling")
    client.force_login(member)
    assert client.post(f"/moeder/{event.pk}/tilmelding/", {"response": "no"}).status_code == 302
    assert meeting.attendances.get().user == other_member
    assert event.attendances.get().response == "no"
