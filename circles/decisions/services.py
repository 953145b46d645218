"""Every write to decisions, action items and draft comments."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from circles.decisions.models import ActionItem, ActionStatus, Decision, NoteComment
from circles.decisions.policies import actions as action_policy
from circles.decisions.policies import decisions as decision_policy
from circles.decisions.policies import review_comments as comment_policy
from circles.models import CircleMembership, MeetingNote, NoteVisibility
from members.models import User


@transaction.atomic
def decision_add(*, actor: User, note: MeetingNote, text: str, focus_areas=(), questions=()) -> Decision:
    if not decision_policy.can_create(actor, note):
        raise PermissionDenied
    decision = Decision(note=note, text=text.strip(), created_by=actor)
    decision.full_clean(exclude=["focus_areas", "questions"])
    decision.save()
    decision.focus_areas.set(list(focus_areas))
    decision.questions.set(list(questions))
    return decision


@transaction.atomic
def decision_delete(*, actor: User, decision: Decision) -> None:
    if not decision_policy.can_delete(actor, decision):
        raise PermissionDenied
    decision.delete()


def owner_candidates(note: MeetingNote):
    """Who can own an action: active members who will read the published note (the circle's,
    for notes for the circle only)."""
    qs = User.objects.filter(is_active=True, is_staff=False)
    if note.visibility == NoteVisibility.CIRCLE and note.meeting.circle_id is not None:
        qs = qs.filter(
            pk__in=CircleMembership.objects.filter(circle_id=note.meeting.circle_id).values("user_id")
        )
    return qs.order_by("first_name", "last_name", "pk")


@transaction.atomic
def action_add(
    *, actor: User, note: MeetingNote, text: str, owner: User, due_date: date | None = None
) -> ActionItem:
    if not action_policy.can_create(actor, note):
        raise PermissionDenied
    if not owner_candidates(note).filter(pk=owner.pk).exists():
        raise ValidationError(
            {"owner": _("Den ansvarlige skal kunne læse referatet: vælg et medlem af kredsen.")}, code="owner"
        )
    action = ActionItem(note=note, text=text.strip(), owner=owner, due_date=due_date, created_by=actor)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_set_done(*, actor: User, action: ActionItem, done: bool) -> ActionItem:
    action = (
        ActionItem.objects.select_for_update(of=("self",)).select_related("note__meeting").get(pk=action.pk)
    )
    if not action_policy.can_complete(actor, action):
        raise PermissionDenied
    status = ActionStatus.DONE if done else ActionStatus.OPEN
    if action.status != status:
        action.status = status
        action.done_at, action.done_by = (timezone.now(), actor) if done else (None, None)
        action.save(update_fields=["status", "done_at", "done_by"])
    return action


@transaction.atomic
def action_delete(*, actor: User, action: ActionItem) -> None:
    if not action_policy.can_delete(actor, action):
        raise PermissionDenied
    action.delete()


@transaction.atomic
def note_comment_add(*, author: User, note: MeetingNote, body: str) -> NoteComment:
    if not comment_policy.can_create(author, note):
        raise PermissionDenied
    comment = NoteComment(note=note, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def member_decisions_data_erase(*, user: User, delete_contributions: bool) -> int:
    """A member's account is deleted (komdir.privacy). Their comments on shared drafts are
    contributions: they stay under "Tidligere medlem" unless the member chose to take what they
    wrote with them. Actions they owned stay on the notes (the lead reassigns or closes them)."""
    if not delete_contributions:
        return 0
    deleted, _per_model = NoteComment.objects.filter(author=user).delete()
    return deleted
