"""Meeting notes ("referat") and the revisions every save leaves behind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models.meetings import Meeting
from komdir.lib.dates import last_day


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
        """The notes `user` may read (circles.policies.notes states the rule)."""
        from circles.policies import notes  # the same app's policies, which import these models

        return notes.visible(user, self)


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
    # A draft shared with the meeting's participants for comments until then (services.note_share).
    shared_until = models.DateTimeField(_("til kommentering indtil"), null=True, blank=True)
    # Who approved the note, by publishing it, and when: the published note says so.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkendt af"),
    )
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
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
    def is_shared_for_comments(self) -> bool:
        return not self.is_published and self.shared_until is not None

    @property
    def comments_last_day(self):
        """The last day participants may comment ("til og med"): the lead picks a day, and
        `shared_until` is the midnight after it."""
        return last_day(self.shared_until)

    @property
    def comments_open(self) -> bool:
        return self.is_shared_for_comments and timezone.now() < self.shared_until

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
