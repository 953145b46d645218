"""Reads: what is new for a member in what they follow, and whether they have seen it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import timezone

from circles.models import Meeting, MeetingNote
from circles.selectors import meeting_list_upcoming_for
from focus.models import Case, CaseStatus, Comment
from komdir.notifications.models import NotificationSettings
from komdir.notifications.selectors import followed_get
from komdir.overview.models import SeenItem, SeenKind
from komdir.overview.waiting import waiting_for
from members.models import User
from members.policies import is_member

# A first visit shows this much of what came before it.
OVERVIEW_FIRST_VISIT = timedelta(days=14)
# "Seneste 7 dage": the week's items, seen or not, read or not.
OVERVIEW_WEEK = timedelta(days=7)


def overview_state(*, user: User) -> tuple[datetime | None, datetime | None]:
    """(read marker, latest sighting) in one query: what the overview's cached fragment hangs on."""
    latest = SeenItem.objects.filter(user=OuterRef("user")).order_by("-seen_at").values("seen_at")[:1]
    row = (
        NotificationSettings.objects.filter(user=user)
        .annotate(latest_seen=Subquery(latest))
        .values_list("overview_read_at", "latest_seen")
        .first()
    )
    return row or (None, None)


# The overview and the digest list titles and links, never these texts (a comment's own
# `body` stays: both show its beginning).
_CASE_TEXTS = ("summary", "body", "body_html")


def _seen(user, kind: str, *, object_id: str = "pk", since: str | None = None) -> Exists:
    """Whether `user` has a sighting of the row's `object_id` (at or after its `since` field)."""
    found = SeenItem.objects.filter(user=user, kind=kind, object_id=OuterRef(object_id))
    if since is not None:
        found = found.filter(seen_at__gte=OuterRef(since))
    return Exists(found)


def _seen_flags(user) -> dict:
    """Per list, the `is_seen` expression: the item itself, or (comments) the page it lives on,
    opened after the comment was written. EXISTS on the unique (user, kind, object_id) index."""
    return {
        "cases": _seen(user, SeenKind.CASE, since="published_at"),
        "comments": _seen(user, SeenKind.COMMENT)
        | _seen(user, SeenKind.CASE, object_id="case_id", since="created_at")
        | _seen(user, SeenKind.QUESTION, object_id="question_id", since="created_at")
        | (
            Q(case__isnull=True, question__isnull=True)
            & _seen(user, SeenKind.AREA, object_id="focus_area_id", since="created_at")
        ),
        "notes": _seen(user, SeenKind.NOTE),
        "meetings": _seen(user, SeenKind.MEETING),
    }


def whats_new_for(
    *, user, since: datetime, limit: int = 20, until: datetime | None = None, unseen_only: bool = False
) -> dict:
    """New content in what `user` follows since `since`, each list capped at `limit`.

    Each item carries `is_seen`: the member opened it (or the page it lives on) since it
    appeared; `unseen_only` leaves those out ("Mit overblik"; the digest lists them all).

    Cases: published in followed areas or followed cases (never the member's own).
    Comments: on followed or own cases, in followed areas' discussions, replies to the member.
    Notes and new meetings: of followed circles. Every list through `.visible_to(user)`.
    """
    if not is_member(user):
        return {"cases": [], "comments": [], "notes": [], "meetings": []}
    until = until or timezone.now()
    followed = followed_get(user)
    flags = _seen_flags(user)

    def seen(qs, name):
        qs = qs.annotate(is_seen=ExpressionWrapper(flags[name], output_field=BooleanField()))
        return qs.filter(is_seen=False) if unseen_only else qs

    # The member's own cases are followed too, but never new to them: only areas and explicit
    # case follows can bring a case here, and without either there is nothing to look up.
    cases = []
    if followed.areas or followed.cases:
        cases = list(
            seen(Case.objects.visible_to(user), "cases")
            .published()
            .filter(published_at__gt=since, published_at__lte=until)
            .filter(Q(focus_area_id__in=followed.areas) | Q(pk__in=followed.cases))
            .exclude(author=user)
            .select_related("focus_area", "author", "municipality")
            .defer(*_CASE_TEXTS)
            .order_by("-published_at", "-pk")[:limit]
        )
    # The three ways a comment concerns the member are written as `IN (subquery)` on the
    # comment's own columns: an OR across the joined case and parent rows made PostgreSQL
    # hash-join every comment of the period (about 90 ms for two weeks at 100 000 comments).
    followed_cases = Case.objects.filter(followed.case_q(user)).values("pk")
    own_comments = Comment.objects.filter(author=user).values("pk")
    on_case = Q(case_id__in=followed_cases)
    in_area = Q(case__isnull=True, focus_area_id__in=followed.areas)
    reply = Q(parent_id__in=own_comments)
    comments = list(
        seen(Comment.objects.visible_to(user), "comments")
        .not_deleted()
        .filter(created_at__gt=since, created_at__lte=until)
        .filter(on_case | in_area | reply)
        .exclude(author=user)
        .select_related("author", "case", "focus_area__period", "parent")
        .defer("body_html", *(f"case__{field}" for field in _CASE_TEXTS), "parent__body", "parent__body_html")
        .order_by("-created_at", "-pk")[:limit]
    )
    notes = list(
        seen(MeetingNote.objects.published().visible_to(user), "notes")
        .filter(published_at__gt=since, published_at__lte=until, meeting__circle_id__in=followed.circles)
        .select_related("meeting__circle")
        .defer("body", "body_html", "meeting__agenda", "meeting__agenda_html")
        .order_by("-published_at", "-pk")[:limit]
    )
    meetings = list(
        seen(Meeting.objects.visible_to(user).not_cancelled(), "meetings")
        .filter(created_at__gt=since, created_at__lte=until, circle_id__in=followed.circles)
        .select_related("circle")
        .defer("agenda", "agenda_html")
        .order_by("starts_at", "pk")[:limit]
    )
    return {"cases": cases, "comments": comments, "notes": notes, "meetings": meetings}


def overview_data(*, user, visit: dict, week: bool = False) -> dict:
    """Everything "Mit overblik" shows for the `visit` that overview_visit() recorded.

    The news: what appeared since the read marker and the member has not seen. With `week`
    ("Seneste 7 dage"): everything of the last seven days, seen or not, each item's `is_new`
    telling whether it is still among the news.
    """
    if week:
        new = whats_new_for(user=user, since=visit["now"] - OVERVIEW_WEEK, until=visit["now"])
        moments = {"cases": "published_at", "comments": "created_at", "notes": "published_at"}
        for name, items in new.items():
            for item in items:
                appeared = getattr(item, moments.get(name, "created_at"))
                item.is_new = not item.is_seen and appeared > visit["since"]
    else:
        new = whats_new_for(user=user, since=visit["since"], until=visit["now"], unseen_only=True)
    drafts = list(
        Case.objects.filter(author=user, status=CaseStatus.DRAFT, hidden_at__isnull=True)
        .select_related("focus_area")
        .order_by("-updated_at")[:10]
    )
    return {
        **new,
        "week": week,
        "since": visit["since"],
        "until": visit["now"],
        "first_visit": visit["first_visit"],
        "upcoming": meeting_list_upcoming_for(viewer=user, limit=5),
        **waiting_for(user=user),
        "drafts": drafts,
        "nothing_new": not any(new.values()),
    }


def digest_recipients() -> list[User]:
    """Active members who have not switched the digest off."""
    off = NotificationSettings.objects.filter(weekly_digest=False).values("user_id")
    return list(User.objects.filter(is_active=True).exclude(pk__in=off).order_by("pk"))
