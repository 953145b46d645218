"""Reads that feed the circle pages; every select_related/prefetch decision lives here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from circles import policies
from circles.models import (
    Attachment,
    Attendance,
    AttendanceResponse,
    CalendarToken,
    Circle,
    CircleMembership,
    Meeting,
    MeetingNote,
    MembershipRole,
    NoteStatus,
)
from members.models import User
from members.policies import is_member


def circle_list() -> list[Circle]:
    """All circles with their leads, member counts and next meeting (three queries in all)."""
    now = timezone.now()
    circles = list(
        Circle.objects.select_related("region")
        .annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=CircleMembership.objects.leads().select_related("user").order_by("user__first_name"),
                to_attr="lead_memberships",
            )
        )
    )
    upcoming = (
        Meeting.objects.not_cancelled()
        .filter(circle__isnull=False, starts_at__gte=now)
        .order_by("circle_id", "starts_at", "pk")
        .values("circle_id", "pk", "title", "starts_at")
    )
    # One pass over upcoming meetings is cheaper than a subquery per circle at this size
    # (a handful of circles, a few meetings each ahead).
    next_by_circle: dict[int, dict] = {}
    for row in upcoming:
        next_by_circle.setdefault(row["circle_id"], row)
    for circle in circles:
        circle.next_meeting = next_by_circle.get(circle.pk)
    return circles


def circle_get(*, slug: str, viewer) -> Circle | None:
    return policies.circles.visible(viewer, Circle.objects.select_related("region")).filter(slug=slug).first()


PAST_MEETINGS_SHOWN = 12

# The circle page lists meetings and notes, never their texts: only these columns are read.
_MEETING_LIST_FIELDS = ("pk", "circle", "title", "starts_at", "ends_at", "location", "cancelled_at")
_NOTE_FIELDS = ("note__id", "note__meeting", "note__status", "note__visibility")


def circle_detail_data(*, circle: Circle, viewer) -> dict:
    """What the circle page shows: upcoming meetings, the latest past ones, notes and members.

    Members come back as printable values and each meeting carries `visible_note` (the note the
    viewer may open, or None), so the template does no lookups of its own. Five queries.
    """
    now = timezone.now()
    members = [
        {
            "name": f"{first} {last}".strip() or email,
            "is_lead": role == MembershipRole.LEAD,
            "meta": f"{title}, {municipality}" if municipality else "",
        }
        for role, first, last, email, title, municipality in CircleMembership.objects.filter(circle=circle)
        .order_by("user__first_name", "user__last_name", "user__pk")
        .values_list(
            "role",
            "user__first_name",
            "user__last_name",
            "user__email",
            "user__profile__title",
            "user__profile__municipality__name",
        )
    ]
    # A circle collects years of meetings; the page shows what is coming and the latest past ones.
    # One query for both lists: everything still to come, and the latest past ones by id.
    meetings = Meeting.objects.filter(circle=circle)
    latest_past = meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk").values("pk")
    rows = list(
        meetings.filter(Q(ends_at__gte=now) | Q(pk__in=latest_past[:PAST_MEETINGS_SHOWN]))
        .select_related("note")
        .only(*_MEETING_LIST_FIELDS, *_NOTE_FIELDS)
        .order_by("starts_at", "pk")
    )
    upcoming = [m for m in rows if m.ends_at >= now]
    past = [m for m in reversed(rows) if m.ends_at < now]
    for meeting in rows:
        meeting.circle = circle  # rows of this circle; the note permission below reads it
        note = meeting.note if meeting_has_note(meeting) else None
        # The notes policy reads only cached membership ids and the meeting here: no query per row.
        meeting.visible_note = note if note is not None and policies.notes.can_view(viewer, note) else None
    notes = list(
        MeetingNote.objects.published()
        .visible_to(viewer)
        .filter(meeting__circle=circle)
        .select_related("meeting")
        .only("pk", "visibility", "meeting__title", "meeting__starts_at")
        .order_by("-meeting__starts_at", "-pk")[:PAST_MEETINGS_SHOWN]
    )
    return {
        "leads": [m["name"] for m in members if m["is_lead"]],
        "members": members,
        "upcoming": upcoming,
        "past": past,
        "notes": notes,
        "can_manage": policies.circles.can_manage(viewer, circle),
    }


def meeting_has_note(meeting: Meeting) -> bool:
    try:
        meeting.note  # noqa: B018 - select_related filled the cache; no query
    except MeetingNote.DoesNotExist:
        return False
    return True


def meeting_get(*, pk: int, viewer) -> Meeting | None:
    """The meeting if `viewer` may see it."""
    return (
        Meeting.objects.visible_to(viewer)
        .select_related("circle", "note", "created_by")
        .filter(pk=pk)
        .first()
    )


def meeting_detail_data(*, meeting: Meeting, viewer) -> dict:
    """Everything the meeting page shows, with the note only if `viewer` may read it."""
    note = meeting.note if meeting_has_note(meeting) else None
    if note is not None and not policies.notes.can_view(viewer, note):
        # A draft shared for comments: its participants read it here too (not a cached page).
        note = note if policies.notes.shared_with(viewer, note) else None
    can_edit = policies.meetings.can_edit(viewer, meeting)
    attachments = list(Attachment.objects.filter(meeting=meeting))
    note_attachments, focus_areas = [], []
    if note is not None:
        note_attachments = list(Attachment.objects.filter(note=note))
        focus_areas = list(note.focus_areas.select_related("period").order_by("period__start_year", "number"))
    can_view_attendance = policies.meetings.can_view_attendance(viewer, meeting)
    can_view_attendees = policies.meetings.can_view_attendees(viewer, meeting)
    loaded = can_view_attendance or can_view_attendees
    rows = attendance_rows(meeting=meeting) if loaded else []
    own = next((r for r in rows if r.attendance.user_id == viewer.pk), None)
    if not loaded and is_member(viewer):  # the viewer's own answer is among the rows when loaded
        found = Attendance.objects.filter(meeting=meeting, user=viewer).first()
        own = AttendanceRow(found, _position(found, None)) if found else None
    attending = [r.attendance for r in rows if r.attendance.response == AttendanceResponse.YES]
    return {
        "note": note,
        "note_attachments": note_attachments,
        "focus_areas": focus_areas,
        "attachments": attachments,
        "attendances": [r.attendance for r in rows] if can_view_attendance else [],
        "attendance_rows": rows if can_view_attendance else [],
        "attendees": attending if can_view_attendees else [],
        "attending_count": len(attending),
        "waiting_count": sum(1 for r in rows if r.position),
        "seats_left": max(meeting.capacity - len(attending), 0) if meeting.capacity and loaded else None,
        "own_attendance": own.attendance if own else None,
        "own_position": own.position if own else None,
        "can_view_attendees": can_view_attendees,
        "can_record_presence": policies.meetings.can_record_presence(viewer, meeting),
        "can_edit": can_edit,
        "can_write_note": policies.meetings.can_write_note(viewer, meeting),
        "can_view_attendance": can_view_attendance,
        # Every attachment on the page (the meeting's and its note's) is removed by its managers.
        "can_remove_attachments": policies.meetings.manages(viewer, meeting),
        "can_respond": policies.meetings.can_respond(viewer, meeting),
    }


@dataclass
class AttendanceRow:
    attendance: Attendance
    position: int | None  # on the waiting list


_ORDER = {AttendanceResponse.YES: 0, AttendanceResponse.MAYBE: 1, AttendanceResponse.WAITING: 2}


def _position(attendance: Attendance, waiting: list[Attendance] | None) -> int | None:
    if attendance.response != AttendanceResponse.WAITING:
        return None
    if waiting is None:
        return waiting_position(attendance)
    return waiting.index(attendance) + 1


def waiting_position(attendance: Attendance) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if attendance.response != AttendanceResponse.WAITING:
        return None
    since = attendance.waiting_since
    ahead = Attendance.objects.filter(
        meeting_id=attendance.meeting_id, response=AttendanceResponse.WAITING
    ).filter(Q(waiting_since__lt=since) | Q(waiting_since=since, pk__lt=attendance.pk))
    return ahead.count() + 1


def presence_candidate_ids(meeting: Meeting) -> list[int]:
    """Who can be marked as present: whoever answered, and the members the meeting was for (the
    circle's; every active member for an association-wide event)."""
    answered = Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True)
    if meeting.circle_id is None:
        invited = User.objects.filter(is_active=True, is_staff=False).values_list("pk", flat=True)
    else:
        invited = CircleMembership.objects.filter(circle_id=meeting.circle_id).values_list(
            "user_id", flat=True
        )
    return sorted(set(answered) | set(invited))


