from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class FollowKind(models.TextChoices):
    FOCUS_AREA = "area", _("Fokusområde")
    CASE = "case", _("Case")
    CIRCLE = "circle", _("Kreds")


class FollowQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Follow(models.Model):
    """A member's follow of a focus area, a case or a circle.

    A row with `active=False` records an explicit unfollow: automatic follows (own cases,
    cases commented on, own circle) never switch it back on.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follows", verbose_name=_("medlem"))
    kind = models.CharField(_("type"), max_length=10, choices=FollowKind.choices)
    object_id = models.PositiveBigIntegerField(_("id"))
    active = models.BooleanField(_("følger"), default=True)
    automatic = models.BooleanField(_("automatisk"), default=False)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("følger")
        verbose_name_plural = _("følger")
        ordering = ["user", "kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "object_id"], name="one_follow_per_object"),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="follow_object_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}:{self.object_id} ({'on' if self.active else 'off'})"


class NotificationSettings(models.Model):
    """A member's e-mail preferences and the point up to which "Mit overblik" is read.

    `overview_read_at` moves only when the member presses "Markér som læst" (and is set once,
    two weeks back, on the first visit): visiting the overview never makes news disappear.

    A member without a row has the defaults: every notice on, weekly digest on.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_settings", verbose_name=_("medlem")
    )
    mail_replies = models.BooleanField(_("Svar på mine kommentarer"), default=True)
    mail_case_comments = models.BooleanField(_("Kommentarer på mine cases"), default=True)
    mail_circle_notes = models.BooleanField(_("Nye referater i min kreds"), default=True)
    mail_circle_meetings = models.BooleanField(_("Nye møder i min kreds"), default=True)
    mail_meeting_reminders = models.BooleanField(
        _("Påmindelse dagen før et møde, jeg er tilmeldt"), default=True
    )
    mail_polls = models.BooleanField(_("Nye afstemninger, jeg kan stemme i"), default=True)
    mail_positions = models.BooleanField(
        _("Høringer og udkast til KOMDIR's holdninger, jeg kan give input til"), default=True
    )
    weekly_digest = models.BooleanField(_("Ugentligt overblik over det, jeg følger"), default=True)
    overview_read_at = models.DateTimeField(_("overblik læst indtil"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikationsindstillinger")
        verbose_name_plural = _("notifikationsindstillinger")

    def __str__(self) -> str:
        return str(self.user)


PREFERENCE_FIELDS = (
    "mail_replies",
    "mail_case_comments",
    "mail_circle_notes",
    "mail_circle_meetings",
    "mail_meeting_reminders",
    "mail_polls",
    "mail_positions",
    "weekly_digest",
)
