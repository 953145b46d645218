"""Rules to lift (frisættelse): the laws and paragraphs members' cases want lifted or worked around.
The secretariat keeps the list; a member may propose a rule, which counts once it is confirmed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focus.models import Case


class Rule(models.Model):
    law = models.CharField(_("lov"), max_length=120, help_text=_("Fx Serviceloven."))
    paragraph = models.CharField(_("paragraf"), max_length=60, help_text=_("Fx § 83."))
    description = models.CharField(_("hvad reglen kræver"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("bekræftet af sekretariatet"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("regel")
        verbose_name_plural = _("regler")
        ordering = ["law", "paragraph", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["law", "paragraph"],
                name="voice_rule_unique",
                violation_error_message=_("Reglen findes allerede på listen."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.law} {self.paragraph}"

    def get_absolute_url(self) -> str:
        return reverse("voice:rule_detail", kwargs={"pk": self.pk})


class RuleUse(models.TextChoices):
    LIFT = "lift", _("vil have den løftet")
    WORKED_AROUND = "around", _("har arbejdet uden om den")


class CaseRule(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="cited_rules", verbose_name=_("case")
    )
    rule = models.ForeignKey(
        Rule, on_delete=models.CASCADE, related_name="case_uses", verbose_name=_("regel")
    )
    use = models.CharField(_("casen"), max_length=10, choices=RuleUse.choices, default=RuleUse.LIFT)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("regel i case")
        verbose_name_plural = _("regler i cases")
        ordering = ["case", "rule__law", "rule__paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule"],
                name="voice_rule_once_per_case",
                violation_error_message=_("Reglen er allerede nævnt i casen."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.rule}"
