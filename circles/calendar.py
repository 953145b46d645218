"""iCalendar output for meetings (RFC 5545) with Europe/Copenhagen time zone data.

Every value goes in through icalendar's typed properties (`Event.new`, the Calendar's properties), which
escape text (line breaks, commas, semicolons) and fold lines at 75 octets: member-written
titles and agendas must never be joined into content lines by hand.

A calendar mailed to members is an iTIP message (RFC 5546, carried by mail as RFC 6047
describes): `METHOD:PUBLISH` for a new or changed meeting, `METHOD:CANCEL` for a cancelled
one, always with the same UID, a SEQUENCE raised on every mailed change, and an ORGANIZER.
Downloads and feeds carry no METHOD: they are calendar files, not messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta
from email.message import MIMEPart
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from circles.models import Meeting
from komdir.lib import fragments

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
PUBLISH = "PUBLISH"
CANCEL = "CANCEL"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@komdir-portalen"


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.name = name or "KOMDIR"
    return organizer


def _event(meeting: Meeting, *, stamp) -> Event:
    url = settings.SITE_URL + meeting.get_absolute_url()
    summary = meeting.title
    if meeting.circle is not None:
        summary = f"{meeting.title} ({meeting.circle.name})"
    # Agenda text only: notes never go into a calendar, whoever subscribes.
    description = "\n\n".join(part for part in (meeting.agenda, url) if part)
    if meeting.is_cancelled and meeting.cancel_message:
        description = f"{meeting.cancel_message}\n\n{description}"
    return Event.new(
        uid=meeting_uid(meeting),
        stamp=stamp,
        last_modified=meeting.updated_at,
        start=timezone.localtime(meeting.starts_at, COPENHAGEN),
        end=timezone.localtime(meeting.ends_at, COPENHAGEN),
        summary=summary,
        location=meeting.location or meeting.online_url or None,
        description=description,
        url=url,
        organizer=_organizer(),
        sequence=meeting.sequence,
        status="CANCELLED" if meeting.is_cancelled else "CONFIRMED",
    )


def _deadline_event(consultation, *, stamp) -> Event:
    """A consultation's deadline for the members' input, as an all-day event."""
    url = settings.SITE_URL + consultation.get_absolute_url()
    return Event.new(
        uid=f"consultation-{consultation.pk}@komdir-portalen",
        stamp=stamp,
        last_modified=consultation.updated_at,
        start=consultation.input_deadline,
        end=consultation.input_deadline + timedelta(days=1),
        summary=_("Frist for input til høring: %(title)s") % {"title": consultation.title},
        description=url,
        url=url,
    )


def calendar_for(
    meetings: Iterable[Meeting], *, name: str, method: str | None = None, deadlines: Iterable = ()
) -> bytes:
    """A calendar of `meetings` (and the input `deadlines` of consultations, in a member's feed);
    `method` only for a calendar sent as a message (see above)."""
    cal = Calendar()
    cal.prodid = "-//KOMDIR//KOMDIR-portalen//DA"
    cal.version = "2.0"
    cal.calscale = "GREGORIAN"
    cal.method = method
    # icalendar 7.3 types NAME and X-WR-CALNAME as unknown (raw) values: wrapped as TEXT
    # they are escaped like every other text property.
    cal.calendar_name = vText(name)
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    meetings = list(meetings)
    # A message is stamped when it is sent; a file or feed with the meeting's last change.
    now = timezone.now()
    for meeting in meetings:
        stamp = now if method is not None else (meeting.updated_at or now)
        cal.add_component(_event(meeting, stamp=stamp))
    for consultation in deadlines:
        cal.add_component(_deadline_event(consultation, stamp=consultation.updated_at or now))
    if meetings:
        # Only the transitions around the events: a VTIMEZONE from 1970 on bloats every feed.
        first = min(m.starts_at for m in meetings).date() - timedelta(days=366)
        last = max(m.ends_at for m in meetings).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def _fingerprint(meeting: Meeting) -> tuple:
    """Everything of `meeting` its event is made of (`_event`)."""
    return (
        meeting.pk,
        meeting.title,
        meeting.circle.name if meeting.circle is not None else None,
        meeting.agenda,
        meeting.is_cancelled,
        meeting.cancel_message,
        meeting.updated_at,
        meeting.starts_at,
        meeting.ends_at,
        meeting.location,
        meeting.online_url,
        meeting.sequence,
        meeting.get_absolute_url(),
    )


def feed_for(meetings: Iterable[Meeting], *, name: str, deadlines: Iterable = ()) -> bytes:
    """`calendar_for(meetings, name=name)`, kept in the shared cache under a digest of all it is
    made of: members who see the same meetings share one, and any change to a meeting (or to
    its circle's name) makes another digest. Building a year of a circle's meetings costs
    ~70 ms of icalendar's serialising; a calendar app polls it all day."""
    meetings, deadlines = list(meetings), list(deadlines)
    marks = [(c.pk, c.title, c.input_deadline, c.updated_at) for c in deadlines]
    raw = repr(
        (name, settings.SITE_URL, settings.DEFAULT_FROM_EMAIL, [_fingerprint(m) for m in meetings], marks)
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return fragments.cached_value(
        "calendar-feed",
        digest,
        depends=[],
        compute=lambda: calendar_for(meetings, name=name, deadlines=deadlines),
    )


def calendar_attachment(meeting: Meeting) -> MIMEPart:
    """The meeting as a mail attachment: PUBLISH while it stands, CANCEL once it is cancelled.

    The MIME type carries the same `method` parameter as the calendar (RFC 6047 §2.4): that is
    what makes mail clients offer to update or remove the entry.
    """
    method = CANCEL if meeting.is_cancelled else PUBLISH
    part = MIMEPart()
    # As bytes in base64: a text part would have its CRLF line ends (RFC 5545 §3.1) rewritten.
    part.set_content(
        calendar_for([meeting], name=meeting.title, method=method),
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"charset": "utf-8", "method": method},
        disposition="attachment",
        filename="moede.ics",
    )
    return part
