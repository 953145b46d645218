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


def _viewer_circles(user) -> tuple[frozenset[int], frozenset[int]]:
    """(the circles `user` belongs to, those they lead): one query, cached on the user object
    for the request. No ordering: the model's default would join circles and users for nothing."""
    if not getattr(user, "is_authenticated", False):
        return frozenset(), frozenset()
    cached = getattr(user, "_komdir_circles", None)
    if cached is None:
        rows = list(CircleMembership.objects.filter(user=user).order_by().values_list("circle_id", "role"))
        cached = (
            frozenset(circle_id for circle_id, _role in rows),
            frozenset(circle_id for circle_id, role in rows if role == MembershipRole.LEAD),
        )
        user._komdir_circles = cached
    return cached


def viewer_circle_ids(user) -> frozenset[int]:
    return _viewer_circles(user)[0]


def viewer_lead_circle_ids(user) -> frozenset[int]:
    return _viewer_circles(user)[1]
