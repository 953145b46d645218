"""Writes: the read marker of Mit overblik, what a member has seen, the week's digest claim."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from komdir.lib import events
from komdir.notifications.models import NotificationSettings
from komdir.overview.models import DigestLog, SeenItem, SeenKind
from komdir.overview.selectors import OVERVIEW_FIRST_VISIT, overview_state
from members.models import User
from members.policies import is_member


def overview_read_marker_start(*, user: User, now: datetime | None = None) -> datetime:
    """Set the read marker of a member who has none yet (their first visit), two weeks back.

    Only "Markér som læst" moves it afterwards (overview_mark_read): visiting the overview
    only reads it, so the news it shows stays until seen or marked read.
    """
    marker = (now or timezone.now()) - OVERVIEW_FIRST_VISIT
    # An upsert: a settings row created meanwhile (another tab, the settings page) keeps its
    # preferences.
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user=user, overview_read_at=marker)],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["overview_read_at"],
    )
    return marker


@transaction.atomic
def overview_mark_read(*, user: User, until: datetime | None = None) -> datetime:
    """ "Markér som læst": everything up to `until` (when the page was shown, never later than
    now) is read. The marker never moves backwards (an old tab posting late changes nothing)."""
    now = timezone.now()
    until = min(until or now, now)
    prefs, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    if prefs.overview_read_at is None or prefs.overview_read_at < until:
        prefs.overview_read_at = until
        prefs.save(update_fields=["overview_read_at"])
    return prefs.overview_read_at


def seen_record(*, user, kind: str, object_id: int, also: tuple[tuple[str, int], ...] = ()) -> None:
    """The member opened `kind` `object_id` where it lives (and `also` what that page shows in
    full, e.g. a meeting's note): it leaves their overview's news.

    One statement (an upsert moving `seen_at` forward), idempotent, and no model signals, so it
    does not invalidate the portal's fragments; the overview's own key follows it
    (overview_state). Visitors and inactive users leave no trace.
    """
    if not is_member(user):
        return
    items = [(kind, object_id), *also]
    if any(item_kind not in SeenKind.values for item_kind, _pk in items):
        raise ValueError(items)
    now = timezone.now()
    SeenItem.objects.bulk_create(
        [SeenItem(user=user, kind=item_kind, object_id=pk, seen_at=now) for item_kind, pk in items],
        update_conflicts=True,
        unique_fields=["user", "kind", "object_id"],
        update_fields=["seen_at"],
    )


def overview_visit(*, user) -> dict:
    """A visit to "Mit overblik": since when it shows news, and what its cached fragment hangs on.

    One query; on the very first visit one more write (the read marker's start).
    """
    now = timezone.now()
    read_at, latest_seen = overview_state(user=user)
    first_visit = read_at is None
    if first_visit:
        read_at = overview_read_marker_start(user=user, now=now)
    return {"now": now, "since": read_at, "latest_seen": latest_seen, "first_visit": first_visit}


def week_start(now: datetime) -> datetime.date:
    local = timezone.localtime(now)
    return (local - timedelta(days=local.weekday())).date()


def digest_claim(*, user: User, now: datetime) -> DigestLog | None:
    """Claim this week's digest for `user`; None when it was claimed already (sent or sending)."""
    week = week_start(now)
    last = DigestLog.objects.filter(user=user).order_by("-week").first()
    if last is not None and last.week >= week:
        return None
    since = last.created_at if last is not None else now - timedelta(days=7)
    try:
        with transaction.atomic():
            return DigestLog.objects.create(user=user, week=week, since=since, created_at=now)
    except IntegrityError:  # another run claimed it a moment ago
        return None


def on_item_seen(*, user, kind: str, object_id: int, also: tuple[tuple[str, int], ...] = ()) -> None:
    seen_record(user=user, kind=kind, object_id=object_id, also=also)


def subscribe() -> None:
    # Pages below announce what a member opened; no transaction to wait for on a GET.
    events.subscribe("item_seen", on_item_seen)


@transaction.atomic
def member_overview_data_erase(*, user: User) -> None:
    """A member's account is deleted (komdir.privacy): what they saw and their digests go."""
    SeenItem.objects.filter(user=user).delete()
    DigestLog.objects.filter(user=user).delete()
