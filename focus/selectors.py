"""Reads that feed the focus pages; every prefetch decision lives here."""

from __future__ import annotations

from django.db.models import Prefetch

from focus.models import FocusArea, GuidingQuestion, SitePage, StrategyPeriod


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
