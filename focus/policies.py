"""Who may see and do what in focus/: one policy per model (komdir.lib.policies). The only place
these rules live; the models' `visible_to()` and `browsable()` ask them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from focus.models import BROWSABLE_PERIODS, Case, CaseStatus, Comment, FocusArea, Report
from komdir.lib.policies import EVERYTHING, NOTHING, Conditions, Policy, conditions_q
from members.models import User
from members.policies import is_member, is_secretariat

AnyUser = User | AnonymousUser


def viewer_kind(user: AnyUser) -> str:
    """The kind of reader: everyone of a kind reads the same (cache keys use it)."""
    if is_secretariat(user):
        return "secretariat"
    if is_member(user):
        return "member"
    return "visitor"


class AreaPolicy(Policy):
    """Focus areas: every period but one still being prepared is browsable, by everyone."""

    model = FocusArea
    ACTIONS = ("view", "comment")

    def conditions(self, user: AnyUser | None) -> Conditions:
        return ({"period__status__in": BROWSABLE_PERIODS},)

    def visible_through(self, relation: str, user: AnyUser | None, qs: QuerySet) -> QuerySet:
        """The rows of `qs` whose `relation` is an area `user` may see (a question's `focus_area`)."""
        conditions = self.conditions(user)
        if conditions == EVERYTHING:
            return qs
        found = conditions_q(tuple({f"{relation}__{k}": v for k, v in c.items()} for c in conditions))
        return qs.filter(found)

    def can_comment(self, user: AnyUser, area: FocusArea) -> bool:
        """Comment on the area or one of its guiding questions: an archived period is read only."""
        return is_member(user) and self.can_view(user, area) and not area.period.is_archived


class CasePolicy(Policy):
    model = Case
    ACTIONS = ("view", "create", "edit", "publish", "comment", "report", "moderate")

    def conditions(self, user: AnyUser) -> Conditions:
        """visitor: published, public, not hidden; member: published and not hidden, plus own
        drafts not hidden; secretariat: published including hidden (marked in the page), plus
        own drafts. Other people's drafts are private to their author for everyone."""
        kind = viewer_kind(user)
        if kind == "visitor":
            return ({"status": CaseStatus.PUBLISHED, "is_public": True, "hidden_at__isnull": True},)
        own_draft = {"status": CaseStatus.DRAFT, "author_id": user.pk}
        if kind == "secretariat":
            return ({"status": CaseStatus.PUBLISHED}, own_draft)
        return (
            {"status": CaseStatus.PUBLISHED, "hidden_at__isnull": True},
            {**own_draft, "hidden_at__isnull": True},
        )

    def can_create(self, user: AnyUser) -> bool:
        return is_member(user)

    def can_edit(self, user: AnyUser, case: Case) -> bool:
        # Only the author edits in the portal; the secretariat edits and hides in admin.
        return is_member(user) and case.author_id == user.pk and not case.is_hidden

    def can_publish(self, user: AnyUser, case: Case) -> bool:
        return self.can_edit(user, case)

    def can_comment(self, user: AnyUser, case: Case) -> bool:
        return (
            is_member(user)
            and case.status == CaseStatus.PUBLISHED
            and not case.is_hidden
            and self.can_view(user, case)
        )

    def can_report(self, user: AnyUser, case: Case) -> bool:
        return is_member(user) and case.status == CaseStatus.PUBLISHED and self.can_view(user, case)

    def can_moderate(self, user: AnyUser, case: Case | None = None) -> bool:
        """Hide, restore and edit anyone's case (in admin)."""
        return is_secretariat(user)


class CommentPolicy(Policy):
    """Soft-deleted comments stay visible (threads show a placeholder)."""

    model = Comment
    ACTIONS = ("view", "list", "create", "reply", "edit", "delete", "report", "moderate")

    def actions_without_object(self):
        return ("create", "list")

    def conditions(self, user: AnyUser) -> Conditions:
        """Visitors read no comments. Members read comments that are not hidden, under a parent
        that is not hidden, on areas, questions and published cases that are not hidden; the
        secretariat also reads hidden ones. No one reads comments on a draft (none can be made)."""
        kind = viewer_kind(user)
        if kind == "visitor":
            return NOTHING
        if kind == "secretariat":
            return ({"case_id__isnull": True}, {"case__status": CaseStatus.PUBLISHED})
        # An empty relation reads as NULL: `parent__hidden_at__isnull` holds for a top-level comment.
        # `case_id` first: a comment on no case is decided without loading anything.
        shown = {"hidden_at__isnull": True, "parent__hidden_at__isnull": True}
        return (
            {"case_id__isnull": True, **shown},
            {**shown, "case__status": CaseStatus.PUBLISHED, "case__hidden_at__isnull": True},
        )

    def can_list(self, user: AnyUser) -> bool:
        """Read discussions at all."""
        return is_member(user)

    def can_create(self, user: AnyUser) -> bool:
        return is_member(user)

    def can_reply(self, user: AnyUser, comment: Comment) -> bool:
        # One level of replies: a reply is always to a top-level comment.
        return (
            self.can_view(user, comment)
            and comment.parent_id is None
            and not comment.is_deleted
            and not comment.is_hidden
            and (comment.case_id is None or cases.can_comment(user, comment.case))
        )

    def can_edit(self, user: AnyUser, comment: Comment) -> bool:
        return (
            is_member(user)
            and comment.author_id == user.pk
            and not comment.is_deleted
            and not comment.is_hidden
            and self.can_view(user, comment)
        )

    def can_delete(self, user: AnyUser, comment: Comment) -> bool:
        return self.can_edit(user, comment)

    def can_report(self, user: AnyUser, comment: Comment) -> bool:
        return is_member(user) and not comment.is_deleted and self.can_view(user, comment)

    def can_moderate(self, user: AnyUser, comment: Comment | None = None) -> bool:
        return is_secretariat(user)


class ReportPolicy(Policy):
    """Reports are the secretariat's work list; a member reads only their own (their data)."""

    model = Report
    ACTIONS = ("view", "create", "resolve")

    def conditions(self, user: AnyUser) -> Conditions:
        kind = viewer_kind(user)
        if kind == "secretariat":
            return EVERYTHING
        if kind == "member":
            return ({"reporter_id": user.pk},)
        return NOTHING

    def can_create(self, user: AnyUser) -> bool:
        """Whether `user` reports at all; what may be reported the case and comment policies say."""
        return is_member(user)

    def can_resolve(self, user: AnyUser, report: Report | None = None) -> bool:
        return is_secretariat(user)


areas = AreaPolicy()
cases = CasePolicy()
comments = CommentPolicy()
reports = ReportPolicy()


def policy_for(obj: Case | Comment) -> CasePolicy | CommentPolicy:
    """The policy of a moderated object (a case or a comment)."""
    return cases if isinstance(obj, Case) else comments
