"""The members' answers to a meeting: sign-up with a capacity and a waiting list that moves up
by itself, the sign-up deadline, who attended, and the reminder the day before."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from circles import policies
from circles.models import Attendance, AttendanceResponse, Meeting
from circles.selectors import presence_candidate_ids
from komdir.lib import events
from members.models import User

YES, WAITING = AttendanceResponse.YES, AttendanceResponse.WAITING


def _check_who_answers(*, user: User, meeting: Meeting, actor: User | None) -> None:
    if actor is not None and actor.pk != user.pk:
        if not policies.meetings.can_record_attendance(actor, meeting):
            raise PermissionDenied
        if not policies.meetings.can_respond(user, meeting):
            raise ValidationError(
                _(
                    "Medlemmet kan ikke svare på dette møde: det er aflyst, "
                    "eller medlemmet er ikke i kredsen."
                ),
                code="cannot_respond",
            )
    elif not policies.meetings.can_respond(user, meeting):
        raise PermissionDenied


@transaction.atomic
def attendance_set(*, user: User, meeting: Meeting, response: str, actor: User | None = None) -> Attendance:
    """The member's one answer to `meeting`; two submits at once (two tabs) leave one answer.

    A "yes" to a full meeting puts the member on the waiting list (`WAITING`); a seat given up
    goes to the first on the list (`seats_fill`). The meeting's row is locked first, so two
    members asking for the last seat at once get one seat between them, never two.

    `actor`: the secretary noting the answer for the member (admin); the same rule of who may
    answer holds, told as a ValidationError the admin form can show.
    """
    if response == WAITING or response not in AttendanceResponse.values:
        raise ValidationError(_("Vælg, om du deltager."), code="invalid_response")
    _check_who_answers(user=user, meeting=meeting, actor=actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.capacity is not None:
        # A write before the seats are counted: SQLite takes its write lock here (PostgreSQL
        # holds the row lock already), so two sign-ups at once are counted one after the
        # other, never both from the same number.
        Meeting.objects.filter(pk=meeting.pk).update(capacity=F("capacity"))
    attendance = Attendance.objects.select_for_update().filter(meeting=meeting, user=user).first()
    before = attendance.response if attendance else None
    if response == YES and before not in (YES, WAITING):
        if meeting.signup_closed and actor is None:
            raise ValidationError(
                _("Tilmeldingsfristen er overskredet. Kontakt kredsformanden, hvis du gerne vil med."),
                code="deadline",
            )
        if meeting.capacity is not None and _seats_taken(meeting, but=user) >= meeting.capacity:
            response = WAITING
    elif response == YES and before == WAITING:
        response = WAITING  # still waiting: one's place in the line is kept
    if attendance is None:
        attendance = Attendance(meeting=meeting, user=user, response=response)
        if response == WAITING:
            attendance.waiting_since = timezone.now()
        # The unique constraint decides a race below, not a check that a twin can slip past.
        attendance.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                attendance.save()
        except IntegrityError:
            attendance = Attendance.objects.select_for_update().get(meeting=meeting, user=user)
        else:
            return attendance
    if attendance.response != response:
        attendance.response = response
        attendance.waiting_since = (
            (attendance.waiting_since or timezone.now()) if response == WAITING else None
        )
        attendance.full_clean(validate_constraints=False)
        attendance.save(update_fields=["response", "waiting_since", "updated_at"])
        if before == YES:
            seats_fill(meeting=meeting)
    return attendance


def _seats_taken(meeting: Meeting, *, but: User | None = None) -> int:
    taken = Attendance.objects.filter(meeting=meeting, response=YES)
    return (taken.exclude(user=but) if but is not None else taken).count()


def seats_fill(*, meeting: Meeting) -> list[Attendance]:
    """Give free seats to the waiting list, first come first served; each gets a notice
    ("circles.seat_offered"). Called inside the transaction that freed the seats."""
    if meeting.is_cancelled or meeting.starts_at <= timezone.now():
        return []
    waiting = (
        Attendance.objects.select_for_update()
        .filter(meeting=meeting, response=WAITING, user__is_active=True)
        .order_by("waiting_since", "pk")
    )
    if meeting.capacity is None:
        moved = list(waiting)  # no limit any more: everyone waiting has a seat
    else:
        free = meeting.capacity - _seats_taken(meeting)
        if free <= 0:
            return []
        moved = list(waiting[:free])
    for attendance in moved:
        attendance.response, attendance.waiting_since = YES, None
        attendance.save(update_fields=["response", "waiting_since", "updated_at"])
        events.emit("circles.seat_offered", attendance=attendance)
    return moved


@transaction.atomic
def attendance_delete(*, actor: User, attendance: Attendance) -> None:
    if actor.pk != attendance.user_id and not policies.meetings.can_record_attendance(
        actor, attendance.meeting
    ):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=attendance.meeting_id)
    had_seat = attendance.response == YES
    attendance.delete()
    if had_seat:
        seats_fill(meeting=meeting)


@transaction.atomic
def attendance_record_presence(*, actor: User, meeting: Meeting, present: Iterable[int]) -> int:
    """After the meeting, the lead marks who came (`present`: user ids). Those marked get
    `attended=True` (an answer row is made for a member who came without signing up); everyone
    else who had answered "yes" gets `attended=False`. Returns how many came."""
    if not policies.meetings.can_record_presence(actor, meeting):
        raise PermissionDenied
    present = {int(pk) for pk in present}
    allowed = set(presence_candidate_ids(meeting))
    if present - allowed:
        raise ValidationError(_("Kun kredsens medlemmer og de tilmeldte kan markeres."), code="not_invited")
    for user_id in present:
        row, _created = Attendance.objects.get_or_create(
            meeting=meeting, user_id=user_id, defaults={"response": YES, "attended": True}
        )
        if row.attended is not True:
            row.attended = True
            row.save(update_fields=["attended"])
    Attendance.objects.filter(meeting=meeting).exclude(user_id__in=present).filter(response=YES).update(
        attended=False
    )
    Attendance.objects.filter(meeting=meeting).exclude(user_id__in=present).exclude(response=YES).update(
        attended=None
    )
    return len(present)


# A reminder goes out for meetings that begin between REMINDER_AHEAD - REMINDER_WINDOW and
# REMINDER_AHEAD from now: run hourly (docs/operations.md), each meeting is reminded the day before.
REMINDER_AHEAD = timedelta(hours=24)
REMINDER_WINDOW = timedelta(hours=24)


@transaction.atomic
def reminders_claim(*, now=None) -> list[int]:
    """The signed-up answers whose reminder is due, each claimed once (`reminded_at` set here
    under lock, so two runs at once never send one twice). The mail is sent by the task."""
    now = now or timezone.now()
    due = (
        Attendance.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            response=YES,
            reminded_at__isnull=True,
            user__is_active=True,
            meeting__cancelled_at__isnull=True,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + REMINDER_AHEAD,
        )
        .order_by("meeting__starts_at", "pk")
    )
    ids = list(due.values_list("pk", flat=True))
    Attendance.objects.filter(pk__in=ids).update(reminded_at=now)
    for attendance_id in ids:
        events.emit("circles.reminder_due", attendance_id=attendance_id)
    return ids


# The "answer from the e-mail" link: signed, for one member and one meeting; it works until the
# meeting ends and only while the member may answer (circles.policies.meetings.can_respond).
ANSWER_SALT = "komdir.circles.answer"


def answer_token(*, user: User, meeting: Meeting) -> str:
    return signing.dumps({"u": user.pk, "m": meeting.pk}, salt=ANSWER_SALT, compress=True)


def answer_url(*, user: User, meeting: Meeting) -> str:
    token = answer_token(user=user, meeting=meeting)
    return settings.SITE_URL + reverse("circles:answer_from_mail", kwargs={"token": token})


def answer_token_parse(token: str) -> tuple[User, Meeting] | None:
    """The member and meeting a link stands for; None for anything tampered, over or not theirs."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("u", "m")):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    meeting = Meeting.objects.select_related("circle").filter(pk=data["m"]).first()
    if user is None or meeting is None or meeting.ends_at <= timezone.now():
        return None
    if not policies.meetings.can_respond(user, meeting):
        return None
    return user, meeting
