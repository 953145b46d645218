"""What the secretariat's moderation sets on members' contributions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Moderated(models.Model):
    """What the secretariat's moderation sets on a case or a comment (focus.services
    content_hide / content_restore): hidden content leaves every page for members."""

    hidden_at = models.DateTimeField(_("skjult"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skjult af"),
    )
    hidden_reason = models.TextField(_("begrundelse for skjul/genskab"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
