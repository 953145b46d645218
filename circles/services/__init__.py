"""Every write in circles/, one module per concept; the public names are re-exported here so
callers keep `from circles import services; services.meeting_create(...)`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from circles.services.attachments import attachment_add, attachment_delete
from circles.services.attendance import (
    answer_token_parse,
    answer_url,
    attendance_delete,
    attendance_record_presence,
    attendance_set,
    reminders_claim,
    seats_fill,
)
from circles.services.calendar import (
    calendar_token_get_or_create,
    calendar_token_renew,
    calendar_token_revoke,
)
from circles.services.meetings import (
    MEETING_FIELDS,
    MEETING_TIME_AND_PLACE,
    meeting_cancel,
    meeting_create,
    meeting_delete,
    meeting_update,
)
from circles.services.memberships import (
    CIRCLE_FIELDS,
    MEMBERSHIP_FIELDS,
    circle_create,
    circle_delete,
    circle_update,
    member_circle_data_erase,
    membership_add,
    membership_assign_default,
    membership_remove,
    membership_set,
    membership_update,
)
from circles.services.notes import check_note_revision, note_delete, note_publish, note_save, note_share

__all__ = [
    "answer_token_parse",
    "answer_url",
    "CIRCLE_FIELDS",
    "MEETING_FIELDS",
    "MEMBERSHIP_FIELDS",
    "MEETING_TIME_AND_PLACE",
    "attachment_add",
    "attachment_delete",
    "attendance_delete",
    "attendance_record_presence",
    "attendance_set",
    "calendar_token_get_or_create",
    "calendar_token_renew",
    "calendar_token_revoke",
    "circle_create",
    "circle_delete",
    "circle_update",
    "check_note_revision",
    "meeting_cancel",
    "meeting_create",
    "meeting_delete",
    "meeting_update",
    "member_circle_data_erase",
    "membership_add",
    "membership_assign_default",
    "membership_remove",
    "membership_set",
    "membership_update",
    "note_delete",
    "note_publish",
    "note_save",
    "note_share",
    "reminders_claim",
    "seats_fill",
    "validation_message",
]


def validation_message(exc: ValidationError) -> str:
    return " ".join(exc.messages) or _("Ugyldige data.")
