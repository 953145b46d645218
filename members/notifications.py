"""Follows, notification preferences and who gets which e-mail (issue 5).

Writes here follow the services rules (keyword-only, atomic); reads follow the selectors
rules. Every list of content goes through the models' `.visible_to(user)` querysets, so
nothing a member may not read reaches their overview, their mail or their digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from members.models import (
    PREFERENCE_FIELDS,
    DigestLog,
    Follow,
    FollowKind,
    NotificationSettings,
    SeenItem,
    SeenKind,
    User,
)
from members.permissions import is_member

# --- follows: reads -----------------------------------------------------------------------


@dataclass(frozen=True)
class Followed:
    """What a member follows, explicit rows and automatic follows together."""

    areas: frozenset[int]
    cases: frozenset[int]
    unfollowed_cases: frozenset[int]
    circles: frozenset[int]

    def case_q(self, user, prefix: str = "") -> Q:
        """Cases followed: explicit follows, plus own cases not explicitly unfollowed."""
        return Q(**{f"{prefix}pk__in": self.cases}) | (
            Q(**{f"{prefix}author": user}) & ~Q(**{f"{prefix}pk__in": self.unfollowed_cases})
        )


def followed_get(user) -> Followed:
    """One query (plus the cached circle memberships); cached on the user for the request."""
    from circles.models import viewer_circle_ids

    cached = getattr(user, "_komdir_followed", None)
    if cached is not None:
        return cached
    if not is_member(user):
        return Followed(frozenset(), frozenset(), frozenset(), frozenset())
    on: dict[str, set[int]] = {kind: set() for kind in FollowKind.values}
    off: dict[str, set[int]] = {kind: set() for kind in FollowKind.values}
    for kind, object_id, active in Follow.objects.filter(user=user).values_list(
        "kind", "object_id", "active"
    ):
        (on if active else off)[kind].add(object_id)
    circles = (on[FollowKind.CIRCLE] | set(viewer_circle_ids(user))) - off[FollowKind.CIRCLE]
    followed = Followed(
        areas=frozenset(on[FollowKind.FOCUS_AREA]),
        cases=frozenset(on[FollowKind.CASE]),
        unfollowed_cases=frozenset(off[FollowKind.CASE]),
        circles=frozenset(circles),
    )
    user._komdir_followed = followed
    return followed


def is_following(user, *, kind: str, obj) -> bool:
    followed = followed_get(user)
    if kind == FollowKind.FOCUS_AREA:
        return obj.pk in followed.areas
    if kind == FollowKind.CIRCLE:
        return obj.pk in followed.circles
    if obj.pk in followed.unfollowed_cases:
        return False
    return obj.pk in followed.cases or getattr(obj, "author_id", None) == user.pk


# --- follows: writes ----------------------------------------------------------------------


@transaction.atomic
def follow_set(*, user: User, kind: str, object_id: int, active: bool) -> Follow:
    """Follow or unfollow; an unfollow is kept as a row so automatic follows respect it."""
    if kind not in FollowKind.values:
        raise ValueError(kind)
    follow, created = Follow.objects.select_for_update().get_or_create(
        user=user, kind=kind, object_id=object_id, defaults={"active": active}
    )
    if not created and follow.active != active:
        follow.active = active
        follow.automatic = False
        follow.save(update_fields=["active", "automatic", "updated_at"])
    user.__dict__.pop("_komdir_followed", None)
    return follow


def follow_auto(*, user: User, kind: str, object_id: int) -> None:
    """Follow automatically unless the member has a row already (e.g. an explicit unfollow)."""
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(
                user=user, kind=kind, object_id=object_id, defaults={"active": True, "automatic": True}
            )
    except IntegrityError:  # a concurrent request created it: it stands
        pass


# --- preferences --------------------------------------------------------------------------


def settings_get(user) -> NotificationSettings:
    """The member's settings; an unsaved row with the defaults when they never changed them."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


