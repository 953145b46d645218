"""Reads that feed the focus pages; every prefetch decision lives here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Subquery, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone
from taggit.models import Tag

from focus.models import (
    Case,
    CaseStatus,
    Comment,
    FocusArea,
    GuidingQuestion,
    Report,
    SitePage,
    StrategyPeriod,
    viewer_kind,
)
from komdir.lib import fragments
from members.models import Municipality, Region
from members.policies import is_member


def period_get_current() -> StrategyPeriod | None:
    return StrategyPeriod.objects.current().prefetch_related("areas").first()


def period_list() -> list[StrategyPeriod]:
    return list(StrategyPeriod.objects.browsable().prefetch_related("areas"))


def period_get(*, slug: str) -> StrategyPeriod | None:
    return (
        StrategyPeriod.objects.browsable()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "areas",
                queryset=FocusArea.objects.prefetch_related("questions"),
            )
        )
        .first()
    )


def area_get(*, period_slug: str, area_slug: str) -> FocusArea | None:
    """The focus area at this address (no drafts), with its period. Its guiding questions are
    read by the page content, and only when that is not in the fragment cache."""
    return (
        FocusArea.objects.select_related("period")
        .filter(period__slug=period_slug, slug=area_slug)
        .exclude(period__status="draft")
        .first()
    )


def discussion_target_get(*, kind: str, pk: int) -> FocusArea | GuidingQuestion | None:
    """The focus area or guiding question whose discussion page is asked for (no drafts)."""
    if kind == "area":
        return (
            FocusArea.objects.select_related("period").exclude(period__status="draft").filter(pk=pk).first()
        )
    if kind == "question":
        return (
            GuidingQuestion.objects.select_related("focus_area__period")
            .exclude(focus_area__period__status="draft")
            .filter(pk=pk)
            .first()
        )
    return None


def page_get(*, slug: str) -> SitePage | None:
    return SitePage.objects.filter(slug=slug).first()


# --- Member contributions --------------------------------------------------------------------

CASE_PAGE_SIZE = 20
_AUTHOR = "author__profile__municipality"


def _case_base(viewer):
    return (
        Case.objects.visible_to(viewer)
        .select_related("focus_area__period", "municipality__region", _AUTHOR)
        .prefetch_related("tags")
    )


def case_list(
    *,
    viewer,
    area: FocusArea | None = None,
    question: GuidingQuestion | None = None,
    tag: str | None = None,
    municipality: Municipality | None = None,
    region: Region | None = None,
    sort: str = "newest",
) -> QuerySet[Case]:
    """Published cases `viewer` may read, filtered and sorted for the case list."""
    qs = _case_base(viewer).filter(status=CaseStatus.PUBLISHED)
    if area is not None:
        qs = qs.filter(focus_area=area)
    if question is not None:
        qs = qs.filter(questions=question)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if region is not None:
        qs = qs.filter(municipality__region=region)
    if sort == "discussed":
        return qs.order_by("-comment_count", "-published_at", "-pk")
    return qs.order_by("-published_at", "-pk")


def case_filter_choices(*, viewer) -> dict:
    """Options for the case list filters: areas and questions of browsable periods, places, tags.

    The same for every viewer of a kind (the tags come from the cases that kind may read), so
    they are kept in the shared cache until the next content write (komdir/lib/fragments.py).
    """
    return fragments.cached_value(
        "case-filter-choices", viewer_kind(viewer), compute=lambda: _case_filter_choices(viewer)
    )


def _case_filter_choices(viewer) -> dict:
    questions = list(
        GuidingQuestion.objects.select_related("focus_area__period")
        .exclude(focus_area__period__status="draft")
        .order_by("-focus_area__period__start_year", "focus_area__number", "order", "pk")
    )
    areas = list(
        FocusArea.objects.select_related("period")
        .exclude(period__status="draft")
        .order_by("-period__start_year", "number")
    )
    municipalities = list(Municipality.objects.select_related("region").order_by("name"))
    regions = sorted({m.region for m in municipalities}, key=lambda r: r.name)
    visible_ids = Case.objects.visible_to(viewer).filter(status=CaseStatus.PUBLISHED).values("pk")
    tags = list(Tag.objects.filter(cases__in=visible_ids).exclude(slug="").distinct().order_by("name"))
    return {
        "areas": areas,
        "questions": questions,
        "municipalities": municipalities,
        "regions": regions,
        "tags": tags,
    }


def case_get(*, pk: int, viewer, details: bool = True) -> Case | None:
    """The case with `pk` if `viewer` may read it, else None (the view answers 404).

    `details=False` reads the case row alone (enough to decide 404 and name the page): the
    case page reads the rest only when its content is not in the fragment cache, and
    PostgreSQL plans the eight-table join in ~4 ms, more than the page's whole cached view.
    """
    if not details:
        return Case.objects.visible_to(viewer).filter(pk=pk).first()
    case = (
        Case.objects.visible_to(viewer)
        .select_related("focus_area__period", "municipality__region", _AUTHOR)
        .filter(pk=pk)
        .first()
    )
    if case is not None:
        case_prefetch_details(case)
    return case


def case_prefetch_details(case: Case) -> Case:
    prefetch_related_objects(
        [case], "tags", Prefetch("questions", queryset=GuidingQuestion.objects.order_by("order", "pk"))
    )
    return case


def case_list_drafts(*, author) -> list[Case]:
    return list(
        Case.objects.visible_to(author)
        .filter(author=author, status=CaseStatus.DRAFT)
        .select_related("focus_area__period")
        .order_by("-updated_at")
    )


def case_list_for_area(*, area: FocusArea, viewer) -> list[Case]:
    return list(
        _case_base(viewer)
        .filter(focus_area=area, status=CaseStatus.PUBLISHED)
        .prefetch_related("questions")
        .order_by("-published_at", "-pk")
    )


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
    if not is_member(viewer):
        return None
    return comment_thread_page(viewer=viewer, page=page, case=case)


def comment_previews_for_area(*, area: FocusArea, viewer) -> dict[int | None, dict]:
    """The newest THREADS_PREVIEW threads of the area's own discussion (key None) and of each
    guiding question (key: its pk), with the number of threads in each: three queries."""
    if not is_member(viewer):
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
    if is_member(viewer):
        comments = list(
            Comment.objects.visible_to(viewer)
            .not_deleted()
            # The home page shows no moderated content, not even to the secretariat.
            .filter(Q(hidden_at__isnull=True), Q(parent__isnull=True) | Q(parent__hidden_at__isnull=True))
            .filter(Q(case__isnull=True) | Q(case__hidden_at__isnull=True))
            .select_related(_AUTHOR, "case", "focus_area__period", "question")
            .order_by("-created_at", "-pk")[:limit]
        )
    return {"cases": cases, "comments": comments}


def case_list_for_author(*, author, viewer) -> QuerySet[Case]:
    """An author's published cases that `viewer` may read (the member profile lists them)."""
    return (
        _case_base(viewer)
        .filter(author=author, status=CaseStatus.PUBLISHED, hidden_at__isnull=True)
        .order_by("-published_at", "-pk")
    )


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


