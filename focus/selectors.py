"""Reads that feed the focus pages; every prefetch decision lives here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from taggit.models import Tag

from focus.models import Case, CaseStatus, Comment, FocusArea, GuidingQuestion, SitePage, StrategyPeriod
from members.models import Municipality, Region
from members.permissions import is_member


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
    return (
        FocusArea.objects.select_related("period")
        .filter(period__slug=period_slug, slug=area_slug)
        .exclude(period__status="draft")
        .prefetch_related(Prefetch("questions", queryset=GuidingQuestion.objects.order_by("order", "pk")))
        .first()
    )


def page_get(*, slug: str) -> SitePage | None:
    return SitePage.objects.filter(slug=slug).first()


# --- Member contributions --------------------------------------------------------------------

CASE_PAGE_SIZE = 20
_AUTHOR = "author__profile__municipality"


def _visible_comment_count():
    return Count(
        "comments",
        filter=Q(comments__deleted_at__isnull=True, comments__hidden_at__isnull=True),
        distinct=True,
    )


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
    qs = qs.annotate(comment_count=_visible_comment_count())
    if sort == "discussed":
        return qs.order_by("-comment_count", "-published_at", "-pk")
    return qs.order_by("-published_at", "-pk")


def case_filter_choices(*, viewer) -> dict:
    """Options for the case list filters: areas and questions of browsable periods, places, tags."""
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


def case_get(*, pk: int, viewer) -> Case | None:
    """The case with `pk` if `viewer` may read it, else None (the view answers 404)."""
    return (
        _case_base(viewer)
        .prefetch_related(Prefetch("questions", queryset=GuidingQuestion.objects.order_by("order", "pk")))
        .filter(pk=pk)
        .first()
    )


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


def comment_threads_for_case(*, case: Case, viewer) -> list[Comment]:
    if not is_member(viewer):
        return []
    return _threads(_comment_rows(Comment.objects.visible_to(viewer).filter(case=case)))


def comment_threads_for_area(*, area: FocusArea, viewer) -> dict[int | None, list[Comment]]:
    """The discussion of an area in one query: key None is the area itself, else a question pk."""
    if not is_member(viewer):
        return {}
    rows = _comment_rows(Comment.objects.visible_to(viewer).filter(focus_area=area, case__isnull=True))
    grouped: dict[int | None, list[Comment]] = defaultdict(list)
    for row in rows:
        grouped[row.question_id].append(row)
    return {key: _threads(value) for key, value in grouped.items()}


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
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    visible = _case_base(viewer).filter(focus_area=area, status=CaseStatus.PUBLISHED)
    latest_cases = list(visible.order_by("-published_at", "-pk")[:latest])
    count = Case.objects.visible_to(viewer).filter(focus_area=area, status=CaseStatus.PUBLISHED).count()
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