@transaction.atomic
def settings_update(*, user: User, **changes: bool) -> NotificationSettings:
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"settings_update() got unexpected fields: {sorted(unknown)}")
    prefs, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    changed = [field for field, value in changes.items() if getattr(prefs, field) != bool(value)]
    for field in changed:
        setattr(prefs, field, bool(changes[field]))
    if changed:
        prefs.full_clean()
        prefs.save(update_fields=changed)
    return prefs


# --- what the member has read and seen ("Mit overblik") ----------------------------------------

# A first visit shows this much of what came before it.
OVERVIEW_FIRST_VISIT = timedelta(days=14)
# "Seneste 7 dage": the week's items, seen or not, read or not.
OVERVIEW_WEEK = timedelta(days=7)


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


# --- unsubscribe links ----------------------------------------------------------------------

UNSUBSCRIBE_SALT = "komdir.members.unsubscribe"
ALL = "all"


def unsubscribe_token(*, user: User, preference: str) -> str:
    if preference != ALL and preference not in PREFERENCE_FIELDS:
        raise ValueError(preference)
    return signing.dumps({"u": user.pk, "p": preference}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user: User, preference: str) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse(
        "members:unsubscribe", kwargs={"token": unsubscribe_token(user=user, preference=preference)}
    )


def unsubscribe_parse(token: str) -> tuple[User, str] | None:
    """The member and preference a link stands for; None for anything tampered or unknown."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    preference = data.get("p")
    if preference != ALL and preference not in PREFERENCE_FIELDS:
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        return None
    return user, preference


def unsubscribe_apply(*, user: User, preference: str) -> NotificationSettings:
    fields = PREFERENCE_FIELDS if preference == ALL else (preference,)
    return settings_update(user=user, **dict.fromkeys(fields, False))


# --- what is new for a member (overview and digest) ----------------------------------------------


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
    from circles.models import Meeting, MeetingNote
    from focus.models import Case, Comment

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
        seen(MeetingNote.objects.visible_to(user), "notes")
        .filter(published_at__gt=since, published_at__lte=until, meeting__circle_id__in=followed.circles)
        .select_related("meeting__circle")
        .defer("body", "body_html", "meeting__agenda", "meeting__agenda_html")
        .order_by("-published_at", "-pk")[:limit]
    )
    meetings = list(
        seen(Meeting.objects.not_cancelled(), "meetings")
        .filter(created_at__gt=since, created_at__lte=until, circle_id__in=followed.circles)
        .select_related("circle")
        .defer("agenda", "agenda_html")
        .order_by("starts_at", "pk")[:limit]
    )
    return {"cases": cases, "comments": comments, "notes": notes, "meetings": meetings}


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


def overview_data(*, user, visit: dict, week: bool = False) -> dict:
    """Everything "Mit overblik" shows for the `visit` that overview_visit() recorded.

    The news: what appeared since the read marker and the member has not seen. With `week`
    ("Seneste 7 dage"): everything of the last seven days, seen or not, each item's `is_new`
    telling whether it is still among the news.
    """
    from circles.selectors import meeting_list_upcoming_for
    from focus.models import Case, CaseStatus

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
        "drafts": drafts,
        "nothing_new": not any(new.values()),
    }


# --- who gets which notice ---------------------------------------------------------------------


def recipients_for_comment(comment) -> list[tuple[str, int]]:
    """(notice kind, user id): a reply goes to the parent's author, a case comment to the case's."""
    found: list[tuple[str, int]] = []
    if comment.parent_id is not None:
        parent_author = (
            type(comment).objects.filter(pk=comment.parent_id).values_list("author_id", flat=True).first()
        )
        if parent_author and parent_author != comment.author_id:
            found.append(("reply", parent_author))
    if comment.case_id is not None:
        case_author = comment.case.author_id
        if case_author != comment.author_id and all(uid != case_author for _kind, uid in found):
            found.append(("case_comment", case_author))
    return found


def recipients_for_circle(*, circle_id: int | None, exclude_user_id: int | None) -> list[int]:
    """Members of the circle (active), except the one who did it."""
    from circles.models import CircleMembership

    if circle_id is None:
        return []
    qs = CircleMembership.objects.filter(circle_id=circle_id, user__is_active=True)
    if exclude_user_id is not None:
        qs = qs.exclude(user_id=exclude_user_id)
    return list(qs.values_list("user_id", flat=True).distinct())


# --- hooks (registered in MembersConfig.ready) ---------------------------------------------------


def on_case_created(case) -> None:
    follow_auto(user=case.author, kind=FollowKind.CASE, object_id=case.pk)


def on_comment_added(comment) -> None:
    from members.tasks import send_notice

    if comment.case_id is not None:
        follow_auto(user=comment.author, kind=FollowKind.CASE, object_id=comment.case_id)
    for kind, user_id in recipients_for_comment(comment):
        send_notice.enqueue(kind=kind, object_id=comment.pk, user_id=user_id)


def on_note_published(note) -> None:
    from members.tasks import send_notice

    for user_id in recipients_for_circle(circle_id=note.meeting.circle_id, exclude_user_id=note.author_id):
        send_notice.enqueue(kind="circle_note", object_id=note.pk, user_id=user_id)


def recipients_for_meeting_change(meeting) -> list[int]:
    """Those a moved or cancelled meeting concerns: the audience of the "new meeting" notice
    (the circle's members; nobody for an association-wide event) and whoever signed up
    (answered yes or maybe). The one who made the change too: their calendar needs it as well."""
    from circles.models import Attendance, AttendanceResponse

    invited = recipients_for_circle(circle_id=meeting.circle_id, exclude_user_id=None)
    signed_up = Attendance.objects.filter(
        meeting=meeting,
        response__in=[AttendanceResponse.YES, AttendanceResponse.MAYBE],
        user__is_active=True,
    ).values_list("user_id", flat=True)
    return sorted(set(invited) | set(signed_up))


def on_meeting_created(meeting) -> None:
    from members.tasks import send_notice

    if meeting.starts_at <= timezone.now():
        return  # a meeting entered after it began (to keep its notes) is no invitation
    for user_id in recipients_for_circle(circle_id=meeting.circle_id, exclude_user_id=meeting.created_by_id):
        send_notice.enqueue(kind="circle_meeting", object_id=meeting.pk, user_id=user_id)


def _on_meeting_change(kind: str, meeting) -> None:
    from members.tasks import send_notice

    for user_id in recipients_for_meeting_change(meeting):
        send_notice.enqueue(kind=kind, object_id=meeting.pk, user_id=user_id, sequence=meeting.sequence)


def on_meeting_changed(meeting) -> None:
    _on_meeting_change("meeting_changed", meeting)


def on_meeting_cancelled(meeting) -> None:
    _on_meeting_change("meeting_cancelled", meeting)


def register_hooks() -> None:
    from circles import services as circle_services
    from focus import services as focus_services

    pairs = [
        (focus_services.on_commit_hooks, "case_created", on_case_created),
        (focus_services.on_commit_hooks, "comment_added", on_comment_added),
        (circle_services.on_commit_hooks, "note_published", on_note_published),
        (circle_services.on_commit_hooks, "meeting_created", on_meeting_created),
        (circle_services.on_commit_hooks, "meeting_changed", on_meeting_changed),
        (circle_services.on_commit_hooks, "meeting_cancelled", on_meeting_cancelled),
    ]
    for registry, event, hook in pairs:
        if hook not in registry[event]:
            registry[event].append(hook)


# --- weekly digest -----------------------------------------------------------------------


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


def digest_recipients() -> list[User]:
    """Active members who have not switched the digest off."""
    off = NotificationSettings.objects.filter(weekly_digest=False).values("user_id")
    return list(User.objects.filter(is_active=True).exclude(pk__in=off).order_by("pk"))
