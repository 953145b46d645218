"""Every write in circles/."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from circles import policies
from circles.models import (
    Attachment,
    Attendance,
    CalendarToken,
    Circle,
    CircleMembership,
    Meeting,
    MeetingKind,
    MeetingNote,
    MembershipRole,
    NoteRevision,
    NoteStatus,
    NoteVisibility,
)
from circles.uploads import check_upload
from komdir.lib import events
from komdir.lib.conflicts import EditConflict
from komdir.lib.markdown import render_markdown
from members.models import User


@transaction.atomic
def membership_assign_default(*, user: User) -> CircleMembership | None:
    """Put a member without a circle into the circle of their municipality's region."""
    if user.circle_memberships.exists():
        return None
    profile = getattr(user, "profile", None)
    if profile is None or profile.municipality_id is None:
        return None
    circle = Circle.objects.filter(region_id=profile.municipality.region_id).order_by("pk").first()
    if circle is None:
        return None
    membership = CircleMembership(circle=circle, user=user)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_set(*, user: User, circle: Circle, role: str = MembershipRole.MEMBER) -> CircleMembership:
    membership, created = CircleMembership.objects.get_or_create(
        circle=circle, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


# --- meetings -----------------------------------------------------------------------------

MEETING_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "agenda")


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    circle: Circle | None,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: str | None = None,
    location: str = "",
    online_url: str = "",
    agenda: str = "",
    submission_token: str = "",
) -> Meeting:
    """Create a meeting. The same `submission_token` twice gives the first meeting back."""
    if not policies.can_create_meeting(actor, circle):
        raise PermissionDenied
    twin = Meeting.objects.filter(created_by=actor, submission_token=submission_token)
    if submission_token and twin.exists():
        return twin.get()
    if kind is None:
        kind = MeetingKind.CIRCLE if circle is not None else MeetingKind.GENERAL_ASSEMBLY
    meeting = Meeting(
        circle=circle,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        agenda=agenda,
        agenda_html=render_markdown(agenda),
        created_by=actor,
        submission_token=submission_token,
    )
    try:
        meeting.full_clean()
        # A savepoint: a concurrent twin of this submit hits the unique constraint, not a 500.
        with transaction.atomic():
            meeting.save()
    except (ValidationError, IntegrityError):
        if submission_token and twin.exists():
            return twin.get()
        raise
    events.emit("circles.meeting_created", meeting=meeting)
    return meeting


# A change of these is a move: it is mailed to those invited or signed up, with a new SEQUENCE.
MEETING_TIME_AND_PLACE = ("starts_at", "ends_at", "location", "online_url")


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **changes) -> Meeting:
    """Change a meeting. A move of time or place that still lies ahead is mailed out
    ("meeting_changed"), keeping the previous time and place to show what changed."""
    if not policies.can_edit_meeting(actor, meeting):
        raise PermissionDenied
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields: {sorted(unknown)}")
    changed = [field for field, value in changes.items() if getattr(meeting, field) != value]
    if not changed:
        return meeting
    before = {field: getattr(meeting, field) for field in MEETING_TIME_AND_PLACE}
    for field in changed:
        setattr(meeting, field, changes[field])
    if "agenda" in changed:
        meeting.agenda_html = render_markdown(meeting.agenda)
        changed.append("agenda_html")
    moved = (
        not meeting.is_cancelled
        and any(field in MEETING_TIME_AND_PLACE for field in changed)
        and meeting.ends_at > timezone.now()
    )
    if moved:
        meeting.previous_starts_at = before["starts_at"]
        meeting.previous_ends_at = before["ends_at"]
        meeting.previous_location = before["location"]
        meeting.previous_online_url = before["online_url"]
        meeting.changed_at = timezone.now()
        # Counted from the locked row: two edits at once still give two new numbers.
        current = Meeting.objects.select_for_update().only("sequence").get(pk=meeting.pk)
        meeting.sequence = current.sequence + 1
        changed += [
            "previous_starts_at",
            "previous_ends_at",
            "previous_location",
            "previous_online_url",
            "changed_at",
            "sequence",
        ]
    meeting.full_clean()
    meeting.save(update_fields=[*changed, "updated_at"])
    if moved:
        events.emit("circles.meeting_changed", meeting=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, message: str = "") -> Meeting:
    """Cancel once; those invited or signed up are told ("meeting_cancelled") unless it is over."""
    if not policies.can_edit_meeting(actor, meeting):
        raise PermissionDenied
    # The lock makes a double submit cancel (and mail) once.
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.cancelled_at is None:
        meeting.cancelled_at = timezone.now()
        meeting.cancel_message = message.strip()
        meeting.sequence = current.sequence + 1
        meeting.full_clean()
        meeting.save(update_fields=["cancelled_at", "cancel_message", "sequence", "updated_at"])
        if meeting.ends_at > timezone.now():
            events.emit("circles.meeting_cancelled", meeting=meeting)
    else:
        meeting.cancelled_at, meeting.cancel_message = current.cancelled_at, current.cancel_message
        meeting.sequence = current.sequence
    return meeting


