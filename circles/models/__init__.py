"""The models of circles/, one module per concept; every model is imported here (Django needs it)."""

from circles.models.attachments import Attachment, attachment_upload_to
from circles.models.calendar_tokens import CalendarToken
from circles.models.circles import (
    Circle,
    CircleMembership,
    CircleMembershipQuerySet,
    MembershipRole,
    viewer_circle_ids,
    viewer_lead_circle_ids,
)
from circles.models.meetings import (
    Attendance,
    AttendanceResponse,
    Meeting,
    MeetingKind,
    MeetingQuerySet,
)
from circles.models.notes import MeetingNote, MeetingNoteQuerySet, NoteRevision, NoteStatus, NoteVisibility

__all__ = [
    "Attachment",
    "Attendance",
    "AttendanceResponse",
    "CalendarToken",
    "Circle",
    "CircleMembership",
    "CircleMembershipQuerySet",
    "Meeting",
    "MeetingKind",
    "MeetingNote",
    "MeetingNoteQuerySet",
    "MeetingQuerySet",
    "MembershipRole",
    "NoteRevision",
    "NoteStatus",
    "NoteVisibility",
    "attachment_upload_to",
    "viewer_circle_ids",
    "viewer_lead_circle_ids",
]
