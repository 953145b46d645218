"""Who may see, vote in and run a poll (PRODUCT.md's matrix; docs/permissions.md).

- a poll for all members is seen by every member, a circle's poll only by that circle's members
  (and the secretariat): to anyone else it does not exist (404, in no list, mail or overview);
- members vote, the secretariat's staff do not (they run the poll); a circle's poll is voted on
  by the circle's members; a departed or deactivated member can no longer vote;
- the secretariat opens, changes and closes every poll and exports results; a circle's lead
  does so for the circle's polls;
- the results are shown to those who voted (or only after closing, as the poll says), to
  everyone who sees the poll once it is closed, and always to those who run it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from circles.models import Circle, Meeting, viewer_circle_ids
from circles.policies import circles as circle_policy
from circles.policies import meetings as meeting_policy
from circles.polls.models import Poll, PollStatus, ResultsShown
from focus.voice.policies import positions as position_policy
from komdir.lib.policies import EVERYTHING, NOTHING, Conditions, Policy
from members.models import User
from members.policies import is_member, is_secretariat

AnyUser = User | AnonymousUser


class PollPolicy(Policy):
    model = Poll
    ACTIONS = ("view", "create", "edit", "close", "delete", "vote", "export", "view_results")

    def conditions(self, user: AnyUser) -> Conditions:
        if not is_member(user):
            return NOTHING
        if is_secretariat(user):
            return EVERYTHING
        return ({"circle_id": None}, {"circle_id__in": sorted(viewer_circle_ids(user))})

    def can_create(
        self, user: AnyUser, circle: Circle | None = None, meeting: Meeting | None = None, position=None
    ) -> bool:
        """A poll of `circle`; without one, a poll for all members (the secretariat's); about a
        meeting or a draft position the user may see."""
        if meeting is not None and not meeting_policy.can_view(user, meeting):
            return False
        if position is not None and not position_policy.can_view(user, position):
            return False
        return circle_policy.can_manage(user, circle)

    def manages(self, user: AnyUser, poll: Poll) -> bool:
        return circle_policy.can_manage(user, poll.circle)

    def can_edit(self, user: AnyUser, poll: Poll) -> bool:
        return self.manages(user, poll) and poll.status() != PollStatus.CLOSED

    def can_close(self, user: AnyUser, poll: Poll) -> bool:
        return self.can_edit(user, poll)

    def can_delete(self, user: AnyUser, poll: Poll) -> bool:
        """Only the secretariat removes a poll, votes and all (a poll opened by mistake)."""
        return is_secretariat(user)

    def may_vote(self, user: AnyUser, poll: Poll) -> bool:
        """Whether `user` is among those the poll asks, open or not."""
        if not is_member(user) or is_secretariat(user):
            return False
        return poll.circle_id is None or poll.circle_id in viewer_circle_ids(user)

    def can_vote(self, user: AnyUser, poll: Poll) -> bool:
        return poll.status() == PollStatus.OPEN and self.may_vote(user, poll)

    def can_export(self, user: AnyUser, poll: Poll) -> bool:
        return is_secretariat(user)

    def can_view_results(self, user: AnyUser, poll: Poll, *, voted: bool = False) -> bool:
        """`voted`: whether `user` has voted in `poll` (the page knows it)."""
        if not self.can_view(user, poll):
            return False
        if self.manages(user, poll) or poll.is_closed:
            return True
        return voted and poll.results_shown == ResultsShown.AFTER_VOTE


polls = PollPolicy()
