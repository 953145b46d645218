"""iCalendar output for meetings (RFC 5545) with Europe/Copenhagen time zone data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from circles.models import Meeting

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _event(meeting: Meeting) -> Event:
    url = settings.SITE_URL + meeting.get_absolute_url()
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@komdir-portalen")
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at, COPENHAGEN))
    event.add("dtend", timezone.localtime(meeting.ends_at, COPENHAGEN))
    summary = meeting.title
    if meeting.circle is not None:
        summary = f"{meeting.title} ({meeting.circle.name})"
    event.add("summary", summary)
    location = meeting.location or meeting.online_url
    if location:
        event.add("location", location)
    # Agenda text only: notes never go into a calendar, whoever subscribes.
    description = "\n\n".join(part for part in (meeting.agenda, url) if part)
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar_for(meetings: Iterable[Meeting], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//KOMDIR//KOMDIR-portalen//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    meetings = list(meetings)
    for meeting in meetings:
        cal.add_component(_event(meeting))
    if meetings:
        # Only the transitions around the events: a VTIMEZONE from 1970 on bloats every feed.
        first = min(m.starts_at for m in meetings).date() - timedelta(days=366)
        last = max(m.ends_at for m in meetings).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()
