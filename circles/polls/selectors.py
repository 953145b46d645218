"""Reads for the poll pages, the meeting page and the overview. Each list is a fixed number of
queries however many polls, options and votes there are."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from circles.models import CircleMembership
from circles.polls.models import Participation, Poll, PollOption, Vote
from circles.polls.policies import polls as policy
from members.models import User
from members.policies import is_member


def _with_flags(qs: QuerySet, viewer) -> QuerySet:
    voted = Participation.objects.filter(poll=OuterRef("pk"), user_id=getattr(viewer, "pk", None))
    return qs.select_related("circle").annotate(
        voted=Exists(voted), participant_count=Count("participations", distinct=True)
    )


def poll_list(*, viewer) -> dict[str, list[Poll]]:
    """The polls `viewer` may see: open (soonest closing first), upcoming and closed (newest first)."""
    now = timezone.now()
    polls = list(_with_flags(policy.visible(viewer, Poll.objects.all()), viewer).order_by("closes_at", "pk"))
    for poll in polls:
        poll.can_vote_now = policy.can_vote(viewer, poll) and not (poll.voted and poll.anonymous)
    return {
        "open": [p for p in polls if p.opens_at <= now < p.closes_at],
        "upcoming": [p for p in polls if now < p.opens_at],
        "closed": sorted((p for p in polls if p.closes_at <= now), key=lambda p: p.closes_at, reverse=True),
    }


def poll_get(*, pk: int, viewer) -> Poll | None:
    if not is_member(viewer):
        return None
    return (
        policy.visible(
            viewer, Poll.objects.select_related("circle", "meeting", "closed_early_by", "position")
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class OptionResult:
    option: PollOption
    count: int
    share: float  # 0..100, of those who voted

    @property
    def share_label(self) -> str:
        return f"{self.share:.0f}"


def poll_results(*, poll: Poll) -> tuple[list[OptionResult], int]:
    """Counts per option and the number of votes (a vote in a multiple-choice poll counts once
    per option chosen, so the shares may add up to more than 100)."""
    options = list(
        PollOption.objects.filter(poll=poll).annotate(count=Count("choices")).order_by("position", "pk")
    )
    voters = Vote.objects.filter(poll=poll).count()
    return [
        OptionResult(option=o, count=o.count, share=(100 * o.count / voters) if voters else 0.0)
        for o in options
    ], voters


def own_vote(*, poll: Poll, viewer) -> Vote | None:
    """The viewer's vote in a named poll (an anonymous one cannot be found)."""
    if poll.anonymous or not is_member(viewer):
        return None
    return Vote.objects.filter(poll=poll, voter=viewer).prefetch_related("options").first()


def has_voted(*, poll: Poll, viewer) -> bool:
    return is_member(viewer) and Participation.objects.filter(poll=poll, user=viewer).exists()


def named_votes(*, poll: Poll) -> list[Vote]:
    """Who voted what, for a named poll: the voters with their municipality, by name."""
    if poll.anonymous:
        return []
    return list(
        Vote.objects.filter(poll=poll, voter__isnull=False)
        .select_related("voter__profile__municipality")
        .prefetch_related(Prefetch("options", queryset=PollOption.objects.order_by("position", "pk")))
        .order_by("voter__first_name", "voter__last_name", "voter_id")
    )


def anonymous_comments(*, poll: Poll) -> list[str]:
    """An anonymous poll's comments, in alphabetical order (nothing about who or when)."""
    return sorted(c for c in Vote.objects.filter(poll=poll).values_list("comment", flat=True) if c)


def meeting_polls(*, meeting, viewer) -> dict:
    """For the meeting's page: its polls and whether the viewer may open one."""
    return {
        "polls": polls_for_meeting(meeting=meeting, viewer=viewer),
        "can_create_poll": not meeting.is_cancelled and policy.can_create(viewer, meeting.circle, meeting),
    }


def polls_for_meeting(*, meeting, viewer) -> list[Poll]:
    return list(
        _with_flags(policy.visible(viewer, Poll.objects.filter(meeting=meeting)), viewer).order_by(
            "opens_at", "pk"
        )
    )


def open_polls_queryset(*, viewer, now=None):
    """Open polls `viewer` is asked in and has not voted in (None: none for this viewer). In SQL
    alone: a member sees the polls for all and their own circles' (policies), the very polls
    they are asked in; the secretariat's staff are asked in none."""
    if not is_member(viewer) or getattr(viewer, "is_staff", False):
        return None
    return policy.visible(viewer, Poll.objects.open(now)).exclude(participations__user=viewer)


def open_polls_for(*, viewer, now=None) -> list[Poll]:
    """The same, as polls: for the weekly digest."""
    qs = open_polls_queryset(viewer=viewer, now=now)
    if qs is None:
        return []
    return [p for p in qs.select_related("circle").order_by("closes_at", "pk") if policy.may_vote(viewer, p)]


def poll_submitted(*, actor, submission_token: str) -> Poll | None:
    if not submission_token:
        return None
    return Poll.objects.filter(created_by=actor, submission_token=submission_token).first()


def eligible_voter_ids(*, poll: Poll) -> list[int]:
    """Those a poll asks: active members who are not the secretariat's staff, of the poll's circle."""
    if poll.circle_id is None:
        qs = User.objects.filter(is_active=True, is_staff=False)
    else:
        ids = CircleMembership.objects.filter(circle_id=poll.circle_id).values("user_id")
        qs = User.objects.filter(is_active=True, is_staff=False, pk__in=ids)
    return list(qs.order_by("pk").values_list("pk", flat=True))
