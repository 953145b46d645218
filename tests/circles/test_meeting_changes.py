"""Changes to a meeting reach the people it concerns: cancelling asks first, a cancellation or a
move of time or place is mailed with an updated calendar entry (same UID, higher SEQUENCE), the
page says what changed, and meetings cannot be planned in the past."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from circles import services
from circles.models import AttendanceResponse, Circle, CircleMembership, Meeting, MembershipRole
from komdir.notifications import services as notification_services
from tests.circles.conftest import future, make_meeting
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def assert_strict_ics(content: bytes) -> Calendar:
    """RFC 5545 §3.1: CRLF line ends, lines of at most 75 octets, no bare CR or LF in values."""
    assert content.endswith(b"\r\n")
    for line in content.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        assert b"\r" not in line and b"\n" not in line, line
    return Calendar.from_ical(content)


def ics_parts(mail):
    """The calendar parts attached to a sent mail, as (content type header, parsed calendar)."""
    found = []
    for part in mail.message().walk():
        if part.get_content_type() == "text/calendar":
            found.append((part["Content-Type"], assert_strict_ics(part.get_payload(decode=True))))
    return found


def only_event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def recipients(mailoutbox) -> list[str]:
    return sorted(addr for mail in mailoutbox for addr in mail.to)


def form_data(meeting: Meeting, **changes) -> dict:
    local = {name: timezone.localtime(getattr(meeting, name)) for name in ("starts_at", "ends_at")}
    data = {
        "title": meeting.title,
        "starts_at": local["starts_at"].strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local["ends_at"].strftime("%Y-%m-%dT%H:%M"),
        "location": meeting.location,
        "online_url": meeting.online_url,
        "agenda": meeting.agenda,
    }
    return data | changes


# --- cancelling -----------------------------------------------------------------------------


def test_cancelling_asks_first_then_mails_the_circle_and_those_signed_up(
    client,
    circle_lead,
    other_member,
    member,
    secretariat,
    nordjylland,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    # The secretariat is in no circle but has signed up; `member` is in another circle.
    services.attendance_set(user=secretariat, meeting=meeting, response=AttendanceResponse.YES)
    client.force_login(circle_lead)

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="/moeder/{meeting.pk}/aflys/bekraeft/"' in page
    assert f'action="/moeder/{meeting.pk}/aflys/"' not in page  # no one-click cancel on the page

    confirm = client.get(f"/moeder/{meeting.pk}/aflys/bekraeft/")
    assert confirm.status_code == 200
    content = confirm.content.decode()
    assert f'action="/moeder/{meeting.pk}/aflys/"' in content and 'name="message"' in content
    meeting.refresh_from_db()
    assert not meeting.is_cancelled  # asking changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moeder/{meeting.pk}/aflys/", {"message": "Formanden er syg.\r\nVi finder en ny dato."}
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 1

    assert recipients(mailoutbox) == sorted([circle_lead.email, other_member.email, secretariat.email])
    for mail in mailoutbox:
        assert "aflyst" in mail.subject.lower()
        assert "Formanden er syg." in mail.body
        ((content_type, calendar),) = ics_parts(mail)
        assert "method=CANCEL" in content_type.replace('"', "")
        assert str(calendar["METHOD"]) == "CANCEL"
        event = only_event(calendar)
        assert str(event["UID"]) == f"meeting-{meeting.pk}@komdir-portalen"
        assert event["SEQUENCE"] == 1
        assert str(event["STATUS"]) == "CANCELLED"
        assert "ORGANIZER" in event

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Mødet er aflyst: Formanden er syg." in page
    assert "Vi finder en ny dato." in page


def test_cancelling_twice_mails_once(
    client, circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moeder/{meeting.pk}/aflys/", {"message": ""})
        client.post(f"/moeder/{meeting.pk}/aflys/", {"message": "Igen"})
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.cancel_message == ""
    assert recipients(mailoutbox) == sorted([circle_lead.email, other_member.email])


def test_cancelling_an_association_wide_event_mails_those_signed_up(
    client, secretariat, member, other_member, circle_lead, mailoutbox, django_capture_on_commit_callbacks
):
    # The "new meeting" notice goes to circles only, so an association-wide event's change
    # reaches those who answered that they come or may come.
    with django_capture_on_commit_callbacks(execute=True):
        event = make_meeting(actor=secretariat, circle=None, title="Generalforsamling")
    assert mailoutbox == []
    services.attendance_set(user=member, meeting=event, response=AttendanceResponse.YES)
    services.attendance_set(user=other_member, meeting=event, response=AttendanceResponse.MAYBE)
    services.attendance_set(user=circle_lead, meeting=event, response=AttendanceResponse.NO)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=secretariat, meeting=event, message="")
    assert recipients(mailoutbox) == sorted([member.email, other_member.email])


def test_cancel_confirmation_is_403_for_members_who_see_the_meeting_but_may_not_cancel(
    client, circle_lead, other_member, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(other_member)
    assert client.get(f"/moeder/{meeting.pk}/aflys/bekraeft/").status_code == 403
    assert client.post(f"/moeder/{meeting.pk}/aflys/", {"message": "Nej"}).status_code == 403
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


# --- moving -------------------------------------------------------------------------------------


def test_moving_a_meeting_mails_an_updated_calendar_entry_and_the_page_says_so(
    client,
    circle_lead,
    other_member,
    secretariat,
    nordjylland,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    services.attendance_set(user=secretariat, meeting=meeting, response=AttendanceResponse.MAYBE)
    old_start = timezone.localtime(meeting.starts_at)
    new_start = future(12, 14)
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moeder/{meeting.pk}/rediger/",
            form_data(
                meeting,
                starts_at=new_start.strftime("%Y-%m-%dT%H:%M"),
                ends_at=(new_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                location="Aalborg Kongres & Kultur Center; sal 2",
            ),
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1

    assert recipients(mailoutbox) == sorted([circle_lead.email, other_member.email, secretariat.email])
    for mail in mailoutbox:
        assert "flyttet" in mail.subject.lower() or "ændret" in mail.subject.lower()
        assert "Aalborg Kongres & Kultur Center; sal 2" in mail.body
        ((content_type, calendar),) = ics_parts(mail)
        assert "method=PUBLISH" in content_type.replace('"', "")
        assert str(calendar["METHOD"]) == "PUBLISH"
        event = only_event(calendar)
        assert str(event["UID"]) == f"meeting-{meeting.pk}@komdir-portalen"
        assert event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == new_start
        assert str(event["LOCATION"]) == "Aalborg Kongres & Kultur Center; sal 2"
        assert str(event["STATUS"]) == "CONFIRMED"

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Mødet er flyttet fra" in page
    assert f"{old_start:%H:%M}" in page and f"{new_start:%H:%M}" in page
    assert "Rådhuset" in page  # the old place is shown next to the new one


def test_a_new_meeting_is_published_with_sequence_0(
    circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    ((content_type, calendar),) = ics_parts(mailoutbox[0])
    assert "method=PUBLISH" in content_type.replace('"', "")
    event = only_event(calendar)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@komdir-portalen" and event["SEQUENCE"] == 0


def test_changing_only_the_title_or_agenda_mails_nobody(
    client, circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moeder/{meeting.pk}/rediger/", form_data(meeting, title="Nyt navn", agenda="1. Nyt punkt")
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Nyt navn" and meeting.sequence == 0
    assert mailoutbox == []
    assert "Mødet er flyttet" not in client.get(meeting.get_absolute_url()).content.decode()


def test_ics_download_and_feed_carry_the_sequence_and_the_cancelled_status(
    client, circle_lead, other_member, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    services.meeting_update(
        actor=circle_lead, meeting=meeting, starts_at=future(11, 10), ends_at=future(11, 12)
    )
    services.meeting_cancel(actor=circle_lead, meeting=meeting, message="Ingen dagsorden.")
    token = services.calendar_token_get_or_create(user=other_member)
    client.force_login(other_member)
    for url in (f"/moeder/{meeting.pk}/kalender.ics", f"/kalender/{token.token}.ics"):
        response = client.get(url)
        assert response.status_code == 200
        event = only_event(assert_strict_ics(response.content))
        assert str(event["UID"]) == f"meeting-{meeting.pk}@komdir-portalen"
        assert event["SEQUENCE"] == 2
        assert str(event["STATUS"]) == "CANCELLED"


# --- not in the past ----------------------------------------------------------------------


def test_a_meeting_cannot_be_created_in_the_past(
    client, circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(circle_lead)
    yesterday = future(-1, 10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/kredse/nordjylland/moeder/nyt/",
            {
                "title": "Glemt møde",
                "starts_at": yesterday.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (yesterday + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
    assert response.status_code == 200
    assert "Mødet kan ikke begynde i fortiden" in response.content.decode()
    assert 'value="Glemt møde"' in response.content.decode()
    assert not Meeting.objects.exists()
    assert mailoutbox == []


def test_a_past_meeting_can_be_edited_without_moving_it(client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-2)
    client.force_login(circle_lead)
    response = client.post(f"/moeder/{meeting.pk}/rediger/", form_data(meeting, title="Rettet titel"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Rettet titel" and meeting.sequence == 0


def test_a_meeting_cannot_be_moved_into_the_past(client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(circle_lead)
    yesterday = future(-1, 10)
    response = client.post(
        f"/moeder/{meeting.pk}/rediger/",
        form_data(
            meeting,
            starts_at=yesterday.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(yesterday + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 200
    assert "Mødet kan ikke begynde i fortiden" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at == future(10, 10)


# --- calendar text ------------------------------------------------------------------------


def test_a_title_with_a_line_break_gives_a_valid_ics_and_its_notice_is_mailed(
    client, circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(circle_lead)
    start = future(8, 9)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/kredse/nordjylland/moeder/nyt/",
            {
                "title": "Kredsmøde\r\nmed frokost",
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
                "location": "Rådhuset, 1. sal; lokale 3",
                "agenda": "1. Velkomst\n2. "
                + "Et meget langt dagsordenspunkt med æøå " * 12
                + "\n3. Eventuelt",
            },
        )
    assert response.status_code == 302
    meeting = Meeting.objects.get()

    ics = client.get(f"/moeder/{meeting.pk}/kalender.ics")
    assert ics.status_code == 200
    event = only_event(assert_strict_ics(ics.content))
    assert "Kredsmøde" in str(event["SUMMARY"]) and "med frokost" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "Rådhuset, 1. sal; lokale 3"
    assert "Eventuelt" in str(event["DESCRIPTION"])

    assert recipients(mailoutbox) == [other_member.email]
    ((_content_type, calendar),) = ics_parts(mailoutbox[0])
    assert "med frokost" in str(only_event(calendar)["SUMMARY"])
    assert "\n" not in mailoutbox[0].subject


# --- at send time -------------------------------------------------------------------------


def test_those_signed_up_are_told_even_with_meeting_mails_off(
    circle_lead, other_member, secretariat, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    services.attendance_set(user=secretariat, meeting=meeting, response=AttendanceResponse.YES)
    for user in (secretariat, other_member, circle_lead):
        notification_services.settings_update(user=user, mail_circle_meetings=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=circle_lead, meeting=meeting, message="")
    assert recipients(mailoutbox) == [secretariat.email]
    assert "du har meldt dig til mødet" in mailoutbox[0].body


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_queue_checks_again_at_send_time_and_a_newer_change_supersedes(database_queue, mailoutbox):
    lead = make_member(municipality_name="Hjørring", email="formand@kommune.test")
    circle = Circle.objects.get(slug="nordjylland")
    services.membership_set(user=lead, circle=circle, role=MembershipRole.LEAD)
    stays = make_member(municipality_name="Aalborg", email="bliver@kommune.test")
    leaves = make_member(municipality_name="Thisted", email="forlader@kommune.test")
    meeting = make_meeting(actor=lead, circle=circle)
    call_command("db_worker", "--batch", "--no-startup-delay")
    mailoutbox.clear()

    services.meeting_update(actor=lead, meeting=meeting, starts_at=future(11, 10), ends_at=future(11, 12))
    services.meeting_cancel(actor=lead, meeting=meeting, message="Vi mødes i januar i stedet.")
    # Left the circle (and never signed up) before the queue got to the notices.
    assert CircleMembership.objects.filter(user=leaves, circle=circle).exists()
    CircleMembership.objects.filter(user=leaves).delete()
    call_command("db_worker", "--batch", "--no-startup-delay")

    # Only the cancellation, the newest change, and only to those it still concerns.
    assert recipients(mailoutbox) == sorted([lead.email, stays.email])
    for mail in mailoutbox:
        assert "aflyst" in mail.subject.lower()
        ((_content_type, calendar),) = ics_parts(mail)
        assert only_event(calendar)["SEQUENCE"] == 2
