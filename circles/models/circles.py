"""Circles and their memberships (who sits in which circle, who leads it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Circle(models.Model):
    """A regional circle ("kreds"). Data, not code: regions are merged in 2027."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=60, unique=True)
    region = models.ForeignKey(
        "members.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="circles",
        verbose_name=_("region"),
        help_text=_("Nye medlemmer fra kommuner i denne region kommer i kredsen."),
    )
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        verbose_name = _("kreds")
        verbose_name_plural = _("kredse")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("circles:circle_detail", kwargs={"slug": self.slug})


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Medlem")
    LEAD = "lead", _("Kredsformand")


class CircleMembershipQuerySet(models.QuerySet):
    def leads(self):
        return self.filter(role=MembershipRole.LEAD)


class CircleMembership(models.Model):
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("kreds")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="circle_memberships",
        verbose_name=_("medlem"),
    )
    role = models.CharField(
        _("rolle"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(_("medlem siden"), default=timezone.now)

    objects = CircleMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("kredsmedlemskab")
        verbose_name_plural = _("kredsmedlemskaber")
        ordering = ["circle", "user"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="one_membership_per_circle"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.circle}"

    @property
    def is_lead(self) -> bool:
        return self.role == MembershipRole.LEAD


def viewer_circle_ids(user) -> frozenset[int]:
    """The circles `user` belongs to, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_komdir_circle_ids", None)
    if cached is None:
        cached = frozenset(CircleMembership.objects.filter(user=user).values_list("circle_id", flat=True))
        user._komdir_circle_ids = cached
    return cached


def viewer_lead_circle_ids(user) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_komdir_lead_circle_ids", None)
    if cached is None:
        cached = frozenset(
            CircleMembership.objects.leads().filter(user=user).values_list("circle_id", flat=True)
        )
        user._komdir_lead_circle_ids = cached
    return cached
