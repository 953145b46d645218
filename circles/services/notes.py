"""Meeting notes: write, publish, delete; every save leaves a revision."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from circles import policies
from circles.models import Attachment, Meeting, MeetingNote, NoteRevision, NoteStatus, NoteVisibility
from circles.services.attachments import _delete_files_on_commit
from komdir.lib import events
from komdir.lib.conflicts import EditConflict
from komdir.lib.markdown import render_markdown
from members.models import User


def _note_snapshot(*, note: MeetingNote, actor: User) -> None:
    NoteRevision.objects.create(
        note=note, body=note.body, visibility=note.visibility, status=note.status, edited_by=actor
    )


@transaction.atomic
def note_save(
    *,
    actor: User,
    meeting: Meeting,
    body: str,
    visibility: str,
    focus_areas=(),
    publish: bool = False,
    expected_revision: int | None = None,
) -> MeetingNote:
    """Create or update the notes of `meeting`; every save leaves a revision behind.

    `expected_revision` is the newest revision's id when the editor opened the form (0 for a
    note not written yet): if someone saved since, EditConflict is raised and nothing is written.
    """
    if not policies.meetings.can_write_note(actor, meeting):
        raise PermissionDenied
    if meeting.circle_id is None:
        # There is no circle to keep an association-wide event's notes inside.
        visibility = NoteVisibility.MEMBERS
    note = MeetingNote.objects.select_for_update().filter(meeting=meeting).first()
    if expected_revision is not None:
        check_note_revision(note=note, expected_revision=expected_revision)
    if note is None:
        note = MeetingNote(meeting=meeting, author=actor)
        changed = None
    else:
        changed = ["body", "body_html", "visibility", "updated_at"]
    note.body = body
    note.body_html = render_markdown(body)
    note.visibility = visibility
    published_now = publish and note.status != NoteStatus.PUBLISHED
    if published_now:
        # Publishing is the lead's approval: the note says who approved it and when.
        note.status = NoteStatus.PUBLISHED
        note.published_at = note.approved_at = timezone.now()
        note.approved_by = actor
        if changed is not None:
            changed += ["status", "published_at", "approved_at", "approved_by"]
    if changed is None:
        # One note per meeting: the database decides between two first saves at once.
        note.full_clean(exclude=["focus_areas"], validate_unique=False)
        try:
            with transaction.atomic():
                note.save()
        except IntegrityError:
            winner = MeetingNote.objects.filter(meeting=meeting).first()
            if winner is None:
                raise
            # Someone wrote the first notes a moment ago: theirs stand, ours come back to the form.
            newest = winner.revisions.order_by("-pk").values_list("pk", flat=True).first()
            raise EditConflict(current_version=newest or 0) from None
    else:
        note.full_clean(exclude=["focus_areas"])
        note.save(update_fields=changed)
    note.focus_areas.set(list(focus_areas))
    _note_snapshot(note=note, actor=actor)
    if published_now:
        events.emit("circles.note_published", note=note)
    return note


def check_note_revision(*, note: MeetingNote | None, expected_revision: int | None) -> None:
    """EditConflict unless `expected_revision` is the newest revision of `note` (0: no note yet)."""
    newest = note.revisions.order_by("-pk").values_list("pk", flat=True).first() if note else None
    if (newest or 0) != expected_revision:
        raise EditConflict(current_version=newest or 0)


@transaction.atomic
def note_publish(*, actor: User, note: MeetingNote) -> MeetingNote:
    if not policies.notes.can_publish(actor, note):
        raise PermissionDenied
    # Read again under lock: a publish from another tab or page must not notify the circle twice.
    note = MeetingNote.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=note.pk)
    if note.status != NoteStatus.PUBLISHED:
        note.status = NoteStatus.PUBLISHED
        note.published_at = note.approved_at = timezone.now()
        note.approved_by = actor
        note.save(update_fields=["status", "published_at", "approved_at", "approved_by", "updated_at"])
        _note_snapshot(note=note, actor=actor)
        events.emit("circles.note_published", note=note)
    return note


@transaction.atomic
def note_delete(*, actor: User, note: MeetingNote) -> None:
    """Delete a note with its revisions and attachments, files included (the secretariat, in admin)."""
    if not policies.notes.can_delete(actor, note):
        raise PermissionDenied
    _delete_files_on_commit(Attachment.objects.filter(note=note))
    note.delete()


@transaction.atomic
def note_share(*, actor: User, note: MeetingNote, until) -> MeetingNote:
    """Share a draft with the meeting's participants for comments until `until`; they are told
    ("circles.note_shared"). Sharing again moves the date (and tells no one twice)."""
    if not policies.notes.can_edit(actor, note):
        raise PermissionDenied
    note = MeetingNote.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=note.pk)
    if note.is_published:
        raise ValidationError(_("Referatet er allerede godkendt og offentliggjort."), code="published")
    if until <= timezone.now():
        raise ValidationError({"until": _("Vælg i dag eller en dato efter i dag.")}, code="past")
    first = note.shared_until is None
    note.shared_until = until
    note.save(update_fields=["shared_until", "updated_at"])
    if first:
        events.emit("circles.note_shared", note=note)
    return note
