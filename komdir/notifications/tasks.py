"""Background tasks that send mail. Each task checks again, at send time, that the member
is active, wants the mail and may still read what it is about; a mail the server refuses is
tried again a few times and then logged for the secretariat (see `deliver`)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from circles import policies as circle_policies
from circles.calendar import calendar_attachment
from circles.models import Attendance, AttendanceResponse, Meeting, MeetingNote
from circles.polls.models import Poll
from circles.polls.policies import polls as poll_policy
from circles.polls.selectors import has_voted
from circles.services import answer_url
from focus.models import Comment
from focus.voice import policies as voice_policies
from focus.voice.models import Citation, CollectionItem, Consent, Consultation, Position, PositionStatus
from focus.voice.policies import case_in_collection
from komdir.lib.mail import send_templated_mail
from komdir.notifications import selectors, services
from members.models import User

logger = logging.getLogger("komdir.mail")

# notice kind -> (preference field, template prefix)
NOTICES = {
    "reply": ("mail_replies", "members/email/notice_reply"),
    "case_comment": ("mail_case_comments", "members/email/notice_case_comment"),
    "circle_note": ("mail_circle_notes", "members/email/notice_circle_note"),
    "circle_meeting": ("mail_circle_meetings", "members/email/notice_circle_meeting"),
    "meeting_changed": ("mail_circle_meetings", "members/email/notice_meeting_changed"),
    "meeting_cancelled": ("mail_circle_meetings", "members/email/notice_meeting_cancelled"),
    "poll": ("mail_polls", "members/email/notice_poll"),
    "note_shared": ("mail_circle_notes", "members/email/notice_note_shared"),
    # A seat from the waiting list: sent whatever the settings (the member asked for it).
    "seat_offered": ("mail_circle_meetings", "members/email/notice_seat_offered"),
    "meeting_reminder": ("mail_meeting_reminders", "members/email/notice_meeting_reminder"),
    "position_opened": ("mail_positions", "members/email/notice_position_opened"),
    "consultation": ("mail_positions", "members/email/notice_consultation"),
    # The impact trail: the member's case was used by KOMDIR (once per position or collection).
    "case_used": ("mail_case_comments", "members/email/notice_case_used"),
    "case_collected": ("mail_case_comments", "members/email/notice_case_collected"),
    # "May KOMDIR quote you?" is a question only the member can answer: sent whatever the settings.
    "quote_consent": ("mail_replies", "members/email/notice_quote_consent"),
}
ASKED_OF_THE_MEMBER = ("quote_consent",)
MEETING_CHANGES = ("meeting_changed", "meeting_cancelled")
SEAT_NOTICES = ("seat_offered", "meeting_reminder")
ANSWERABLE = ("circle_meeting", "seat_offered", "meeting_reminder")

# How long to wait before the 2nd, 3rd and 4th attempt when the mail server fails; after the
# 4th the mail is given up and logged for the secretariat.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))
# What a mail server or the network does when it is away for a moment; anything else is a bug
# that another attempt would only repeat.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


def deliver(send: Callable[[], None], *, task_obj, kwargs: dict, attempt: int, what: str) -> bool:
    """Run `send`; when the server fails, try again, and after the last attempt log an ERROR
    (logger komdir.mail) and let the task fail, so the queue records it as failed.

    A queue that can run a task later (django-tasks-db) gets a new task with a growing pause;
    a backend that runs tasks at once (development) tries again at once.
    """
    can_wait = task_obj.get_backend().supports_defer
    while True:
        try:
            send()
            return True
        except TRANSIENT_MAIL_ERRORS as exc:
            if attempt > len(RETRY_DELAYS):
                logger.error(
                    "mail.failed %s attempts=%s error=%s: %s", what, attempt, type(exc).__name__, exc
                )
                raise
            logger.warning("mail.retry %s attempt=%s error=%s", what, attempt, type(exc).__name__)
            if can_wait:
                task_obj.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1]).enqueue(
                    **kwargs, attempt=attempt + 1
                )
                return False
            attempt += 1
        except Exception:
            logger.error("mail.failed %s attempts=%s (not retried)", what, attempt, exc_info=True)
            raise


def unsubscribe_headers(*, user: User, preference: str) -> tuple[dict, dict]:
    one = services.unsubscribe_url(user=user, preference=preference)
    every = services.unsubscribe_url(user=user, preference=services.ALL)
    headers = {"List-Unsubscribe": f"<{one}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return headers, {"unsubscribe_url": one, "unsubscribe_all_url": every}


def _notice_object(kind: str, object_id: int, user: User):
    """The object the notice is about, if `user` may read it; None otherwise."""
    if kind in ("reply", "case_comment"):
        return (
            Comment.objects.visible_to(user)
            .not_deleted()
            .select_related("author", "case", "focus_area__period", "parent")
            .filter(pk=object_id)
            .first()
        )
    if kind == "poll":
        # Still to be voted in by this member: not closed, theirs to vote in, not voted yet.
        poll = Poll.objects.visible_to(user).select_related("circle").filter(pk=object_id).first()
        if (
            poll is None
            or poll.is_closed
            or not poll_policy.may_vote(user, poll)
            or has_voted(poll=poll, viewer=user)
        ):
            return None
        return poll
    if kind == "position_opened":
        # Still a draft open for comments to this member.
        position = Position.objects.visible_to(user).select_related("question").filter(pk=object_id).first()
        return (
            position
            if position is not None and voice_policies.positions.can_comment(user, position)
            else None
        )
    if kind == "consultation":
        # Still open for the members' input.
        found = Consultation.objects.filter(pk=object_id).first()
        return (
            found if found is not None and voice_policies.consultations.can_give_input(user, found) else None
        )
    if kind == "case_used":
        citation = (
            Citation.objects.select_related("position", "case")
            .filter(pk=object_id, case__author=user, position__status=PositionStatus.PUBLISHED)
            .first()
        )
        return citation
    if kind == "case_collected":
        item = (
            CollectionItem.objects.select_related("collection", "case")
            .filter(pk=object_id, case__author=user, collection__published_at__isnull=False)
            .first()
        )
        return item if item is not None and case_in_collection(item.collection, item.case, user) else None
    if kind == "quote_consent":
        # Still waiting for this member's answer.
        citation = Citation.objects.select_related("position").filter(pk=object_id, member=user).first()
        return citation if citation is not None and citation.consent == Consent.ASKED else None
    if kind == "note_shared":
        # Still a draft open for comments, and this member still among the participants.
        note = MeetingNote.objects.select_related("meeting__circle").filter(pk=object_id).first()
        if note is None or not note.comments_open or not circle_policies.notes.shared_with(user, note):
            return None
        return note
    followed = selectors.followed_get(user)
    if kind == "circle_note":
        return (
            MeetingNote.objects.published()
            .visible_to(user)
            .select_related("meeting__circle")
            .filter(pk=object_id, meeting__circle_id__in=followed.circles)
            .first()
        )
    if kind == "circle_meeting":
        return (
            Meeting.objects.not_cancelled()
            .select_related("circle")
            .filter(pk=object_id, circle_id__in=followed.circles, starts_at__gt=timezone.now())
            .first()
        )
    raise ValueError(kind)


def _meeting_change_object(kind: str, object_id: int, user: User, sequence: int | None):
    """(meeting, signed_up) when the change still stands and `user` is invited or signed up."""
    meeting = Meeting.objects.select_related("circle").filter(pk=object_id).first()
    if (
        meeting is None
        or not circle_policies.meetings.can_view(user, meeting)
        or meeting.ends_at <= timezone.now()
    ):
        return None
    if meeting.is_cancelled != (kind == "meeting_cancelled"):
        return None  # a move that was followed by the cancellation
    if sequence is not None and meeting.sequence != sequence:
        return None  # a newer change is on its way with its own notice
    signed_up = Attendance.objects.filter(
        meeting=meeting, user=user, response__in=[AttendanceResponse.YES, AttendanceResponse.MAYBE]
    ).exists()
    invited = meeting.circle_id is not None and meeting.circle_id in selectors.followed_get(user).circles
    if not (signed_up or invited):
        return None
    return meeting, signed_up


def _seat_object(meeting_id: int, user: User):
    """The meeting, while `user` still has a seat at it and it lies ahead (never to someone
    who has cancelled since)."""
    meeting = (
        Meeting.objects.select_related("circle").filter(pk=meeting_id, cancelled_at__isnull=True).first()
    )
    if (
        meeting is None
        or meeting.starts_at <= timezone.now()
        or not circle_policies.meetings.can_view(user, meeting)
    ):
        return None
    has_seat = Attendance.objects.filter(meeting=meeting, user=user, response=AttendanceResponse.YES).exists()
    return meeting if has_seat else None


@task
def send_notice(
    *, kind: str, object_id: int, user_id: int, sequence: int | None = None, attempt: int = 1
) -> bool:
    """Send one immediate notice; returns whether a mail went out.

    `sequence`: for a meeting change, the meeting's SEQUENCE the notice is about.
    """
    preference, template = NOTICES[kind]
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    wants = getattr(selectors.settings_get(user), preference)
    signed_up = False
    if kind in SEAT_NOTICES:
        obj = _seat_object(object_id, user)
        if obj is None or (kind == "meeting_reminder" and not wants):
            return False
        signed_up = True
    elif kind in MEETING_CHANGES:
        found = _meeting_change_object(kind, object_id, user, sequence)
        if found is None:
            return False
        obj, signed_up = found
        # Those who signed up are told whatever their settings: they count on the meeting.
        if not (wants or signed_up):
            return False
    else:
        if not (wants or kind in ASKED_OF_THE_MEMBER):
            return False
        obj = _notice_object(kind, object_id, user)
        if obj is None:
            return False
    headers, links = unsubscribe_headers(user=user, preference=preference)
    if kind in ASKED_OF_THE_MEMBER:
        # A question only the member can answer, sent whatever the settings: no unsubscribe link
        # that would not stop it.
        headers, links = {}, {"asked_of_you": True}
    attachments = None
    if kind == "circle_meeting" or kind in MEETING_CHANGES or kind in SEAT_NOTICES:
        attachments = [calendar_attachment(obj)]

    # Mails about a meeting one can still answer carry a link to answer without logging in.
    answer = answer_url(user=user, meeting=obj) if kind in ANSWERABLE else None

    def send() -> None:
        send_templated_mail(
            template_prefix=template,
            to=[user.email],
            context={"recipient": user, "object": obj, "signed_up": signed_up, "answer_url": answer, **links},
            headers=headers,
            attachments=attachments,
        )

    kwargs = {"kind": kind, "object_id": object_id, "user_id": user_id, "sequence": sequence}
    return deliver(
        send,
        task_obj=send_notice,
        kwargs=kwargs,
        attempt=attempt,
        what=f"notice={kind} object={object_id} user={user_id}",
    )
