"""Writes of the strategy content the secretariat keeps in admin: periods, areas, guiding
questions and site pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _

from focus.models import (
    FocusArea,
    GuidingQuestion,
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


@transaction.atomic
def question_save(*, question: GuidingQuestion) -> GuidingQuestion:
    question.full_clean()
    question.save()
    return question


def _delete(obj: Model) -> None:
    """Delete strategy content nothing a member wrote depends on; what they wrote is protected."""
    try:
        obj.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("%(obj)s kan ikke slettes, fordi medlemmernes bidrag hører til det. Intet er slettet.")
            % {"obj": obj}
        ) from exc


@transaction.atomic
def period_delete(*, period: StrategyPeriod) -> None:
    _delete(period)


@transaction.atomic
def area_delete(*, area: FocusArea) -> None:
    _delete(area)


@transaction.atomic
def question_delete(*, question: GuidingQuestion) -> None:
    _delete(question)


@transaction.atomic
def page_delete(*, page: SitePage) -> None:
    _delete(page)
