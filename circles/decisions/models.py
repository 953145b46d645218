"""Decisions and action items of a meeting's notes; comments on a shared draft of the notes.
Each follows its note: who may read the note reads them (circles.decisions.policies)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import MeetingNote


class Decision(models.Model):
    note = models.ForeignKey(
        MeetingNote, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("referat")
    )
    text = models.TextField(_("beslutning"))
    focus_areas = models.ManyToManyField(
        "focus.FocusArea", blank=True, related_name="decisions", verbose_name=_("fokusområder")
    )
    questions = models.ManyToManyField(
        "focus.GuidingQuestion", blank=True, related_name="decisions", verbose_name=_("spørgsmål")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        ordering = ["note", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.note.get_absolute_url()}#beslutning-{self.pk}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    DONE = "done", _("Udført")


class ActionItem(models.Model):
    note = models.ForeignKey(
        MeetingNote, on_delete=models.CASCADE, related_name="actions", verbose_name=_("referat")
    )
    text = models.CharField(_("handling"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("ansvarlig"),
    )
    due_date = models.DateField(_("frist"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(_("udført"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlinger")
        ordering = ["note", "due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status"], name="action_owner_status_idx")]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return f"{reverse('circles:note_detail', kwargs={'pk': self.note_id})}#handling-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_date is not None and self.due_date < timezone.localdate()


class NoteComment(models.Model):
    """A participant's comment on a draft of the notes, shared for comments by the lead."""

    note = models.ForeignKey(
        MeetingNote, on_delete=models.CASCADE, related_name="review_comments", verbose_name=_("referat")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("kommentar"))
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        verbose_name = _("kommentar til udkast")
        verbose_name_plural = _("kommentarer til udkast")
        ordering = ["note", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]
