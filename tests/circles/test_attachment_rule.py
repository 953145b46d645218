"""The rule for attachments (docs/permissions.md): an attachment follows what it is attached to.

A circle meeting's attachments (agenda papers) follow the meeting, which every member may read
(PRODUCT.md): every member sees them listed and downloads them, whichever circle they are in.
A note's attachments follow the note: circle-only notes' attachments are 404 outside the
circle, drafts' attachments 404 for all but those who may edit the note. Visitors see none.
"""

import pytest

from circles import services
from tests.circles.conftest import make_meeting, make_note, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle_meeting(circle_lead, nordjylland):
    """A Kreds Nordjylland meeting with an agenda paper and a circle-only note with its own."""
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, title="Kredsmøde med bilag")
    services.attachment_add(actor=circle_lead, meeting=meeting, file=pdf_file("dagsorden-bilag.pdf"))
    note = make_note(actor=circle_lead, meeting=meeting, body="Kun for kredsen.")
    services.attachment_add(actor=circle_lead, note=note, file=pdf_file("kredsens-bilag.pdf"))
    return meeting


def urls(meeting):
    return {
        "meeting": meeting.attachments.get().get_absolute_url(),
        "note": meeting.note.attachments.get().get_absolute_url(),
    }


def test_a_member_of_another_circle_reads_the_meetings_attachment_but_not_the_circle_only_notes(
    member_client, circle_meeting
):
    page = member_client.get(circle_meeting.get_absolute_url()).content.decode()
    assert "dagsorden-bilag.pdf" in page and urls(circle_meeting)["meeting"] in page
    assert "kredsens-bilag.pdf" not in page and urls(circle_meeting)["note"] not in page
    assert member_client.get(urls(circle_meeting)["meeting"]).status_code == 200
    assert member_client.get(urls(circle_meeting)["note"]).status_code == 404


def test_a_member_of_the_circle_reads_both(client, other_member, circle_meeting):
    client.force_login(other_member)  # Aalborg: Kreds Nordjylland
    for url in urls(circle_meeting).values():
        assert client.get(url).status_code == 200, url


def test_a_draft_notes_attachment_is_only_for_those_who_may_edit_the_note(
    client, other_member, circle_lead, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, title="Møde med kladde")
    note = make_note(actor=circle_lead, meeting=meeting, publish=False)
    attachment = services.attachment_add(actor=circle_lead, note=note, file=pdf_file("kladde.pdf"))
    client.force_login(other_member)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(circle_lead)
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_visitors_are_sent_to_log_in_for_every_attachment(client, circle_meeting):
    for url in urls(circle_meeting).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
