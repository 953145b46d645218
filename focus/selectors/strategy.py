"""Reads of the strategy pages: periods, areas, discussion targets, site pages."""

from __future__ import annotations

from django.db.models import Prefetch

from focus.models import (
    FocusArea,
    GuidingQuestion,
    SitePage,
    StrategyPeriod,
)


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
        FocusArea.objects.browsable()
        .select_related("period")
        .filter(period__slug=period_slug, slug=area_slug)
        .first()
    )


def discussion_target_get(*, kind: str, pk: int) -> FocusArea | GuidingQuestion | None:
    """The focus area or guiding question whose discussion page is asked for (no drafts)."""
    if kind == "area":
        return FocusArea.objects.browsable().select_related("period").filter(pk=pk).first()
    if kind == "question":
        return GuidingQuestion.objects.browsable().select_related("focus_area__period").filter(pk=pk).first()
    return None


def page_get(*, slug: str) -> SitePage | None:
    return SitePage.objects.filter(slug=slug).first()
