"""Deadlines people read as a day: "til og med 6. december" ends at the midnight after it,
Copenhagen time. One pair of conversions, so forms, models and mails agree."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def end_of_day(day: date) -> datetime:
    """The moment a deadline "til og med `day`" has passed: the midnight after it."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=COPENHAGEN)


def last_day(until: datetime | None) -> date | None:
    """The day a deadline ending at `until` (from `end_of_day`) is shown as."""
    if until is None:
        return None
    return timezone.localtime(until - timedelta(microseconds=1), COPENHAGEN).date()
