"""Files on a meeting or on its note."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from circles.models.meetings import Meeting
from circles.models.notes import MeetingNote


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
