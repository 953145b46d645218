from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class SeenKind(models.TextChoices):
    CASE = "case", _("Case")
    COMMENT = "comment", _("Kommentar")
    NOTE = "note", _("Referat")
    MEETING = "meeting", _("Møde")
    # A discussion page: seeing it sees the comments written in it before `seen_at`.
    AREA = "area", _("Drøftelse af fokusområde")
    QUESTION = "question", _("Drøftelse af spørgsmål")


class SeenItem(models.Model):
    """When a member last opened a case, note, meeting, discussion or comment where it lives.

    One row per member and item, moved forward on every visit (an upsert): "Mit overblik"
    leaves out what the member has seen. A case's row also sees the comments on it written
    before `seen_at`, a discussion's row those in that discussion.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="seen_items", verbose_name=_("medlem")
    )
    kind = models.CharField(_("type"), max_length=10, choices=SeenKind.choices)
    object_id = models.PositiveBigIntegerField(_("id"))
    seen_at = models.DateTimeField(_("set"), default=timezone.now)

    class Meta:
        verbose_name = _("set af medlem")
        verbose_name_plural = _("set af medlemmer")
        constraints = [
            # Also the index of the overview's "has the member seen this?" lookups.
            models.UniqueConstraint(fields=["user", "kind", "object_id"], name="one_seen_per_item"),
        ]
        # The overview's fragment key: the member's latest sighting.
        indexes = [models.Index(fields=["user", "-seen_at"], name="seen_user_latest_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}:{self.object_id} @ {self.seen_at:%Y-%m-%d %H:%M}"


class DigestLog(models.Model):
    """One row per member and ISO week: the digest of a week is sent at most once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="digests", verbose_name=_("medlem"))
    week = models.DateField(_("uge (mandag)"))
    since = models.DateTimeField(_("nyt siden"))
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    item_count = models.PositiveIntegerField(_("antal punkter"), default=0)

    class Meta:
        verbose_name = _("ugentligt overblik")
        verbose_name_plural = _("ugentlige overblik")
        ordering = ["-week"]
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_week")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"
