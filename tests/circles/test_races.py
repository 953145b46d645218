"""Two requests at once end in one clear result and a Danish message, never a 500: the competing
row is written for real between the service's read and its write."""

from __future__ import annotations

import pytest

from circles import services
from circles.models import Attendance, MeetingNote
from tests.circles.conftest import make_meeting, make_note
from tests.db_faults import competitor_writes_first

pytestmark = pytest.mark.django_db


def test_two_signups_at_once_leave_one_answer(client, other_member, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(other_member)

    def the_other_tab():
        services.attendance_set(user=other_member, meeting=meeting, response="maybe")

    with competitor_writes_first(table="circles_attendance", write=the_other_tab) as race:
        response = client.post(f"/moeder/{meeting.pk}/tilmelding/", {"response": "yes"}, follow=True)
    assert race["fired"]
    assert response.status_code == 200 and "Dit svar er gemt." in response.content.decode()
    assert list(Attendance.objects.filter(meeting=meeting).values_list("user", "response")) == [
        (other_member.pk, "yes")
    ]


def test_two_first_notes_at_once_keep_the_first_and_give_the_second_its_text_back(
    client, circle_lead, secretariat, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    client.force_login(circle_lead)

    def the_secretariat_writes_first():
        services.note_save(
            actor=secretariat, meeting=meeting, body="Sekretariatets referat", visibility="circle"
        )

    with competitor_writes_first(table="circles_meetingnote", write=the_secretariat_writes_first) as race:
        response = client.post(
            f"/moeder/{meeting.pk}/referat/",
            {"body": "Formandens referat", "visibility": "circle", "base_revision": 0, "publish": "1"},
        )
    assert race["fired"]
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nogen har gemt en nyere udgave" in html and "Formandens referat" in html
    assert not MeetingNote.objects.filter(body="Formandens referat").exists()


def test_publishing_a_note_already_published_elsewhere_tells_the_circle_once(
    circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    draft = make_note(actor=circle_lead, meeting=meeting, publish=False)
    stale = MeetingNote.objects.select_related("meeting__circle").get(pk=draft.pk)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.note_save(
            actor=circle_lead, meeting=meeting, body="Referat.", visibility="circle", publish=True
        )
    published_at = MeetingNote.objects.get(pk=draft.pk).published_at
    with django_capture_on_commit_callbacks(execute=True):
        services.note_publish(actor=circle_lead, note=stale)  # the page was opened on the draft
    assert [m.to for m in mailoutbox] == [[other_member.email]]
    assert MeetingNote.objects.get(pk=draft.pk).published_at == published_at
