"""Reads of discussions: a page of threads at a time, previews, a comment's place."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from focus import policies
from focus.models import (
    Case,
    CaseStatus,
    Comment,
    FocusArea,
)
from focus.selectors.cases import _AUTHOR, _case_base
from members.models import User


def _author_prefetch() -> Prefetch:
    """The authors of a list of comments, as the comment shows them, in a query of their own."""
    return Prefetch("author", queryset=User.objects.select_related("profile__municipality"))


def comment_get(*, pk: int, viewer) -> Comment | None:
    return (
        Comment.objects.visible_to(viewer)
        .select_related(
            "case__focus_area__period",
            "focus_area__period",
            "question",
            "parent",
            _AUTHOR,
        )
        .filter(pk=pk)
        .first()
    )


def _threads(comments: Iterable[Comment]) -> list[Comment]:
    """Top-level comments in order, each with `.thread_replies` (one level of replies)."""
    top: list[Comment] = []
    by_pk: dict[int, Comment] = {}
    for comment in comments:
        comment.thread_replies = []
        if comment.parent_id is None:
            top.append(comment)
            by_pk[comment.pk] = comment
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in by_pk:
            # Set the parent from memory so permission checks on replies need no query.
            comment.parent = by_pk[comment.parent_id]
            by_pk[comment.parent_id].thread_replies.append(comment)
    return top


def _comment_rows(qs) -> list[Comment]:
    return list(qs.select_related(_AUTHOR).order_by("created_at", "pk"))


# A long discussion is read a page of threads at a time (issue 9: a case with 300 comments
# rendered them all, ~400 KB per view); a page holds every reply of its threads.
THREADS_PER_PAGE = 20


# The area page shows the newest threads of each discussion and links to the whole of it.
THREADS_PREVIEW = 3


def _discussion(viewer, *, case: Case | None = None, area: FocusArea | None = None, question=None):
    """The comments `viewer` may read in one discussion: a case's, a question's or the area's own."""
    qs = Comment.objects.visible_to(viewer)
    if case is not None:
        return qs.filter(case=case)
    if question is not None:
        return qs.filter(question=question, case__isnull=True)
    return qs.filter(focus_area=area, question__isnull=True, case__isnull=True)


def _with_replies(viewer, top: list[Comment]) -> list[Comment]:
    replies = (
        _comment_rows(Comment.objects.visible_to(viewer).filter(parent__in=[c.pk for c in top]))
        if top
        else []
    )
    return _threads([*top, *replies])


def comment_thread_page(
    *, viewer, page=None, case: Case | None = None, area: FocusArea | None = None, question=None
):
    """One page of a discussion's threads, oldest first: a Page whose object_list holds the
    top-level comments with `.thread_replies`. Three queries whatever the discussion's size."""
    top = _discussion(viewer, case=case, area=area, question=question).filter(parent__isnull=True)
    page_obj = Paginator(top.select_related(_AUTHOR).order_by("created_at", "pk"), THREADS_PER_PAGE).get_page(
        page
    )
    page_obj.object_list = _with_replies(viewer, list(page_obj.object_list))
    return page_obj


def comment_threads_for_case(*, case: Case, viewer, page=None):
    """A page of the case's discussion (None for viewers who read no comments)."""
    if not policies.comments.can_list(viewer):
        return None
    return comment_thread_page(viewer=viewer, page=page, case=case)


def comment_previews_for_area(*, area: FocusArea, viewer) -> dict[int | None, dict]:
    """The newest THREADS_PREVIEW threads of the area's own discussion (key None) and of each
    guiding question (key: its pk), with the number of threads in each: three queries."""
    if not policies.comments.can_list(viewer):
        return {}
    top = list(
        Comment.objects.visible_to(viewer)
        .filter(focus_area=area, case__isnull=True, parent__isnull=True)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("question_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            ),
            thread_count=Window(Count("pk"), partition_by=[F("question_id")]),
        )
        .filter(position__lte=THREADS_PREVIEW)
        .select_related(_AUTHOR)
        .order_by("question_id", "created_at", "pk")
    )
    previews: dict[int | None, dict] = {}
    for thread in _with_replies(viewer, top):
        entry = previews.setdefault(thread.question_id, {"threads": [], "count": thread.thread_count})
        entry["threads"].append(thread)
    return previews


def _threads_around(comment: Comment, viewer):
    """The thread `comment` belongs to, and the other threads of its discussion."""
    thread = comment.parent if comment.parent_id else comment
    others = _discussion(viewer, case=comment.case, area=comment.focus_area, question=comment.question)
    return thread, others.filter(parent__isnull=True)


def comment_page_number(*, comment: Comment, viewer) -> int:
    """The page of its discussion that shows `comment` (replies live on their thread's page)."""
    thread, threads = _threads_around(comment, viewer)
    before = threads.filter(
        Q(created_at__lt=thread.created_at) | Q(created_at=thread.created_at, pk__lt=thread.pk)
    ).count()
    return before // THREADS_PER_PAGE + 1


def comment_in_area_preview(*, comment: Comment, viewer) -> bool:
    """Whether the area page shows `comment`: its thread is among the newest THREADS_PREVIEW."""
    if comment.case_id:
        return False
    thread, threads = _threads_around(comment, viewer)
    newer = threads.filter(
        Q(created_at__gt=thread.created_at) | Q(created_at=thread.created_at, pk__gt=thread.pk)
    ).count()
    return newer < THREADS_PREVIEW


def latest_contributions(*, viewer, limit: int = 5) -> dict:
    """Newest cases and comments `viewer` may read, for the home page."""
    cases = list(
        _case_base(viewer)
        .filter(status=CaseStatus.PUBLISHED, hidden_at__isnull=True)
        .order_by("-published_at", "-pk")[:limit]
    )
    comments: list[Comment] = []
    if policies.comments.can_list(viewer):
        comments = list(
            Comment.objects.visible_to(viewer)
            .not_deleted()
            # The home page shows no moderated content, not even to the secretariat.
            .filter(Q(hidden_at__isnull=True), Q(parent__isnull=True) | Q(parent__hidden_at__isnull=True))
            .filter(Q(case__isnull=True) | Q(case__hidden_at__isnull=True))
            .select_related("case", "focus_area", "question")
            # The authors in a query of their own: with them joined in, PostgreSQL planned the
            # nine tables for 16 ms to execute in under 1 ms.
            .prefetch_related(_author_prefetch())
            .order_by("-created_at", "-pk")[:limit]
        )
    return {"cases": cases, "comments": comments}


def comment_list_recent_for_author(*, author, viewer) -> QuerySet[Comment]:
    """An author's newest comments that `viewer` may read; nothing deleted or moderated."""
    return (
        Comment.objects.visible_to(viewer)
        .not_deleted()
        .filter(author=author, hidden_at__isnull=True)
        .filter(Q(parent__isnull=True) | Q(parent__hidden_at__isnull=True))
        .filter(Q(case__isnull=True) | Q(case__hidden_at__isnull=True))
        .select_related("case", "focus_area__period")
        .order_by("-created_at", "-pk")
    )
