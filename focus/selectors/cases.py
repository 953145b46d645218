"""Reads of cases for lists, pages and the area overview; every prefetch decision for them."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from taggit.models import Tag, TaggedItem

from focus import caching
from focus.models import (
    Case,
    CaseStatus,
    FocusArea,
    GuidingQuestion,
)
from focus.policies import viewer_kind
from komdir.lib import fragments
from members.models import Municipality, Region

CASE_PAGE_SIZE = 20


# A comment shows its author's name, title and municipality.
_AUTHOR = "author__profile__municipality"


def _case_base(viewer):
    """Cases as their cards show them (templates/includes/case_card.html): the area's number,
    the municipality's name, the tags. Nothing more is joined: PostgreSQL spent 5-13 ms planning
    the eight-table join this once was, for well under 1 ms of execution."""
    return (
        Case.objects.visible_to(viewer).select_related("focus_area", "municipality").prefetch_related("tags")
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


def case_list_page(*, viewer, page=None, **filters) -> Page:
    """One page of `case_list`: the page's ids first, from the narrow listing index however deep
    the page (an OFFSET over the joined, full rows read and sorted every case before it), then
    those cases as their cards show them."""
    ids = case_list(viewer=viewer, **filters).values_list("pk", flat=True)
    page_obj = Paginator(ids, CASE_PAGE_SIZE).get_page(page)
    wanted = list(page_obj.object_list)
    rows = _case_base(viewer).in_bulk(wanted)
    # A case hidden between the two reads is left out rather than shown.
    page_obj.object_list = [rows[pk] for pk in wanted if pk in rows]
    return page_obj


def case_filter_choices(*, viewer) -> dict:
    """Options for the case list filters: areas and questions of browsable periods, places, tags.

    The same for every viewer of a kind (the tags come from the cases that kind may read), so
    they are kept in the shared cache until the next content write (komdir/lib/fragments/).
    """
    return fragments.cached_value(
        "case-filter-choices",
        viewer_kind(viewer),
        depends=[caching.FILTERS],
        compute=lambda: _case_filter_choices(viewer),
    )


def _case_filter_choices(viewer) -> dict:
    questions = list(
        GuidingQuestion.objects.browsable()
        .select_related("focus_area__period")
        .order_by("-focus_area__period__start_year", "focus_area__number", "order", "pk")
    )
    areas = list(
        FocusArea.objects.browsable().select_related("period").order_by("-period__start_year", "number")
    )
    municipalities = list(Municipality.objects.select_related("region").order_by("name"))
    regions = sorted({m.region for m in municipalities}, key=lambda r: r.name)
    # Each tag asks whether one case it is on is visible (a few index probes per tag), rather
    # than joining every visible case to its tags and de-duplicating the lot.
    visible = Case.objects.visible_to(viewer).filter(status=CaseStatus.PUBLISHED)
    on_visible_case = TaggedItem.objects.filter(
        tag=OuterRef("pk"),
        content_type=ContentType.objects.get_for_model(Case),
        object_id__in=visible.values("pk"),
    )
    tags = list(Tag.objects.filter(Exists(on_visible_case)).exclude(slug="").order_by("name"))
    return {
        "areas": areas,
        "questions": questions,
        "municipalities": municipalities,
        "regions": regions,
        "tags": tags,
    }


def case_comment_counts(pks: list[int]) -> dict[int, int]:
    """Each case's count of comments neither deleted nor hidden (Case.comment_count, kept by
    the comment services): one query for a page of case cards."""
    return dict(Case.objects.filter(pk__in=set(pks)).values_list("pk", "comment_count"))


def case_get(*, pk: int, viewer, details: bool = True) -> Case | None:
    """The case with `pk` if `viewer` may read it, else None (the view answers 404).

    `details=False` reads the case row alone (enough to decide 404 and name the page): the
    case page reads the rest only when its content is not in the fragment cache. The details
    are what the page shows: the area (and its period, for the area's address), the
    municipality, the author's name and title.
    """
    if not details:
        return Case.objects.visible_to(viewer).filter(pk=pk).first()
    case = (
        Case.objects.visible_to(viewer)
        .select_related("focus_area__period", "municipality", "author__profile")
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


def case_list_for_author(*, author, viewer) -> QuerySet[Case]:
    """An author's published cases that `viewer` may read (the member profile lists them)."""
    return (
        _case_base(viewer)
        .filter(author=author, status=CaseStatus.PUBLISHED, hidden_at__isnull=True)
        .order_by("-published_at", "-pk")
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
    # The window ranks narrow rows (link ids and publication times); only the few it keeps are
    # read whole. Ranking the full rows sorted every case of the area, text and all (~20 ms).
    newest = (
        through.objects.filter(
            guidingquestion__focus_area=area,
            case__in=Case.objects.visible_to(viewer).filter(focus_area=area, status=CaseStatus.PUBLISHED),
        )
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("guidingquestion_id")],
                order_by=[F("case__published_at").desc(), F("case_id").desc()],
            )
        )
        .filter(position__lte=per_question)
        .values("pk")
    )
    rows = (
        through.objects.filter(pk__in=newest)
        .select_related("case__municipality")
        .order_by("guidingquestion_id", "-case__published_at", "-case_id")
    )
    by_question: dict[int, list[Case]] = defaultdict(list)
    for row in rows:
        by_question[row.guidingquestion_id].append(row.case)
    return {"latest": latest_cases, "count": count, "by_question": dict(by_question)}
