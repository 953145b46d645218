"""Case collections (eksempelsamlinger): cases chosen by the secretariat, in an order, with an
introduction, for a ministry, a committee or a conference; downloadable as PDF and Word."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focus.models import Case


class CollectionAudience(models.TextChoices):
    PUBLIC = "public", _("Offentlig: kun cases, forfatterne har sagt må vises offentligt")
    MEMBERS = "members", _("Kun for medlemmer")


class CollectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from focus.voice.policies import collections  # the same app's policies: the rule lives there

        return collections.visible(user, self)


class Collection(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=90, unique=True)
    intro = models.TextField(_("indledning (Markdown)"), max_length=20000, blank=True)
    audience = models.CharField(
        _("hvem må læse den"),
        max_length=10,
        choices=CollectionAudience.choices,
        default=CollectionAudience.MEMBERS,
    )
    # Built by the secretariat until it is published to its audience.
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("eksempelsamling")
        verbose_name_plural = _("eksempelsamlinger")
        ordering = ["-published_at", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:collection_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.audience == CollectionAudience.PUBLIC

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="collection_items", verbose_name=_("case")
    )
    order = models.PositiveIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("case i samling")
        verbose_name_plural = _("cases i samlinger")
        ordering = ["collection", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "case"],
                name="voice_case_once_per_collection",
                violation_error_message=_("Casen er allerede med i samlingen."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection}: {self.case}"


class Dispatch(models.Model):
    """Where a collection was sent: a ministry, a committee, a conference."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="dispatches")
    recipient = models.CharField(_("modtager"), max_length=200)
    sent_on = models.DateField(_("sendt"))
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("afsendelse")
        verbose_name_plural = _("afsendelser")
        ordering = ["collection", "-sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.sent_on})"
