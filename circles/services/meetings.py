"""Meetings: plan, change, cancel, delete; and the members' answers."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from circles import policies
from circles.models import Attachment, Circle, Meeting, MeetingKind
from circles.services.attachments import _delete_files_on_commit
from komdir.lib import events
from komdir.lib.markdown import render_markdown
from members.models import User

MEETING_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "agenda",
    "capacity",
    "signup_deadline",
)


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
    capacity: int | None = None,
    signup_deadline: datetime | None = None,
    submission_token: str = "",
) -> Meeting:
    """Create a meeting. The same `submission_token` twice gives the first meeting back."""
    if not policies.meetings.can_create(actor, circle):
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
        capacity=capacity,
        signup_deadline=signup_deadline,
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
    if not policies.meetings.can_edit(actor, meeting):
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
    if "capacity" in changed:  # more seats, or no limit: the waiting list moves up
        from circles.services.attendance import seats_fill  # the same package, one concept per module

        seats_fill(meeting=meeting)
    if moved:
        events.emit("circles.meeting_changed", meeting=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, message: str = "") -> Meeting:
    """Cancel once; those invited or signed up are told ("meeting_cancelled") unless it is over."""
    if not policies.meetings.can_cancel(actor, meeting):
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
def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    """Delete a meeting with its note, answers and attachments, files included (admin only)."""
    if not policies.meetings.can_delete(actor, meeting):
        raise PermissionDenied
    _delete_files_on_commit(Attachment.objects.filter(Q(meeting=meeting) | Q(note__meeting=meeting)))
    meeting.delete()
