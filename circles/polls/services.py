"""Every write to polls: open, change, close, delete; vote; erase a member's part."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from circles.models import Circle, Meeting
from circles.polls.models import (
    PROPOSAL_OPTIONS,
    Participation,
    Poll,
    PollKind,
    PollOption,
    ResultsShown,
    Vote,
    VoteChoice,
)
from circles.polls.policies import polls as policy
from focus.voice.models import Position
from komdir.lib import events
from komdir.lib.markdown import render_markdown
from members.models import User

MAX_OPTIONS = 20
# What may change once someone has voted: the wording around the question and the closing time,
# never the options or how votes are kept (that would change what the votes mean).
FIELDS_AFTER_FIRST_VOTE = ("question", "description", "closes_at", "results_shown")
POLL_FIELDS = ("question", "description", "kind", "anonymous", "results_shown", "opens_at", "closes_at")


class VoteError(ValidationError):
    """A vote that cannot be taken; the message says why, in Danish."""


def _clean_options(kind: str, options: Sequence[str]) -> list[str]:
    if kind == PollKind.PROPOSAL:
        return [str(label) for label in PROPOSAL_OPTIONS]
    cleaned: list[str] = []
    for label in options:
        label = " ".join(str(label).split())
        if label and label.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(label)
    if len(cleaned) < 2:
        raise ValidationError({"options": _("Skriv mindst to forskellige svarmuligheder.")})
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError({"options": _("Der kan højst være %(n)s svarmuligheder.") % {"n": MAX_OPTIONS}})
    if any(len(label) > 200 for label in cleaned):
        raise ValidationError({"options": _("En svarmulighed kan højst være 200 tegn.")})
    return cleaned


def _check_position(position: Position | None, circle: Circle | None) -> None:
    """A temperature check asks those the draft is open to: all members, while it is in
    consultation (members cannot vote on a text they cannot read)."""
    if position is None:
        return
    if circle is not None or not position.is_open_to_members or position.audience_region_id is not None:
        raise ValidationError(
            {"position": _("En temperaturmåling kræver, at udkastet er sendt i høring hos alle medlemmer.")},
            code="position_not_open",
        )


def _check_meeting(meeting: Meeting | None, circle: Circle | None) -> None:
    if meeting is not None and meeting.circle_id != (circle.pk if circle else None):
        raise ValidationError({"meeting": _("Mødet hører til en anden kreds end afstemningen.")})


@transaction.atomic
def poll_create(
    *,
    actor: User,
    question: str,
    options: Sequence[str] = (),
    opens_at: datetime,
    closes_at: datetime,
    circle: Circle | None = None,
    meeting: Meeting | None = None,
    position: Position | None = None,
    kind: str = PollKind.SINGLE,
    anonymous: bool = False,
    results_shown: str = ResultsShown.AFTER_VOTE,
    description: str = "",
    submission_token: str = "",
) -> Poll:
    """Open a poll. Those who may vote are told when it is created ("polls.poll_created")."""
    if not policy.can_create(actor, circle, meeting, position):
        raise PermissionDenied
    twin = Poll.objects.filter(created_by=actor, submission_token=submission_token)
    if submission_token and twin.exists():
        return twin.get()
    labels = _clean_options(kind, options)
    _check_meeting(meeting, circle)
    _check_position(position, circle)
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("Afstemningen skal lukke efter nu.")})
    poll = Poll(
        circle=circle,
        meeting=meeting,
        position=position,
        question=question,
        description=description,
        description_html=render_markdown(description),
        kind=kind,
        anonymous=anonymous,
        results_shown=results_shown,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
        submission_token=submission_token,
    )
    _full_clean(poll)
    try:
        with transaction.atomic():  # a concurrent twin of this submit: its poll, not a 500
            poll.save()
    except IntegrityError:
        if submission_token and twin.exists():
            return twin.get()
        raise
    PollOption.objects.bulk_create(
        PollOption(poll=poll, label=label, position=i) for i, label in enumerate(labels, start=1)
    )
    events.emit("polls.poll_created", poll=poll)
    return poll


def _full_clean(poll: Poll) -> None:
    if poll.closes_at and poll.opens_at and poll.closes_at <= poll.opens_at:
        raise ValidationError({"closes_at": _("Afstemningen skal lukke efter, den er åbnet.")})
    poll.full_clean(exclude=["circle", "meeting", "created_by", "closed_early_by"])


@transaction.atomic
def poll_update(*, actor: User, poll: Poll, options: Sequence[str] | None = None, **changes) -> Poll:
    """Change a poll that has not closed. Once someone has voted, only the wording and the
    closing time change; the options, the type and secrecy stay as they were voted on."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not policy.can_edit(actor, poll):
        raise PermissionDenied
    unknown = set(changes) - set(POLL_FIELDS)
    if unknown:
        raise TypeError(f"poll_update() got unexpected fields: {sorted(unknown)}")
    voted = poll.participations.exists()
    current = [o.label for o in poll.options.all()]
    changed = [field for field, value in changes.items() if getattr(poll, field) != value]
    new_labels = None
    if options is not None or "kind" in changed:
        new_labels = _clean_options(changes.get("kind", poll.kind), current if options is None else options)
        if new_labels == current:
            new_labels = None
    if voted and (new_labels is not None or set(changed) - set(FIELDS_AFTER_FIRST_VOTE)):
        raise ValidationError(
            _(
                "Der er allerede stemt. Nu kan kun spørgsmålet, baggrunden, lukketidspunktet og hvornår "
                "resultatet vises ændres."
            )
        )
    if "closes_at" in changed and changes["closes_at"] <= timezone.now():
        raise ValidationError(
            {
                "closes_at": _(
                    "Afstemningen skal lukke efter nu. Vil du lukke den nu, "
                    "så brug knappen “Luk afstemningen”."
                )
            }
        )
    for field in changed:
        setattr(poll, field, changes[field])
    if "description" in changed:
        poll.description_html = render_markdown(poll.description)
    _full_clean(poll)
    if changed:
        poll.save(update_fields=[*changed, "description_html", "updated_at"])
    if new_labels is not None:
        poll.options.all().delete()
        PollOption.objects.bulk_create(
            PollOption(poll=poll, label=label, position=i) for i, label in enumerate(new_labels, start=1)
        )
    return poll