def attendance_rows(*, meeting: Meeting) -> list[AttendanceRow]:
    """Every answer, "yes" first, then "maybe", the waiting list in its order, then "no"; one query."""
    found = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("user", "user__profile__municipality")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    waiting = sorted(
        (a for a in found if a.response == AttendanceResponse.WAITING), key=lambda a: (a.waiting_since, a.pk)
    )
    found.sort(key=lambda a: (_ORDER.get(a.response, 3), waiting.index(a) if a in waiting else 0))
    return [AttendanceRow(a, _position(a, waiting)) for a in found]


def presence_people(*, meeting: Meeting) -> list:
    """Who the lead can mark as present, by name, each with `.attended` from their answer."""
    answers = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    people = list(
        User.objects.filter(pk__in=presence_candidate_ids(meeting)).order_by("first_name", "last_name", "pk")
    )
    for person in people:
        answer = answers.get(person.pk)
        person.attended = bool(answer and answer.attended)
        person.signed_up = bool(answer and answer.response == AttendanceResponse.YES)
    return sorted(people, key=lambda person: not person.signed_up)  # stable: by name within


def association_meeting_list(*, upcoming: bool = True) -> list[Meeting]:
    qs = Meeting.objects.filter(circle__isnull=True)
    return list(qs.upcoming() if upcoming else qs.past())