def area_case_overview(*, area: FocusArea, viewer, latest: int = 5, per_question: int = 5) -> dict:
    """The cases an area page shows, bounded whatever the number of cases (issue 9).

    `latest`: the newest cases as cards; `count`: how many the viewer may read;
    `by_question`: question pk -> its newest `per_question` cases, in one windowed query.
    """
    visible = _case_base(viewer).filter(focus_area=area, status=CaseStatus.PUBLISHED)
    # The count rides along as an uncorrelated subquery (PostgreSQL runs it once): no query of
    # its own, and unlike a window over the joined rows it counts the case table alone.
    total = (
        Case.objects.visible_to(viewer)
        .filter(focus_area=area, status=CaseStatus.PUBLISHED)
        .order_by()
        .values("focus_area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    latest_cases = list(visible.annotate(total=Subquery(total)).order_by("-published_at", "-pk")[:latest])
    count = latest_cases[0].total if latest_cases else 0
    through = Case.questions.through
    rows = (
        through.objects.filter(
            guidingquestion__focus_area=area,
            case__in=Case.objects.visible_to(viewer).filter(focus_area=area, status=CaseStatus.PUBLISHED),
        )
        .select_related("case__municipality")
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("guidingquestion_id")],
                order_by=[F("case__published_at").desc(), F("case_id").desc()],
            )
        )
        .filter(position__lte=per_question)
        .order_by("guidingquestion_id", "position")
    )
    by_question: dict[int, list[Case]] = defaultdict(list)
    for row in rows:
        by_question[row.guidingquestion_id].append(row.case)
    return {"latest": latest_cases, "count": count, "by_question": dict(by_question)}


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


def report_submitted(*, reporter, submission_token: str) -> Report | None:
    if not submission_token or not getattr(reporter, "is_authenticated", False):
        return None
    return Report.objects.filter(reporter=reporter, submission_token=submission_token).first()
