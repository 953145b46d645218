"""Who may do what with member contributions. The only place these rules live."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from focus.models import Case, CaseStatus, Comment
from members.models import User
from members.policies import is_member, is_secretariat

AnyUser = User | AnonymousUser


def can_view_case(user: AnyUser, case: Case) -> bool:
    if case.status == CaseStatus.DRAFT:
        return is_member(user) and case.author_id == user.pk and not case.is_hidden
    if case.is_hidden:
        return is_secretariat(user)
    if is_member(user):
        return True
    return case.is_public


def can_create_case(user: AnyUser) -> bool:
    return is_member(user)


def can_edit_case(user: AnyUser, case: Case) -> bool:
    # Only the author edits in the portal; the secretariat edits and hides in admin.
    return is_member(user) and case.author_id == user.pk and not case.is_hidden


def can_view_comments(user: AnyUser) -> bool:
    return is_member(user)


def can_comment(user: AnyUser) -> bool:
    return is_member(user)


def can_comment_on_case(user: AnyUser, case: Case) -> bool:
    return (
        is_member(user)
        and case.status == CaseStatus.PUBLISHED
        and not case.is_hidden
        and can_view_case(user, case)
    )


def can_view_comment(user: AnyUser, comment: Comment) -> bool:
    if not is_member(user):
        return False
    if comment.case_id is not None and not can_view_case(user, comment.case):
        return False
    if is_secretariat(user):
        return True
    if comment.is_hidden:
        return False
    return not (comment.parent_id is not None and comment.parent.is_hidden)


def can_reply_to_comment(user: AnyUser, comment: Comment) -> bool:
    # One level of replies: a reply is always to a top-level comment.
    return (
        can_view_comment(user, comment)
        and comment.parent_id is None
        and not comment.is_deleted
        and not comment.is_hidden
        and (comment.case_id is None or can_comment_on_case(user, comment.case))
    )


def can_edit_comment(user: AnyUser, comment: Comment) -> bool:
    return (
        is_member(user)
        and comment.author_id == user.pk
        and not comment.is_deleted
        and not comment.is_hidden
        and can_view_comment(user, comment)
    )


def can_delete_comment(user: AnyUser, comment: Comment) -> bool:
    return can_edit_comment(user, comment)


def can_report_case(user: AnyUser, case: Case) -> bool:
    return is_member(user) and case.status == CaseStatus.PUBLISHED and can_view_case(user, case)


def can_report_comment(user: AnyUser, comment: Comment) -> bool:
    return is_member(user) and not comment.is_deleted and can_view_comment(user, comment)


def can_moderate(user: AnyUser) -> bool:
    return is_secretariat(user)
