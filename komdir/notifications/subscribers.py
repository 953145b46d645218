"""What happens when focus and circles announce a write (komdir.lib.events): automatic
follows and the notices that go out. Subscribed in NotificationsConfig.ready."""

from __future__ import annotations

from django.utils import timezone

from circles.models import Attendance
from circles.polls.selectors import eligible_voter_ids
from komdir.lib import events
from komdir.notifications.models import FollowKind
from komdir.notifications.selectors import (
    recipients_for_circle,
    recipients_for_comment,
    recipients_for_consultation,
    recipients_for_meeting_change,
    recipients_for_position,
    recipients_for_shared_draft,
)
from komdir.notifications.services import follow_auto
from komdir.notifications.tasks import send_notice


def on_case_created(case) -> None:
    follow_auto(user=case.author, kind=FollowKind.CASE, object_id=case.pk)


def on_comment_added(comment) -> None:
    if comment.case_id is not None:
        follow_auto(user=comment.author, kind=FollowKind.CASE, object_id=comment.case_id)
    for kind, user_id in recipients_for_comment(comment):
        send_notice.enqueue(kind=kind, object_id=comment.pk, user_id=user_id)


def on_note_published(note) -> None:
    for user_id in recipients_for_circle(circle_id=note.meeting.circle_id, exclude_user_id=note.author_id):
        send_notice.enqueue(kind="circle_note", object_id=note.pk, user_id=user_id)


def on_meeting_created(meeting) -> None:
    if meeting.starts_at <= timezone.now():
        return  # a meeting entered after it began (to keep its notes) is no invitation
    for user_id in recipients_for_circle(circle_id=meeting.circle_id, exclude_user_id=meeting.created_by_id):
        send_notice.enqueue(kind="circle_meeting", object_id=meeting.pk, user_id=user_id)


def _on_meeting_change(kind: str, meeting) -> None:
    for user_id in recipients_for_meeting_change(meeting):
        send_notice.enqueue(kind=kind, object_id=meeting.pk, user_id=user_id, sequence=meeting.sequence)


def on_meeting_changed(meeting) -> None:
    _on_meeting_change("meeting_changed", meeting)


def on_meeting_cancelled(meeting) -> None:
    _on_meeting_change("meeting_cancelled", meeting)


def on_poll_created(poll) -> None:
    for user_id in eligible_voter_ids(poll=poll):
        if user_id != poll.created_by_id:
            send_notice.enqueue(kind="poll", object_id=poll.pk, user_id=user_id)


def on_seat_offered(attendance) -> None:
    send_notice.enqueue(kind="seat_offered", object_id=attendance.meeting_id, user_id=attendance.user_id)


def on_reminder_due(attendance_id: int) -> None:
    found = Attendance.objects.filter(pk=attendance_id).values_list("meeting_id", "user_id").first()
    if found is not None:
        send_notice.enqueue(kind="meeting_reminder", object_id=found[0], user_id=found[1])


def on_note_shared(note) -> None:
    for user_id in recipients_for_shared_draft(note):
        send_notice.enqueue(kind="note_shared", object_id=note.pk, user_id=user_id)


def on_position_opened(position, before_region_id=None) -> None:
    for user_id in recipients_for_position(position, before_region_id=before_region_id):
        send_notice.enqueue(kind="position_opened", object_id=position.pk, user_id=user_id)


def on_consent_asked(citation) -> None:
    send_notice.enqueue(kind="quote_consent", object_id=citation.pk, user_id=citation.member_id)


def on_consultation_created(consultation, area_ids=None, before=()) -> None:
    for user_id in recipients_for_consultation(consultation, area_ids=area_ids, before=before):
        send_notice.enqueue(kind="consultation", object_id=consultation.pk, user_id=user_id)


def on_position_published(position) -> None:
    """The impact trail: the author of each cited case hears that KOMDIR used it."""
    for citation in position.citations.exclude(case=None).select_related("case"):
        if citation.case.author_id != position.approved_by_id:
            send_notice.enqueue(kind="case_used", object_id=citation.pk, user_id=citation.case.author_id)


def on_case_collected(item) -> None:
    send_notice.enqueue(kind="case_collected", object_id=item.pk, user_id=item.case.author_id)


def subscribe() -> None:
    events.subscribe("focus.case_created", on_case_created)
    events.subscribe("focus.comment_added", on_comment_added)
    events.subscribe("circles.note_published", on_note_published)
    events.subscribe("circles.meeting_created", on_meeting_created)
    events.subscribe("circles.meeting_changed", on_meeting_changed)
    events.subscribe("circles.meeting_cancelled", on_meeting_cancelled)
    events.subscribe("polls.poll_created", on_poll_created)
    events.subscribe("circles.seat_offered", on_seat_offered)
    events.subscribe("circles.reminder_due", on_reminder_due)
    events.subscribe("circles.note_shared", on_note_shared)
    events.subscribe("voice.position_opened", on_position_opened)
    events.subscribe("voice.consent_asked", on_consent_asked)
    events.subscribe("voice.consultation_created", on_consultation_created)
    events.subscribe("voice.position_published", on_position_published)
    events.subscribe("voice.case_collected", on_case_collected)