@transaction.atomic
def poll_close(*, actor: User, poll: Poll) -> Poll:
    """Close now (a poll that had not opened yet never opens)."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not policy.can_close(actor, poll):
        raise PermissionDenied
    now = timezone.now()
    poll.opens_at = min(poll.opens_at, now - timezone.timedelta(microseconds=1))
    poll.closes_at = now
    poll.closed_early_by = actor
    poll.save(update_fields=["opens_at", "closes_at", "closed_early_by", "updated_at"])
    return poll


@transaction.atomic
def poll_delete(*, actor: User, poll: Poll) -> None:
    if not policy.can_delete(actor, poll):
        raise PermissionDenied
    poll.delete()


def _chosen(poll: Poll, option_ids: Sequence[int]) -> list[PollOption]:
    wanted = {int(pk) for pk in option_ids}
    chosen = [o for o in poll.options.all() if o.pk in wanted]
    if len(chosen) != len(wanted) or not chosen:
        raise VoteError(_("Vælg et af svarene.") if not poll.allows_several else _("Vælg mindst ét svar."))
    if len(chosen) > 1 and not poll.allows_several:
        raise VoteError(_("Vælg kun ét svar."))
    return chosen


@transaction.atomic
def vote_cast(*, user: User, poll: Poll, option_ids: Sequence[int], comment: str = "") -> Vote:
    """Vote, or change one's vote while the poll is open (named polls; an anonymous vote cannot
    be found again to change it). The poll's row is locked, so a vote and the closing of the poll
    never cross: a vote counts only if it was taken before the poll closed."""
    poll = Poll.objects.select_for_update(of=("self",)).select_related("circle").get(pk=poll.pk)
    if not policy.can_view(user, poll) or not policy.may_vote(user, poll):
        raise PermissionDenied
    if not poll.is_open:
        raise VoteError(
            _("Afstemningen er lukket, så din stemme kom ikke med.")
            if poll.is_closed
            else _("Afstemningen er ikke åbnet endnu.")
        )
    chosen = _chosen(poll, option_ids)
    comment = comment.strip()
    now = timezone.now()
    try:
        with transaction.atomic():
            Participation.objects.create(poll=poll, user=user, voted_at=now)
        first = True
    except IntegrityError:
        first = False
    if poll.anonymous:
        if not first:
            raise VoteError(
                _("Du har allerede stemt. Afstemningen er hemmelig, så din stemme kan ikke ændres.")
            )
        vote = Vote.objects.create(poll=poll, comment=comment)
    elif first:
        vote = Vote.objects.create(poll=poll, voter=user, comment=comment, cast_at=now)
    else:
        vote = Vote.objects.select_for_update().get(poll=poll, voter=user)
        vote.comment = comment
        vote.changed_at = now
        vote.save(update_fields=["comment", "changed_at"])
        vote.choices.all().delete()
    VoteChoice.objects.bulk_create(VoteChoice(vote=vote, option=option) for option in chosen)
    return vote


@transaction.atomic
def member_poll_data_erase(*, user: User) -> None:
    """A member's account is deleted (komdir.privacy): their votes stay in the counts, no longer
    theirs; the record that they took part goes."""
    Vote.objects.filter(voter=user).update(voter=None, cast_at=None, changed_at=None)
    Participation.objects.filter(user=user).delete()
