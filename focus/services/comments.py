"""Writes of comments: add, edit, delete, and the count kept on each case."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from focus import policies
from focus.models import (
    Case,
    Comment,
    CommentRevision,
    FocusArea,
    GuidingQuestion,
)
from focus.services.errors import PermissionDenied
from komdir.lib import events, fragments
from komdir.lib.markdown import render_markdown
from members.models import User


def _comment_target(
    *, case: Case | None, focus_area: FocusArea | None, question: GuidingQuestion | None
) -> tuple[FocusArea, GuidingQuestion | None, Case | None]:
    if case is not None:
        return case.focus_area, None, case
    if question is not None:
        return question.focus_area, question, None
    if focus_area is not None:
        return focus_area, None, None
    raise ValidationError(_("En kommentar skal høre til et fokusområde, et spørgsmål eller en case."))


def case_comments_recount(*, case_ids: Iterable[int] | None = None) -> None:
    """Set Case.comment_count (comments neither deleted nor hidden) for `case_ids`, or for all.

    One UPDATE with a correlated count, so it is right whatever happened before; every
    service that adds, deletes, hides or restores a comment on a case calls it.
    """
    visible = (
        Comment.objects.filter(case=OuterRef("pk"), deleted_at__isnull=True, hidden_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cases = Case.objects.all()
    if case_ids is not None:
        ids = {pk for pk in case_ids if pk}
        if not ids:
            return
        cases = cases.filter(pk__in=ids)
    cases.update(comment_count=Coalesce(Subquery(visible), 0))


@transaction.atomic
def comment_add(
    *,
    author: User,
    body: str,
    case: Case | None = None,
    focus_area: FocusArea | None = None,
    question: GuidingQuestion | None = None,
    parent: Comment | None = None,
    submission_token: str = "",
) -> Comment:
    """Add a comment. The same `submission_token` twice (a double click) gives the first comment back.

    A token sent again with another text is not a repeat (two tabs of a cached page share a
    form's token): that text is a comment of its own, under a token of its own.
    """
    if submission_token:
        existing = Comment.objects.filter(author=author, submission_token=submission_token).first()
        if existing is not None:
            if existing.body == body:
                return existing
            submission_token = f"{submission_token[:31]}-{uuid.uuid4().hex}"
    if parent is not None:
        if not policies.comments.can_reply(author, parent):
            raise PermissionDenied
        area_id, question_id, case_id = parent.focus_area_id, parent.question_id, parent.case_id
    else:
        area, q, c = _comment_target(case=case, focus_area=focus_area, question=question)
        if c is not None and not policies.cases.can_comment(author, c):
            raise PermissionDenied
        if c is None and not policies.areas.can_comment(author, area):
            raise PermissionDenied
        if not policies.comments.can_create(author):
            raise PermissionDenied
        area_id, question_id, case_id = area.pk, q.pk if q else None, c.pk if c else None
    comment = Comment(
        author=author,
        focus_area_id=area_id,
        question_id=question_id,
        case_id=case_id,
        parent=parent,
        body=body,
        body_html=render_markdown(body),
        submission_token=submission_token,
    )
    try:
        comment.full_clean()
        # A savepoint: a concurrent twin of this submit hits the unique constraint, not a 500.
        with transaction.atomic():
            comment.save()
    except (ValidationError, IntegrityError):
        twin = Comment.objects.filter(author=author, submission_token=submission_token)
        if submission_token and twin.exists():
            return twin.get()
        raise
    case_comments_recount(case_ids=[comment.case_id])
    events.emit("focus.comment_added", comment=comment)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, editor: User, body: str) -> Comment:
    """Save an edit; the previous text is kept as a CommentRevision and the comment shows "redigeret"."""
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("case", "parent").get(pk=comment.pk)
    )
    if not policies.comments.can_edit(editor, comment):
        raise PermissionDenied
    if body == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, version=comment.version, body=comment.body)
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = timezone.now()
    comment.version += 1
    comment.full_clean()
    comment.save(update_fields=["body", "body_html", "edited_at", "version"])
    events.emit("focus.comment_edited", comment=comment)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> Comment:
    """Soft delete: the text stays in the database, the thread shows a placeholder."""
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("case", "parent").get(pk=comment.pk)
    )
    if not policies.comments.can_delete(actor, comment):
        raise PermissionDenied
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    case_comments_recount(case_ids=[comment.case_id])
    events.emit("focus.comment_deleted", comment=comment)
    return comment


@transaction.atomic
def contributions_withdraw(*, author: User) -> dict[str, int]:
    """A member deleting their account chose to take what they wrote with them (GDPR art. 17).

    Soft, like every deletion here: comments get the "slettet" placeholder, cases are taken
    off every page, list and feed (kept hidden with a reason, as moderation does). Called
    only by members.gdpr.account_delete, which has checked that the actor is the author.
    """
    now = timezone.now()
    mine = Comment.objects.filter(author=author, deleted_at__isnull=True)
    touched_cases = set(mine.exclude(case=None).values_list("case_id", flat=True))
    comments = mine.update(deleted_at=now)
    cases = Case.objects.filter(author=author, hidden_at__isnull=True).update(
        hidden_at=now, hidden_by=None, hidden_reason=_("Slettet af forfatteren sammen med kontoen.")
    )
    case_comments_recount(case_ids=touched_cases)
    # QuerySet.update() sends no signals: the cached fragments must go explicitly (the author's
    # name is on all of them).
    fragments.invalidate()
    return {"comments": comments, "cases": cases}
