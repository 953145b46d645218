"""Meetings people can plan around: a capacity with a waiting list that moves up by itself (and
says so by mail), the last seat taken by two at once, the sign-up deadline, who is coming, the
attendance list, who came, and the reminder the day before (sent once, never to who cancelled)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from circles import selectors, services
from circles.models import Attendance, Meeting
from tests.circles.conftest import make_meeting
from tests.circles.test_meeting_changes import ics_parts
from tests.db_faults import competitor_writes_first
from tests.factories import make_member

pytestmark = pytest.mark.django_db

YES, NO, WAITING = "yes", "no", "waiting"


def north(n: int) -> list:
    return [make_member(municipality_name="Aalborg", email=f"nord{i}@kommune.test") for i in range(n)]


def answers(meeting) -> dict[str, str]:
    return dict(Attendance.objects.filter(meeting=meeting).values_list("user__email", "response"))


def test_a_full_meeting_puts_the_next_on_the_waiting_list_in_order(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=2)
    a, b, c, d = north(4)
    for person in (a, b, c, d):
        services.attendance_set(user=person, meeting=meeting, response=YES)
    assert answers(meeting) == {a.email: YES, b.email: YES, c.email: WAITING, d.email: WAITING}
    assert [selectors.waiting_position(Attendance.objects.get(meeting=meeting, user=p)) for p in (c, d)] == [
        1,
        2,
    ]
    # Saying "yes" again keeps one's place in the line.
    services.attendance_set(user=c, meeting=meeting, response=YES)
    assert selectors.waiting_position(Attendance.objects.get(meeting=meeting, user=c)) == 1


def test_a_seat_given_up_goes_to_the_first_waiting_who_is_told_by_mail(
    circle_lead, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=1)
    a, b, c = north(3)
    for person in (a, b, c):
        services.attendance_set(user=person, meeting=meeting, response=YES)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_set(user=a, meeting=meeting, response=NO)
    assert answers(meeting) == {a.email: NO, b.email: YES, c.email: WAITING}
    assert selectors.waiting_position(Attendance.objects.get(meeting=meeting, user=c)) == 1
    (mail,) = mailoutbox
    assert mail.to == [b.email] and "Du har fået en plads" in mail.subject
    assert "rykket op fra ventelisten" in mail.body and meeting.get_absolute_url() in mail.body
    assert ics_parts(mail)


def test_a_deleted_answer_and_more_seats_move_the_list_up_too(circle_lead, secretariat, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=1)
    a, b, c, d = north(4)
    for person in (a, b, c, d):
        services.attendance_set(user=person, meeting=meeting, response=YES)
    services.attendance_delete(actor=secretariat, attendance=Attendance.objects.get(meeting=meeting, user=a))
    assert answers(meeting)[b.email] == YES
    services.meeting_update(actor=circle_lead, meeting=Meeting.objects.get(pk=meeting.pk), capacity=3)
    assert answers(meeting) == {b.email: YES, c.email: YES, d.email: YES}


def test_two_members_asking_for_the_last_seat_at_once_get_one_seat(client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=1)
    first, second = north(2)
    client.force_login(second)

    def the_other_member_is_quicker():
        services.attendance_set(user=first, meeting=meeting, response=YES)

    with competitor_writes_first(table="circles_meeting", write=the_other_member_is_quicker) as race:
        response = client.post(f"/moeder/{meeting.pk}/tilmelding/", {"response": YES}, follow=True)
    assert race["fired"]
    assert response.status_code == 200
    assert answers(meeting) == {first.email: YES, second.email: WAITING}
    assert "Mødet er fuldt. Du er nr. 1 på ventelisten." in response.content.decode()


def test_after_the_deadline_no_new_sign_up_but_one_may_cancel(client, circle_lead, other_member, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    services.attendance_set(user=circle_lead, meeting=meeting, response=YES)
    Meeting.objects.filter(pk=meeting.pk).update(signup_deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(other_member)
    response = client.post(f"/moeder/{meeting.pk}/tilmelding/", {"response": YES}, follow=True)
    assert "Tilmeldingsfristen er overskredet." in response.content.decode()
    assert not Attendance.objects.filter(user=other_member).exists()
    services.attendance_set(user=circle_lead, meeting=meeting, response=NO)
    assert answers(meeting) == {circle_lead.email: NO}


def test_a_deadline_after_the_start_is_refused(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    with pytest.raises(ValidationError, match="Tilmeldingsfristen"):
        services.meeting_update(
            actor=circle_lead, meeting=meeting, signup_deadline=meeting.starts_at + timedelta(hours=1)
        )


def test_the_circle_sees_who_is_coming_and_others_do_not(
    client, circle_lead, other_member, member, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=10)
    services.attendance_set(user=other_member, meeting=meeting, response=YES)
    client.force_login(circle_lead)
    client.logout()
    colleague = north(1)[0]
    client.force_login(colleague)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Hvem kommer (1)" in page and other_member.get_full_name() in page
    assert "9 ledige pladser af 10" in page
    client.force_login(member)  # Kreds Hovedstaden: reads the meeting, not who comes
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Hvem kommer" not in page and other_member.get_full_name() not in page


def test_the_lead_downloads_the_attendance_list_and_members_cannot(
    client, circle_lead, other_member, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=1)
    waiting = north(1)[0]
    services.attendance_set(user=other_member, meeting=meeting, response=YES)
    services.attendance_set(user=waiting, meeting=meeting, response=YES)
    client.force_login(other_member)
    assert client.get(f"/moeder/{meeting.pk}/deltagere.csv").status_code == 403
    client.force_login(circle_lead)
    response = client.get(f"/moeder/{meeting.pk}/deltagere.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Navn", "Kommune", "E-mail", "Svar", "Venteliste nr."]
    assert [r[2] for r in rows[1:]] == [other_member.email, waiting.email]
    assert rows[2][3:5] == ["På venteliste", "1"]


def test_after_the_meeting_the_lead_marks_who_came(client, circle_lead, other_member, member, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    services.attendance_set(user=other_member, meeting=meeting, response=YES)
    services.attendance_set(user=circle_lead, meeting=meeting, response=YES)
    client.force_login(circle_lead)
    assert client.get(f"/moeder/{meeting.pk}/fremmoede/").status_code == 403  # not held yet
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    page = client.get(f"/moeder/{meeting.pk}/fremmoede/").content.decode()
    assert other_member.get_full_name() in page and member.get_full_name() not in page
    response = client.post(f"/moeder/{meeting.pk}/fremmoede/", {"present": [other_member.pk]}, follow=True)
    assert "Fremmødet er gemt: 1 deltog." in response.content.decode()
    attended = dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "attended"))
    assert attended == {other_member.pk: True, circle_lead.pk: False}
    refused = client.post(f"/moeder/{meeting.pk}/fremmoede/", {"present": [member.pk]})
    assert refused.status_code == 200 and not Attendance.objects.filter(user=member).exists()


def test_the_reminder_goes_once_to_those_with_a_seat_and_never_to_who_cancelled(
    circle_lead, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    tomorrow = timezone.now() + timedelta(hours=20)
    meeting = services.meeting_create(
        actor=circle_lead,
        circle=nordjylland,
        title="Kredsmøde i morgen",
        starts_at=tomorrow,
        ends_at=tomorrow + timedelta(hours=2),
        capacity=2,
    )
    later = make_meeting(actor=circle_lead, circle=nordjylland, title="Om to uger", days=14)
    seat, cancels, no, waits = north(4)
    for person in (seat, cancels, waits):
        services.attendance_set(user=person, meeting=meeting, response=YES)
    services.attendance_set(user=no, meeting=meeting, response=NO)
    services.attendance_set(user=seat, meeting=later, response=YES)
    mailoutbox.clear()

    # The cancellation lands between the claim and the mail: the mail is not sent.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        claimed = services.reminders_claim()
    assert len(claimed) == 2
    Attendance.objects.filter(meeting=meeting, user=cancels).update(response=NO)
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[seat.email]]
    assert "Kredsmøde i morgen" in mailoutbox[0].subject and ics_parts(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_claim() == []
    assert len(mailoutbox) == 1


def test_the_reminder_respects_the_members_setting(
    circle_lead, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    from komdir.notifications.services import settings_update

    tomorrow = timezone.now() + timedelta(hours=20)
    meeting = services.meeting_create(
        actor=circle_lead,
        circle=nordjylland,
        title="I morgen",
        starts_at=tomorrow,
        ends_at=tomorrow + timedelta(hours=1),
    )
    person = north(1)[0]
    services.attendance_set(user=person, meeting=meeting, response=YES)
    settings_update(user=person, mail_meeting_reminders=False)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_claim()
    assert mailoutbox == []


def test_removing_the_limit_gives_everyone_waiting_a_seat(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=1)
    a, b = north(2)
    for person in (a, b):
        services.attendance_set(user=person, meeting=meeting, response=YES)
    services.meeting_update(actor=circle_lead, meeting=Meeting.objects.get(pk=meeting.pk), capacity=None)
    assert answers(meeting) == {a.email: YES, b.email: YES}


def test_a_deleted_account_gives_its_seat_to_the_first_waiting(
    circle_lead, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    from komdir.privacy.services import account_delete

    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=1)
    leaving, waiting = north(2)
    for person in (leaving, waiting):
        services.attendance_set(user=person, meeting=meeting, response=YES)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=leaving, actor=leaving)
    assert answers(meeting) == {waiting.email: YES}
    assert [m.to for m in mailoutbox] == [[waiting.email]]


@pytest.mark.parametrize("hours", [2, 20])
def test_the_reminder_says_today_or_tomorrow_as_it_is(
    hours, circle_lead, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    starts = timezone.now() + timedelta(hours=hours)
    meeting = services.meeting_create(
        actor=circle_lead,
        circle=nordjylland,
        title="Kredsmøde",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    services.attendance_set(user=north(1)[0], meeting=meeting, response=YES)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_claim()
    days_ahead = (timezone.localdate(starts) - timezone.localdate()).days
    word = {0: "I dag", 1: "I morgen"}[days_ahead]
    assert mailoutbox[0].subject.endswith(f"] {word} kl. {timezone.localtime(starts):%H:%M}: Kredsmøde")


def test_the_attendance_list_is_named_by_the_meetings_danish_date(client, circle_lead, nordjylland):
    # 00:30 in Copenhagen is the evening before in UTC.
    day = timezone.localdate() + timedelta(days=10)
    starts = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 0, 30))
    meeting = services.meeting_create(
        actor=circle_lead,
        circle=nordjylland,
        title="Natmøde",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    client.force_login(circle_lead)
    response = client.get(f"/moeder/{meeting.pk}/deltagere.csv")
    assert f'filename="deltagere-{day:%Y-%m-%d}-natmoede.csv"' in response["Content-Disposition"]
