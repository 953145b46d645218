"""Decisions, action items and draft comments follow their note (circles.policies.notes): who
may read the note reads them; who may edit the note adds and removes them. An action item's
owner marks it done (as does whoever runs the meeting)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from circles.decisions.models import ActionItem, Decision, NoteComment
from circles.models import MeetingNote
from circles.policies import _through
from circles.policies import meetings as meeting_policy
from circles.policies import notes as note_policy
from komdir.lib.policies import Conditions, Policy
from members.models import User

AnyUser = User | AnonymousUser


class _FollowsNote(Policy):
    ACTIONS = ("view", "create", "delete")

    def conditions(self, user: AnyUser) -> Conditions:
        return _through(note_policy.conditions(user), "note")

    def can_view(self, user: AnyUser, obj) -> bool:
        return note_policy.can_view(user, obj.note)

    def can_create(self, user: AnyUser, note: MeetingNote | None = None) -> bool:
        return note is not None and note_policy.can_edit(user, note)

    def can_delete(self, user: AnyUser, obj) -> bool:
        return note_policy.can_edit(user, obj.note)


class DecisionPolicy(_FollowsNote):
    model = Decision


class ActionItemPolicy(_FollowsNote):
    model = ActionItem
    ACTIONS = ("view", "create", "delete", "complete")

    def can_complete(self, user: AnyUser, action: ActionItem) -> bool:
        if not self.can_view(user, action):
            return False
        return action.owner_id == user.pk or meeting_policy.manages(user, action.note.meeting)


class NoteCommentPolicy(_FollowsNote):
    model = NoteComment

    def can_view(self, user: AnyUser, comment: NoteComment) -> bool:
        return note_policy.can_read(user, comment.note)

    def can_create(self, user: AnyUser, note: MeetingNote | None = None) -> bool:
        return note is not None and note_policy.can_comment_draft(user, note)

    def can_delete(self, user: AnyUser, comment: NoteComment) -> bool:
        return False


decisions = DecisionPolicy()
actions = ActionItemPolicy()
review_comments = NoteCommentPolicy()
