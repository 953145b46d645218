"""What circles' pages depend on in the shared fragment cache (komdir/lib/fragments/), and
which of circles' writes refresh them."""

from __future__ import annotations

from komdir.lib import fragments

NOTES = "circles.notes"  # notes wherever they are listed: focus areas' pages, search
MEETINGS = "circles.meetings"  # meetings wherever they are listed: search, the circles' list
MEMBERSHIPS = "circles.memberships"  # who sits in which circle: the member directory


def circle_tag(pk: int | None) -> str:
    """A circle's page (association-wide events have no circle: `None`)."""
    return f"circles.circle:{pk}"


def _meeting_written(meeting, **kwargs):
    return [circle_tag(meeting.circle_id), MEETINGS, NOTES]


def _note_written(note, **kwargs):
    return [circle_tag(note.meeting.circle_id), NOTES]


def _note_areas_changed(instance, **kwargs):
    if kwargs.get("reverse"):
        return [NOTES]
    return [circle_tag(instance.meeting.circle_id), NOTES]


def _attendance_written(attendance, **kwargs):
    return [circle_tag(attendance.meeting.circle_id)]


def _attachment_written(attachment, **kwargs):
    return [None] if attachment.meeting_id is None and attachment.note_id is None else [NOTES, MEETINGS]


def _membership_written(membership, **kwargs):
    # Who sits in a circle also decides which notes they read, everywhere: the audiences of the
    # pages that show notes name the viewer's circles, so a changed membership reads new keys.
    return [circle_tag(membership.circle_id), NOTES, MEMBERSHIPS]


def connect() -> None:
    fragments.watch(
        "circles",
        {
            "circle": fragments.EVERYTHING,
            "circlemembership": _membership_written,
            "meeting": _meeting_written,
            "attendance": _attendance_written,
            "meetingnote": _note_written,
            "meetingnote_focus_areas": _note_areas_changed,
            "noterevision": fragments.QUIET,
            "attachment": _attachment_written,
            "calendartoken": fragments.QUIET,
        },
    )
