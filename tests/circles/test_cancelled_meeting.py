"""A cancelled meeting is closed: its page says so and offers nothing to add to a calendar, edit
or write notes of; its managers still see who had answered and may remove a paper put up by
mistake; its calendar address answers with the cancellation for calendars that hold it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from circles import services
from circles.models import MeetingNote
from tests.circles.conftest import make_meeting, make_note, pdf_file
from tests.circles.test_admin_services import meeting_admin_data, note_admin_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancelled(circle_lead, other_member, nordjylland):
    meeting = make_meeting(
        actor=circle_lead,
        circle=nordjylland,
        title="Aflyst kredsmøde",
        online_url="https://meet.example/kreds",
    )
    services.attachment_add(actor=circle_lead, meeting=meeting, file=pdf_file("dagsorden.pdf"))
    services.attendance_set(user=other_member, meeting=meeting, response="yes")
    return services.meeting_cancel(actor=circle_lead, meeting=meeting, message="Formanden er syg.")


def test_the_page_of_a_cancelled_meeting_offers_no_edit_note_or_calendar_action(
    client, circle_lead, cancelled
):
    client.force_login(circle_lead)
    html = client.get(cancelled.get_absolute_url()).content.decode()
    assert "Mødet er aflyst: Formanden er syg." in html
    for gone in (
        "Redigér mødet",
        "Skriv referat",
        "Aflys mødet",
        "Tilføj bilag til mødet",
        "https://meet.example/kreds",
        f"/moeder/{cancelled.pk}/kalender.ics",
        f"/moeder/{cancelled.pk}/rediger/",
        f"/moeder/{cancelled.pk}/referat/",
    ):
        assert gone not in html, gone
    # Who had answered (and was told) stays in view for the lead, and a paper can still go.
    assert "Tilmeldte (1)" in html
    assert f"/bilag/{cancelled.attachments.get().pk}/slet/" in html


@pytest.mark.parametrize("path", ["rediger/", "referat/", "bilag/nyt/"])
def test_the_edit_pages_of_a_cancelled_meeting_are_refused_to_its_lead(client, circle_lead, cancelled, path):
    client.force_login(circle_lead)
    assert client.get(f"/moeder/{cancelled.pk}/{path}").status_code == 403
    assert client.post(f"/moeder/{cancelled.pk}/{path}", {"title": "Igen", "body": "x"}).status_code == 403
    cancelled.refresh_from_db()
    assert (
        cancelled.title == "Aflyst kredsmøde" and not MeetingNote.objects.filter(meeting=cancelled).exists()
    )


def test_the_services_refuse_to_change_or_write_notes_of_a_cancelled_meeting(
    circle_lead, secretariat, cancelled
):
    for actor in (circle_lead, secretariat):
        with pytest.raises(PermissionDenied):
            services.meeting_update(actor=actor, meeting=cancelled, title="Igen")
        with pytest.raises(PermissionDenied):
            make_note(actor=actor, meeting=cancelled)
        with pytest.raises(PermissionDenied):
            services.attachment_add(actor=actor, meeting=cancelled, file=pdf_file())


def test_a_paper_on_a_cancelled_meeting_can_still_be_removed(client, circle_lead, cancelled):
    client.force_login(circle_lead)
    attachment = cancelled.attachments.get()
    assert client.post(f"/bilag/{attachment.pk}/slet/").status_code == 302
    assert not cancelled.attachments.exists()


def test_the_calendar_address_of_a_cancelled_meeting_answers_with_the_cancellation(
    client, other_member, cancelled
):
    client.force_login(other_member)
    response = client.get(f"/moeder/{cancelled.pk}/kalender.ics")
    assert response.status_code == 200 and b"STATUS:CANCELLED" in response.content


def test_the_admin_shows_a_cancelled_meeting_but_does_not_change_it(
    secretariat_client, nordjylland, cancelled
):
    url = f"/admin/circles/meeting/{cancelled.pk}/change/"
    assert secretariat_client.get(url).status_code == 200
    response = secretariat_client.post(url, meeting_admin_data(nordjylland, title="Igen"))
    assert response.status_code == 403
    cancelled.refresh_from_db()
    assert cancelled.title == "Aflyst kredsmøde"


def test_the_admin_writes_no_notes_of_a_cancelled_meeting(secretariat_client, cancelled):
    response = secretariat_client.post(
        "/admin/circles/meetingnote/add/", note_admin_data(cancelled, body="Referat")
    )
    assert response.status_code == 200
    assert not MeetingNote.objects.filter(meeting=cancelled).exists()
