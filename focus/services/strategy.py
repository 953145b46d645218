"""Writes of the strategy content the secretariat keeps: periods, areas and site pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from focus.models import (
    FocusArea,
    PeriodStatus,
    SitePage,
    StrategyPeriod,
)
from komdir.lib.markdown import render_markdown


@transaction.atomic
def period_save(*, period: StrategyPeriod) -> StrategyPeriod:
    period.intro_html = render_markdown(period.intro)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_make_current(*, period: StrategyPeriod) -> StrategyPeriod:
    """Make `period` the current one and archive the period that was current."""
    period = StrategyPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.areas.exists():
        raise ValidationError(_("En periode skal have mindst ét fokusområde, før den kan gøres gældende."))
    StrategyPeriod.objects.select_for_update().filter(status=PeriodStatus.CURRENT).exclude(
        pk=period.pk
    ).update(status=PeriodStatus.ARCHIVED)
    period.status = PeriodStatus.CURRENT
    period.save(update_fields=["status"])
    return period


@transaction.atomic
def area_save(*, area: FocusArea) -> FocusArea:
    area.body_html = render_markdown(area.body)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def page_save(*, page: SitePage) -> SitePage:
    page.body_html = render_markdown(page.body)
    page.full_clean()
    page.save()
    return page
