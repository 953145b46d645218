"""Meetings (a circle's, or the whole association's) and the members' answers to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models.circles import Circle, viewer_circle_ids


class MeetingKind(models.TextChoices):
    CIRCLE = "circle", _("Kredsmøde")
    GENERAL_ASSEMBLY = "general_assembly", _("Generalforsamling")
    PROFESSIONAL = "professional", _("Fagligt arrangement")


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    def visible_to(self, user):
        """The meetings `user` may see (circles.policies.meetings states the rule)."""
        from circles.policies import meetings  # the same app's policies, which import these models

        return meetings.visible(user, self)

    def for_feed(self, user):
        """The member's own circles' meetings and the association-wide events."""
        return self.filter(models.Q(circle__isnull=True) | models.Q(circle_id__in=viewer_circle_ids(user)))


class Meeting(models.Model):
    """A circle meeting, or an association-wide event when `circle` is empty."""

    circle = models.ForeignKey(
        Circle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("kreds"),
        help_text=_("Tom for arrangementer for hele foreningen."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.CIRCLE)
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    location = models.CharField(_("sted"), max_length=300, blank=True)
    online_url = models.URLField(_("link til onlinemøde"), blank=True)
    agenda = models.TextField(_("dagsorden (Markdown)"), blank=True)
    agenda_html = models.TextField(editable=False, blank=True)
    capacity = models.PositiveIntegerField(
        _("antal pladser"), null=True, blank=True, help_text=_("Tom: ingen grænse.")
    )
    signup_deadline = models.DateTimeField(_("tilmeldingsfrist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("aflyst"), null=True, blank=True)
    cancel_message = models.TextField(_("besked ved aflysning"), blank=True)
    # The calendar entry's SEQUENCE (RFC 5545): raised on every change that is mailed out, so
    # calendars that hold an older copy replace it.
    sequence = models.PositiveIntegerField(_("version i kalenderen"), default=0, editable=False)
    # Time and place before the latest change that was mailed out, to show what changed.
    changed_at = models.DateTimeField(_("tid eller sted ændret"), null=True, blank=True, editable=False)
    previous_starts_at = models.DateTimeField(_("startede før"), null=True, blank=True, editable=False)
    previous_ends_at = models.DateTimeField(_("sluttede før"), null=True, blank=True, editable=False)
    previous_location = models.CharField(_("sted før"), max_length=300, blank=True, editable=False)
    previous_online_url = models.URLField(_("link før"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)
    # A random value from the create form (see Comment.submission_token): the same form sent
    # twice (a double click, back and send again) makes one meeting.
    submission_token = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["circle", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("Mødet skal slutte efter, det er begyndt."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="circle", circle__isnull=False)
                    | (~models.Q(kind="circle") & models.Q(circle__isnull=True))
                ),
                name="circle_meeting_has_circle",
                violation_error_message=_(
                    "Et kredsmøde hører til en kreds; arrangementer for hele foreningen har ingen kreds."
                ),
            ),
            models.UniqueConstraint(
                fields=["created_by", "submission_token"],
                condition=~models.Q(submission_token=""),
                name="meeting_unique_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(signup_deadline__isnull=True)
                | models.Q(signup_deadline__lte=models.F("starts_at")),
                name="meeting_signup_deadline_before_start",
                violation_error_message=_("Tilmeldingsfristen skal ligge, før mødet begynder."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("circles:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def signup_closed(self) -> bool:
        return self.signup_deadline is not None and timezone.now() >= self.signup_deadline

    @property
    def is_association_wide(self) -> bool:
        return self.circle_id is None

    @property
    def time_moved(self) -> bool:
        """The latest mailed change moved the time (`place_moved`: the place)."""
        return (
            self.changed_at is not None
            and self.previous_starts_at is not None
            and (self.previous_starts_at, self.previous_ends_at) != (self.starts_at, self.ends_at)
        )

    @property
    def place_moved(self) -> bool:
        return self.changed_at is not None and (self.previous_location, self.previous_online_url) != (
            self.location,
            self.online_url,
        )


class AttendanceResponse(models.TextChoices):
    YES = "yes", _("Jeg deltager")
    NO = "no", _("Jeg deltager ikke")
    MAYBE = "maybe", _("Måske")
    # Not an answer one gives: a "yes" to a full meeting waits here for a seat (services).
    WAITING = "waiting", _("På venteliste")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("møde")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_attendances",
        verbose_name=_("medlem"),
    )
    response = models.CharField(_("svar"), max_length=10, choices=AttendanceResponse.choices)
    updated_at = models.DateTimeField(_("svaret"), auto_now=True)
    # The waiting list's order: when the member asked for a seat that was not there.
    waiting_since = models.DateTimeField(_("på venteliste siden"), null=True, blank=True)
    # Marked by the lead after the meeting (None: not recorded).
    attended = models.BooleanField(_("deltog"), null=True, blank=True)
    # The reminder the day before went out (sent once; see services.reminders_claim).
    reminded_at = models.DateTimeField(_("påmindet"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        ordering = ["meeting", "user"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.meeting}: {self.get_response_display()}"
