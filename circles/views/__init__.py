"""The circle pages, one module per concept; circles/urls.py names them as `views.<name>`."""

from circles.views.attendance import answer_from_mail, attendance_export, attendance_set, presence_record
from circles.views.meetings import (
    attachment_add,
    attachment_delete,
    attachment_download,
    calendar_feed,
    calendar_settings,
    circle_detail,
    circle_list,
    meeting_cancel,
    meeting_cancel_confirm,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_ics,
    note_detail,
    note_edit,
    note_edit_by_note,
)

__all__ = [
    "answer_from_mail",
    "attachment_add",
    "attachment_delete",
    "attachment_download",
    "attendance_export",
    "attendance_set",
    "calendar_feed",
    "calendar_settings",
    "circle_detail",
    "circle_list",
    "meeting_cancel",
    "meeting_cancel_confirm",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_ics",
    "note_detail",
    "note_edit",
    "note_edit_by_note",
    "presence_record",
]
