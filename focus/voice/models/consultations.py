"""Consultations (høringer) KOMDIR answers, and the members' input to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focus.models import FocusArea, GuidingQuestion


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Åben for input")
    PREPARING = "preparing", _("Under udarbejdelse")
    SENT = "sent", _("Sendt")


class Consultation(models.Model):
    """A public consultation (høring) KOMDIR answers: members give input until the internal
    deadline, the secretariat writes the response and marks it sent."""

    title = models.CharField(_("titel"), max_length=250)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=90)
    sender = models.CharField(
        _("afsender"), max_length=200, help_text=_("Fx et ministerium, en styrelse eller KL.")
    )
    hearing_url = models.URLField(_("link til høringen"), blank=True, help_text=_("Fx på Høringsportalen."))
    body = models.TextField(_("hvad høringen handler om (Markdown)"), max_length=20000, blank=True)
    external_deadline = models.DateField(_("høringsfrist"))
    input_deadline = models.DateField(
        _("frist for medlemmernes input"), help_text=_("Medlemmerne kan give input til og med denne dag.")
    )
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="consultations", verbose_name=_("fokusområder")
    )
    questions = models.ManyToManyField(
        GuidingQuestion, blank=True, related_name="consultations", verbose_name=_("spørgsmål")
    )
    sent_on = models.DateField(_("svar sendt"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    class Meta:
        verbose_name = _("høring")
        verbose_name_plural = _("høringer")
        ordering = ["-external_deadline", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(input_deadline__lte=models.F("external_deadline")),
                name="voice_input_before_external_deadline",
                violation_error_message=_("Medlemmernes frist skal ligge før eller på høringsfristen."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:consultation_detail", kwargs={"pk": self.pk, "slug": self.slug or "hoering"})

    @property
    def status(self) -> str:
        if self.sent_on is not None:
            return ConsultationStatus.SENT
        if timezone.localdate() <= self.input_deadline:
            return ConsultationStatus.OPEN
        return ConsultationStatus.PREPARING

    def status_label(self) -> str:
        return ConsultationStatus(self.status).label

    @property
    def input_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN


class ConsultationInput(models.Model):
    """A member's input to a consultation: members-only, like a comment."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="inputs", verbose_name=_("høring")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("input"), max_length=6000)
    created_at = models.DateTimeField(_("skrevet"), default=timezone.now)

    class Meta:
        verbose_name = _("input til høring")
        verbose_name_plural = _("input til høringer")
        ordering = ["consultation", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]

    def get_absolute_url(self) -> str:
        return f"{self.consultation.get_absolute_url()}#input-{self.pk}"
