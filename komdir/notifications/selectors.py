"""Reads: what a member follows, their preferences, who a notice goes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from circles.models import Attendance, AttendanceResponse, CircleMembership, viewer_circle_ids
from komdir.notifications.models import Follow, FollowKind, NotificationSettings
from members.models import User
from members.policies import is_member


@dataclass(frozen=True)
class Followed:
    """What a member follows, explicit rows and automatic follows together."""

    areas: frozenset[int]
    cases: frozenset[int]
    unfollowed_cases: frozenset[int]
    circles_on: frozenset[int] = frozenset()
    circles_off: frozenset[int] = frozenset()
    user: object = field(default=None, compare=False, repr=False)

    @cached_property
    def circles(self) -> frozenset[int]:
        """Circles followed: explicit follows, plus one's own circles not unfollowed. Read
        only when asked (a case page's follow button needs none of it)."""
        if self.user is None:
            return frozenset()
        return frozenset((self.circles_on | viewer_circle_ids(self.user)) - self.circles_off)

    def case_q(self, user, prefix: str = "") -> Q:
        """Cases followed: explicit follows, plus own cases not explicitly unfollowed."""
        return Q(**{f"{prefix}pk__in": self.cases}) | (
            Q(**{f"{prefix}author": user}) & ~Q(**{f"{prefix}pk__in": self.unfollowed_cases})
        )


def followed_get(user) -> Followed:
    """One query (and the circle memberships, when `circles` is read); cached on the user for
    the request."""
    cached = getattr(user, "_komdir_followed", None)
    if cached is not None:
        return cached
    if not is_member(user):
        return Followed(frozenset(), frozenset(), frozenset())
    on: dict[str, set[int]] = {kind: set() for kind in FollowKind.values}
    off: dict[str, set[int]] = {kind: set() for kind in FollowKind.values}
    for kind, object_id, active in Follow.objects.filter(user=user).values_list(
        "kind", "object_id", "active"
    ):
        (on if active else off)[kind].add(object_id)
    followed = Followed(
        areas=frozenset(on[FollowKind.FOCUS_AREA]),
        cases=frozenset(on[FollowKind.CASE]),
        unfollowed_cases=frozenset(off[FollowKind.CASE]),
        circles_on=frozenset(on[FollowKind.CIRCLE]),
        circles_off=frozenset(off[FollowKind.CIRCLE]),
        user=user,
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


def settings_get(user) -> NotificationSettings:
    """The member's settings; an unsaved row with the defaults when they never changed them."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


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
    if circle_id is None:
        return []
    qs = CircleMembership.objects.filter(circle_id=circle_id, user__is_active=True)
    if exclude_user_id is not None:
        qs = qs.exclude(user_id=exclude_user_id)
    return list(qs.values_list("user_id", flat=True).distinct())


def recipients_for_meeting_change(meeting) -> list[int]:
    """Those a moved or cancelled meeting concerns: the audience of the "new meeting" notice
    (the circle's members; nobody for an association-wide event) and whoever signed up
    (answered yes or maybe). The one who made the change too: their calendar needs it as well."""
    invited = recipients_for_circle(circle_id=meeting.circle_id, exclude_user_id=None)
    signed_up = Attendance.objects.filter(
        meeting=meeting,
        response__in=[AttendanceResponse.YES, AttendanceResponse.MAYBE],
        user__is_active=True,
    ).values_list("user_id", flat=True)
    return sorted(set(invited) | set(signed_up))


def recipients_for_position(position, *, before_region_id: int | None = None) -> list[int]:
    """The members a draft position is opened to: every active member, or those whose
    municipality lies in the chosen region; not the secretariat, who wrote it. `before_region_id`:
    the region it was open to until now, whose members have been told already."""
    qs = User.objects.filter(is_active=True, is_staff=False)
    if position.audience_region_id is not None:
        qs = qs.filter(profile__municipality__region_id=position.audience_region_id)
    if before_region_id is not None:
        qs = qs.exclude(profile__municipality__region_id=before_region_id)
    return list(qs.order_by("pk").values_list("pk", flat=True))


def recipients_for_consultation(consultation, *, area_ids=None, before=()) -> list[int]:
    """Active members who follow one of the focus areas a consultation touches (`area_ids`: only
    these, the ones just added; `before`: whoever follows these was told already)."""
    if area_ids is None:
        area_ids = list(consultation.focus_areas.values_list("pk", flat=True))
    if not area_ids:
        return []
    follows = Follow.objects.active().filter(kind=FollowKind.FOCUS_AREA)
    followers = follows.filter(object_id__in=area_ids, user__is_active=True).exclude(user__is_staff=True)
    told = (
        set(follows.filter(object_id__in=list(before)).values_list("user_id", flat=True)) if before else set()
    )
    return sorted(set(followers.values_list("user_id", flat=True)) - told)


def recipients_for_shared_draft(note) -> list[int]:
    """The meeting's participants (signed up or marked as present), active, not the one who
    shared it (the note's author writes it)."""
    qs = Attendance.objects.filter(meeting_id=note.meeting_id, user__is_active=True).filter(
        Q(response=AttendanceResponse.YES) | Q(attended=True)
    )
    if note.author_id is not None:
        qs = qs.exclude(user_id=note.author_id)
    return sorted(set(qs.values_list("user_id", flat=True)))
