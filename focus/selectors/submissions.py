"""What a form sent again already made (double click, Back and send again)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from focus.models import Case, Comment, FocusArea, GuidingQuestion, Report

# A form sent again after the browser's Back button carries a new submission token (the page is
# never cached, so Back loads it afresh) but the text the browser put back: the same text from
# the same author within this window is the same submission.
RESUBMIT_WINDOW = timedelta(minutes=10)


def case_submitted(*, author, submission_token: str = "", title: str = "", body: str = "") -> Case | None:
    """The case `author` already made from this form: the same submission token, or the same
    (validated) title and text sent again within RESUBMIT_WINDOW."""
    if not getattr(author, "is_authenticated", False):
        return None
    if submission_token:
        case = Case.objects.filter(author=author, submission_token=submission_token).first()
        if case is not None:
            return case
    if not title.strip():
        return None
    return (
        Case.objects.filter(
            author=author,
            title=title.strip(),
            body=body.strip(),
            created_at__gte=timezone.now() - RESUBMIT_WINDOW,
        )
        .order_by("created_at")
        .first()
    )


def comment_submitted(*, author, submission_token: str, body: str) -> Comment | None:
    """The comment `author` already sent with this form (same token, same text), if any."""
    if not submission_token or not getattr(author, "is_authenticated", False):
        return None
    return Comment.objects.filter(author=author, submission_token=submission_token, body=body).first()


def comment_resent(
    *,
    author,
    body: str,
    case: Case | None = None,
    focus_area: FocusArea | None = None,
    question: GuidingQuestion | None = None,
    parent: Comment | None = None,
) -> Comment | None:
    """The comment `author` made with this (validated) text on this target within
    RESUBMIT_WINDOW: the form sent again after Back, with a new token and the text the browser
    put back. The same words to another target ("Enig." under two comments) are a comment of
    their own, so the target is part of the match."""
    if not body.strip() or not getattr(author, "is_authenticated", False):
        return None
    if parent is not None:
        target = {"parent": parent}
    elif case is not None:
        target = {"case": case, "parent": None}
    elif question is not None:
        target = {"question": question, "case": None, "parent": None}
    elif focus_area is not None:
        target = {"focus_area": focus_area, "question": None, "case": None, "parent": None}
    else:
        return None
    return (
        Comment.objects.filter(
            author=author,
            body=body,
            deleted_at__isnull=True,
            created_at__gte=timezone.now() - RESUBMIT_WINDOW,
            **target,
        )
        .order_by("created_at", "pk")
        .first()
    )


def report_submitted(*, reporter, submission_token: str) -> Report | None:
    if not submission_token or not getattr(reporter, "is_authenticated", False):
        return None
    return Report.objects.filter(reporter=reporter, submission_token=submission_token).first()