def meeting_list_upcoming_for(*, viewer, limit: int = 5) -> list[Meeting]:
    """The next meetings of the viewer's own circles and the association-wide events."""
    return list(
        Meeting.objects.visible_to(viewer)
        .for_feed(viewer)
        .not_cancelled()
        .upcoming()
        .select_related("circle")[:limit]
    )


def note_get(*, pk: int, viewer) -> MeetingNote | None:
    """The note if `viewer` may see it (drafts for those who may edit them, and a draft shared
    for comments for the meeting's participants: policies.notes.shared_with)."""
    related = ("meeting", "meeting__circle", "author", "approved_by")
    found = MeetingNote.objects.visible_to(viewer).select_related(*related).filter(pk=pk).first()
    if found is None and is_member(viewer):
        shared = (
            MeetingNote.objects.filter(pk=pk, status=NoteStatus.DRAFT, shared_until__isnull=False)
            .select_related(*related)
            .first()
        )
        if shared is not None and policies.notes.shared_with(viewer, shared):
            return shared
    return found


def note_get_for_edit(*, pk: int, viewer) -> MeetingNote | None:
    note = MeetingNote.objects.select_related("meeting", "meeting__circle").filter(pk=pk).first()
    if note is None or not policies.notes.can_edit(viewer, note):
        return None
    return note


def note_detail_data(*, note: MeetingNote) -> dict:
    return {
        "attachments": list(Attachment.objects.filter(note=note)),
        "focus_areas": list(
            note.focus_areas.select_related("period").order_by("period__start_year", "number")
        ),
    }


def note_revision_list(*, note: MeetingNote) -> list:
    return list(note.revisions.select_related("edited_by"))


def attachment_get(*, pk: int, viewer) -> Attachment | None:
    """The attachment if `viewer` may read what it is attached to; a shared draft's papers are
    read by its participants too, as the draft is (policies.notes.shared_with)."""
    qs = Attachment.objects.select_related("meeting", "note", "note__meeting")
    found = policies.attachments.visible(viewer, qs).filter(pk=pk).first()
    if found is None and is_member(viewer):
        on_draft = qs.filter(pk=pk, note__status=NoteStatus.DRAFT, note__shared_until__isnull=False).first()
        if on_draft is not None and policies.notes.shared_with(viewer, on_draft.note):
            return on_draft
    return found


def calendar_token_get(*, token: str) -> CalendarToken | None:
    if not token:
        return None
    return CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()


def calendar_meetings_for(*, user) -> list[Meeting]:
    """The personal feed: the member's circles and association-wide events, a year back on."""
    since = timezone.now() - timedelta(days=365)
    return list(
        Meeting.objects.visible_to(user)
        .for_feed(user)
        .filter(ends_at__gte=since)
        .select_related("circle")
        .order_by("starts_at")
    )


def meeting_submitted(*, actor, submission_token: str) -> Meeting | None:
    """The meeting `actor` already created from the form carrying `submission_token`, if any."""
    if not submission_token or not getattr(actor, "is_authenticated", False):
        return None
    return Meeting.objects.filter(created_by=actor, submission_token=submission_token).first()
