from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.policies import is_member, is_secretariat


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
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("circles:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

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

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        ordering = ["meeting", "user"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.meeting}: {self.get_response_display()}"


class NoteVisibility(models.TextChoices):
    CIRCLE = "circle", _("Kun kredsen")
    MEMBERS = "members", _("Alle medlemmer")


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    PUBLISHED = "published", _("Offentliggjort")


class MeetingNoteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=NoteStatus.PUBLISHED)

    def visible_to(self, user):
        """Published notes `user` may read. Circle-only notes only inside their circle."""
        if not is_member(user):
            return self.none()
        qs = self.published()
        if is_secretariat(user):
            return qs
        return qs.filter(
            models.Q(visibility=NoteVisibility.MEMBERS)
            | models.Q(visibility=NoteVisibility.CIRCLE, meeting__circle_id__in=viewer_circle_ids(user))
        )


class MeetingNote(models.Model):
    """The notes ("referat") of one meeting."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="note", verbose_name=_("møde")
    )
    body = models.TextField(_("referat (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    visibility = models.CharField(
        _("synlighed"), max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.CIRCLE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT
    )
    focus_areas = models.ManyToManyField(
        "focus.FocusArea", blank=True, related_name="meeting_notes", verbose_name=_("drøftede fokusområder")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skrevet af"),
    )
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    objects = MeetingNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("referat")
        verbose_name_plural = _("referater")
        ordering = ["-meeting__starts_at"]
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return _("Referat: %(title)s") % {"title": self.meeting.title}

    def get_absolute_url(self) -> str:
        return reverse("circles:note_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == NoteStatus.PUBLISHED

    @property
    def is_circle_only(self) -> bool:
        return self.visibility == NoteVisibility.CIRCLE


class NoteRevision(models.Model):
    """A snapshot of a note as it was saved; edits never lose text."""

    note = models.ForeignKey(
        MeetingNote, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("referat")
    )
    body = models.TextField(_("referat (Markdown)"))
    visibility = models.CharField(_("synlighed"), max_length=10, choices=NoteVisibility.choices)
    status = models.CharField(_("status"), max_length=10, choices=NoteStatus.choices)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ændret af"),
    )
    created_at = models.DateTimeField(_("gemt"), auto_now_add=True)

    class Meta:
        verbose_name = _("version af referat")
        verbose_name_plural = _("versioner af referater")
        ordering = ["note", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.note_id} @ {self.created_at:%Y-%m-%d %H:%M}"


def attachment_upload_to(instance, filename: str) -> str:
    # Random names: the original name is kept in the database for display and download only.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"bilag/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A file on a meeting or on its note. Served only through a permission-checked view."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("møde"),
    )
    note = models.ForeignKey(
        MeetingNote,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("referat"),
    )
    file = models.FileField(_("fil"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("filnavn"), max_length=255)
    content_type = models.CharField(_("filtype"), max_length=120)
    size = models.PositiveBigIntegerField(_("størrelse i bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploadet af"),
    )
    created_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    class Meta:
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(meeting__isnull=False, note__isnull=True)
                    | models.Q(meeting__isnull=True, note__isnull=False)
                ),
                name="attachment_on_meeting_or_note",
                violation_error_message=_("Et bilag hører enten til et møde eller til et referat."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("circles:attachment_download", kwargs={"pk": self.pk})


class CalendarToken(models.Model):
    """The secret in a member's personal calendar URL. Renewing replaces it, killing the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("medlem"),
    )
    token = models.CharField(_("nøgle"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("kalendernøgle")
        verbose_name_plural = _("kalendernøgler")

    def __str__(self) -> str:
        return str(self.user)

    def get_feed_url(self) -> str:
        return reverse("circles:calendar_feed", kwargs={"token": self.token})