@transaction.atomic
def attendance_set(*, user: User, meeting: Meeting, response: str) -> Attendance:
    """The member's one answer to `meeting`; two submits at once (two tabs) leave one answer."""
    if not policies.can_respond_to_meeting(user, meeting):
        raise PermissionDenied
    attendance = Attendance.objects.select_for_update().filter(meeting=meeting, user=user).first()
    if attendance is None:
        attendance = Attendance(meeting=meeting, user=user, response=response)
        # The unique constraint decides a race below, not a check that a twin can slip past.
        attendance.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                attendance.save()
            return attendance
        except IntegrityError:
            attendance = Attendance.objects.select_for_update().get(meeting=meeting, user=user)
    if attendance.response != response:
        attendance.response = response
        attendance.full_clean(validate_constraints=False)
        attendance.save(update_fields=["response", "updated_at"])
    return attendance


# --- notes --------------------------------------------------------------------------------


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
    if not policies.can_manage_circle(actor, meeting.circle):
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
        note.status = NoteStatus.PUBLISHED
        note.published_at = timezone.now()
        if changed is not None:
            changed += ["status", "published_at"]
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
    if not policies.can_edit_note(actor, note):
        raise PermissionDenied
    # Read again under lock: a publish from another tab or page must not notify the circle twice.
    note = MeetingNote.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=note.pk)
    if note.status != NoteStatus.PUBLISHED:
        note.status = NoteStatus.PUBLISHED
        note.published_at = timezone.now()
        note.save(update_fields=["status", "published_at", "updated_at"])
        _note_snapshot(note=note, actor=actor)
        events.emit("circles.note_published", note=note)
    return note


# --- attachments --------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    file,
    filename: str | None = None,
    meeting: Meeting | None = None,
    note: MeetingNote | None = None,
) -> Attachment:
    """Check `file` by content and store it under a random name. Raises ValidationError (Danish)."""
    if (meeting is None) == (note is None):
        raise TypeError("attachment_add() needs exactly one of meeting= or note=")
    if not policies.can_add_attachment(actor, meeting=meeting, note=note):
        raise PermissionDenied
    checked = check_upload(file, name=filename if filename is not None else file.name)
    attachment = Attachment(
        meeting=meeting,
        note=note,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["file"])
    # The storage writes the file first; if the row fails, remove the file again.
    attachment.file.save(checked.name, file, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def _delete_files_on_commit(attachments) -> None:
    # Files are not in the transaction: remove them only once the rows are gone for good.
    for storage, name in [(a.file.storage, a.file.name) for a in attachments if a.file.name]:
        transaction.on_commit(partial(storage.delete, name))


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    if not policies.can_delete_attachment(actor, attachment):
        raise PermissionDenied
    _delete_files_on_commit([attachment])
    attachment.delete()


@transaction.atomic
def note_delete(*, actor: User, note: MeetingNote) -> None:
    """Delete a note with its revisions and attachments, files included (the secretariat, in admin)."""
    if not policies.can_edit_note(actor, note):
        raise PermissionDenied
    _delete_files_on_commit(Attachment.objects.filter(note=note))
    note.delete()


@transaction.atomic
def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    """Delete a meeting with its note, answers and attachments, files included (admin only)."""
    if not policies.can_edit_meeting(actor, meeting):
        raise PermissionDenied
    _delete_files_on_commit(Attachment.objects.filter(Q(meeting=meeting) | Q(note__meeting=meeting)))
    meeting.delete()


# --- calendar -----------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_token_get_or_create(*, user: User) -> CalendarToken:
    if not policies.can_use_calendar_feed(user):
        raise PermissionDenied
    token, _created = CalendarToken.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return token


@transaction.atomic
def calendar_token_renew(*, user: User) -> CalendarToken:
    """A new secret; the old URL stops working at once."""
    if not policies.can_use_calendar_feed(user):
        raise PermissionDenied
    token = CalendarToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        return calendar_token_get_or_create(user=user)
    token.token = _new_token()
    token.created_at = timezone.now()
    token.full_clean()
    token.save(update_fields=["token", "created_at"])
    return token


def validation_message(exc: ValidationError) -> str:
    return " ".join(exc.messages) or _("Ugyldige data.")
