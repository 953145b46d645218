"""iCalendar output: parses back with icalendar, keeps local times across summer time, personal feeds."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from circles import services
from circles.models import CalendarToken, NoteVisibility
from tests.circles.conftest import make_meeting, make_note

CPH = ZoneInfo("Europe/Copenhagen")


def _events(content: bytes):
    calendar = Calendar.from_ical(content)
    return calendar, list(calendar.walk("VEVENT"))


def _meeting_at(actor, circle, day: date, title: str):
    return services.meeting_create(
        actor=actor,
        circle=circle,
        title=title,
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=CPH),
        ends_at=datetime(day.year, day.month, day.day, 12, tzinfo=CPH),
        location="Aalborg Rådhus",
        agenda="1. Velkomst",
    )


def test_meeting_ics_parses_back_with_tzid_url_and_local_time(
    client, other_member, circle_lead, nordjylland, settings
):
    settings.SITE_URL = "https://portal.komdir.test"
    meeting = _meeting_at(circle_lead, nordjylland, date(2026, 3, 28), "Før sommertid")
    client.force_login(other_member)
    response = client.get(f"/moeder/{meeting.pk}/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    calendar, events = _events(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    (event,) = events
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (10, 0)
    assert start.utcoffset().total_seconds() == 3600
    assert str(event["URL"]) == f"https://portal.komdir.test/moeder/{meeting.pk}/"
    assert "Før sommertid" in str(event["SUMMARY"]) and str(event["LOCATION"]) == "Aalborg Rådhus"


def test_times_survive_the_summer_time_change(client, other_member, circle_lead, nordjylland):
    # Summer time starts on Sunday 29 March 2026 at 02:00 in Denmark.
    before = _meeting_at(circle_lead, nordjylland, date(2026, 3, 28), "Lørdag")
    after = _meeting_at(circle_lead, nordjylland, date(2026, 3, 30), "Mandag")
    token = services.calendar_token_get_or_create(user=other_member)
    response = client.get(f"/kalender/{token.token}.ics")
    assert response.status_code == 200
    calendar, events = _events(response.content)
    by_uid = {str(e["UID"]): e for e in events}
    start_before = by_uid[f"meeting-{before.pk}@komdir-portalen"].decoded("DTSTART")
    start_after = by_uid[f"meeting-{after.pk}@komdir-portalen"].decoded("DTSTART")
    # Same local wall-clock time; different UTC offsets.
    assert start_before.astimezone(CPH).hour == 10 and start_after.astimezone(CPH).hour == 10
    assert start_before.utcoffset().total_seconds() == 3600
    assert start_after.utcoffset().total_seconds() == 7200
    assert start_before == datetime(2026, 3, 28, 9, tzinfo=ZoneInfo("UTC"))
    assert start_after == datetime(2026, 3, 30, 8, tzinfo=ZoneInfo("UTC"))
    # The VTIMEZONE carries the 2026 transition, so importing calendars get it right.
    vtimezone = calendar.walk("VTIMEZONE")[0]
    assert vtimezone.to_tz(lookup_tzid=False).utcoffset(datetime(2026, 3, 30, 10)).total_seconds() == 7200


def test_personal_feed_has_own_circle_and_association_wide_events_only(
    client, member, circle_lead, nordjylland, hovedstaden, secretariat, circle_only_note
):
    own = make_meeting(actor=secretariat, circle=hovedstaden, title="Hovedstadens møde")
    other = make_meeting(actor=circle_lead, circle=nordjylland, title="Nordjyllands møde")
    event = make_meeting(actor=secretariat, circle=None, title="Generalforsamling")
    token = services.calendar_token_get_or_create(user=member)
    response = client.get(f"/kalender/{token.token}.ics")
    _calendar, events = _events(response.content)
    uids = {str(e["UID"]) for e in events}
    assert uids == {f"meeting-{own.pk}@komdir-portalen", f"meeting-{event.pk}@komdir-portalen"}
    body = response.content.decode()
    assert other.title not in body
    assert circle_only_note.meeting.title not in body
    assert "Fortroligt ord" not in body


def test_personal_feed_never_contains_note_text_even_of_own_circle(client, other_member, circle_only_note):
    token = services.calendar_token_get_or_create(user=other_member)
    body = client.get(f"/kalender/{token.token}.ics").content.decode()
    assert circle_only_note.meeting.title in body
    assert "Fortroligt ord" not in body


def test_cancelled_meeting_is_marked_cancelled(client, other_member, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    services.meeting_cancel(actor=circle_lead, meeting=meeting)
    token = services.calendar_token_get_or_create(user=other_member)
    _calendar, (event,) = _events(client.get(f"/kalender/{token.token}.ics").content)
    assert str(event["STATUS"]) == "CANCELLED"


def test_renewing_the_token_kills_the_old_url(client, member):
    client.force_login(member)
    page = client.get("/kalender/")
    old = CalendarToken.objects.get(user=member).token
    assert old in page.content.decode()
    response = client.post("/kalender/")
    assert response.status_code == 302
    new = CalendarToken.objects.get(user=member).token
    assert new != old
    client.logout()
    assert client.get(f"/kalender/{old}.ics").status_code == 404
    assert client.get(f"/kalender/{new}.ics").status_code == 200


@pytest.mark.parametrize("token", ["", "x", "a" * 43])
def test_unknown_tokens_are_404(client, member, token):
    services.calendar_token_get_or_create(user=member)
    assert client.get(f"/kalender/{token}.ics").status_code == 404


def test_feed_of_a_deactivated_member_is_404(client, member):
    token = services.calendar_token_get_or_create(user=member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get(f"/kalender/{token.token}.ics").status_code == 404


def test_note_visibility_import_is_used(circle_lead, nordjylland):
    # Notes of any visibility leave the meeting's calendar entry unchanged.
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    make_note(actor=circle_lead, meeting=meeting, visibility=NoteVisibility.MEMBERS)
    from circles.calendar import calendar_for

    assert b"Referat." not in calendar_for([meeting], name="x")


@pytest.mark.parametrize("n", [1, 50])
def test_personal_feed_query_count_is_flat(
    client, django_assert_num_queries, other_member, circle_lead, nordjylland, n
):
    for i in range(n):
        make_meeting(actor=circle_lead, circle=nordjylland, title=f"Møde {i}", days=i + 1)
    token = services.calendar_token_get_or_create(user=other_member)
    # Three for the token and the meetings, one for the open consultations' input deadlines.
    with django_assert_num_queries(4):
        response = client.get(f"/kalender/{token.token}.ics")
    assert len(_events(response.content)[1]) == n


@pytest.mark.django_db
def test_calendar_apps_revalidate_and_hear_of_a_change(client, other_member, circle_lead, nordjylland):
    """Polled by calendar apps: 304 while nothing changed, the new meeting as soon as it is planned;
    never kept by a shared cache (the address is a credential)."""
    _meeting_at(circle_lead, nordjylland, date(2026, 3, 20), "Første møde")
    token = services.calendar_token_get_or_create(user=other_member)
    url = f"/kalender/{token.token}.ics"
    first = client.get(url)
    assert first.status_code == 200 and "private" in first["Cache-Control"] and first["ETag"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    _meeting_at(circle_lead, nordjylland, date(2026, 3, 27), "Nyt møde")
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and "Nyt møde" in changed.content.decode()


@pytest.mark.django_db
def test_a_shared_feed_shows_an_edited_meeting_and_a_renamed_circle_at_once(
    client, other_member, circle_lead, nordjylland
):
    """The feed's body is kept in the shared cache under a digest of what it is made of."""
    meeting = _meeting_at(circle_lead, nordjylland, date(2026, 3, 20), "Første møde")
    token = services.calendar_token_get_or_create(user=other_member)
    url = f"/kalender/{token.token}.ics"
    assert "Første møde" in client.get(url).content.decode()
    services.meeting_update(actor=circle_lead, meeting=meeting, title="Omdøbt møde")
    assert "Omdøbt møde" in client.get(url).content.decode()
    nordjylland.name = "Kreds Nord"
    nordjylland.save()
    _calendar, events = _events(client.get(url).content)
    assert [str(event["SUMMARY"]) for event in events] == ["Omdøbt møde (Kreds Nord)"]
