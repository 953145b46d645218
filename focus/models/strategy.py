"""The strategy the association works to: periods, their focus areas and guiding questions;
and the site's own pages."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("Under forberedelse")
    CURRENT = "current", _("Gældende")
    ARCHIVED = "archived", _("Arkiveret")


# Every period but one still being prepared is browsable, by everyone (focus.policies.AreaPolicy).
BROWSABLE_PERIODS = (PeriodStatus.CURRENT, PeriodStatus.ARCHIVED)


class StrategyPeriodQuerySet(models.QuerySet):
    def browsable(self):
        return self.filter(status__in=BROWSABLE_PERIODS)

    def current(self):
        return self.filter(status=PeriodStatus.CURRENT)


class StrategyPeriod(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=60, unique=True)
    start_year = models.PositiveSmallIntegerField(_("første år"))
    end_year = models.PositiveSmallIntegerField(_("sidste år"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    intro = models.TextField(_("indledning (Markdown)"), blank=True)
    intro_html = models.TextField(editable=False, blank=True)

    objects = StrategyPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategiperiode")
        verbose_name_plural = _("strategiperioder")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="current"),
                name="one_current_strategy_period",
                violation_error_message=_("Der kan kun være én gældende periode."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="period_ends_after_it_starts",
                violation_error_message=_("Sidste år skal være samme år som eller efter første år."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("focus:period_detail", kwargs={"period_slug": self.slug})

    @property
    def is_current(self) -> bool:
        return self.status == PeriodStatus.CURRENT

    @property
    def is_archived(self) -> bool:
        return self.status == PeriodStatus.ARCHIVED


class FocusAreaQuerySet(models.QuerySet):
    def browsable(self):
        """Areas of browsable periods, as focus.policies.areas decides."""
        from focus.policies import areas  # the same app's policies: the rule lives there

        return areas.visible(None, self)


class FocusArea(models.Model):
    period = models.ForeignKey(
        StrategyPeriod, on_delete=models.PROTECT, related_name="areas", verbose_name=_("periode")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=80)
    lead = models.TextField(_("indledende sætning"))
    body = models.TextField(_("brødtekst (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)

    objects = FocusAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområder")
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="unique_area_number"),
            models.UniqueConstraint(fields=["period", "slug"], name="unique_area_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "focus:area_detail",
            kwargs={"period_slug": self.period.slug, "area_slug": self.slug},
        )


class GuidingQuestionQuerySet(models.QuerySet):
    def browsable(self):
        """Questions of browsable areas (FocusAreaQuerySet.browsable)."""
        from focus.policies import areas

        return areas.visible_through("focus_area", None, self)


class GuidingQuestion(models.Model):
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="questions", verbose_name=_("fokusområde")
    )
    text = models.TextField(_("spørgsmål"))
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    objects = GuidingQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("vejledende spørgsmål")
        verbose_name_plural = _("vejledende spørgsmål")
        ordering = ["focus_area", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return f"{self.focus_area.get_absolute_url()}#spoergsmaal-{self.pk}"


class SitePage(models.Model):
    """Texts the secretariat edits in admin: about, privacy, accessibility statement."""

    slug = models.SlugField(_("kortnavn"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    class Meta:
        verbose_name = _("side")
        verbose_name_plural = _("sider")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("focus:page", kwargs={"slug": self.slug})
