"""Who may do what in circles/. The only place these rules live."""

from __future__ import annotations

from circles.models import (
    Attachment,
    Circle,
    Meeting,
    MeetingNote,
    NoteVisibility,
    viewer_circle_ids,
    viewer_lead_circle_ids,
)
from members.policies import is_member, is_secretariat


def can_view_circle(user, circle: Circle) -> bool:
    return is_member(user)


def is_circle_lead(user, circle: Circle) -> bool:
    return is_member(user) and circle.pk in viewer_lead_circle_ids(user)


def can_manage_circle(user, circle: Circle | None) -> bool:
    """Create and edit meetings and notes of `circle` (None: association-wide events)."""
    if is_secretariat(user):
        return True
    return circle is not None and is_circle_lead(user, circle)


def can_create_meeting(user, circle: Circle | None) -> bool:
    return can_manage_circle(user, circle)


def can_view_meeting(user, meeting: Meeting) -> bool:
    return is_member(user)


def can_edit_meeting(user, meeting: Meeting) -> bool:
    return can_manage_circle(user, meeting.circle)


def can_respond_to_meeting(user, meeting: Meeting) -> bool:
    """Association-wide events are for everyone; circle meetings for the circle (and the secretariat)."""
    if not is_member(user) or meeting.is_cancelled:
        return False
    if meeting.circle_id is None or is_secretariat(user):
        return True
    return meeting.circle_id in viewer_circle_ids(user)


def can_view_attendance(user, meeting: Meeting) -> bool:
    return can_edit_meeting(user, meeting)


def can_edit_note(user, note: MeetingNote) -> bool:
    return can_manage_circle(user, note.meeting.circle)


def can_view_note(user, note: MeetingNote) -> bool:
    """Mirrors MeetingNote.objects.visible_to(); drafts only for those who may edit them."""
    if not is_member(user):
        return False
    if is_secretariat(user):
        return True
    if not note.is_published:
        return can_edit_note(user, note)
    if note.visibility == NoteVisibility.MEMBERS:
        return True
    circle_id = note.meeting.circle_id
    return circle_id is not None and circle_id in viewer_circle_ids(user)


def can_view_attachment(user, attachment: Attachment) -> bool:
    """An attachment follows what it is attached to (docs/permissions.md): a note's follows the
    note (circle-only, draft), a meeting's follows the meeting, which every member reads, also
    for a circle's meeting. What only the circle may read belongs in a circle-only note."""
    if attachment.note_id is not None:
        return can_view_note(user, attachment.note)
    return can_view_meeting(user, attachment.meeting)


def can_add_attachment(user, *, meeting: Meeting | None = None, note: MeetingNote | None = None) -> bool:
    if note is not None:
        return can_edit_note(user, note)
    return meeting is not None and can_edit_meeting(user, meeting)


def can_delete_attachment(user, attachment: Attachment) -> bool:
    if attachment.note_id is not None:
        return can_edit_note(user, attachment.note)
    return can_edit_meeting(user, attachment.meeting)


def can_use_calendar_feed(user) -> bool:
    return is_member(user)
