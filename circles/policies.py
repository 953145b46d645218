"""Who may see and do what in circles/: one policy per model (komdir.lib.policies).

PRODUCT.md's matrix and docs/permissions.md are the rules written down:

- every member reads every circle and every meeting (a circle's too);
- a circle's lead (and the secretariat) plans its meetings and writes its notes; only the
  secretariat plans association-wide events;
- a published note "for all members" is read by every member, a "circle only" one by the
  circle; a draft by those who may edit it (the circle's leads and the secretariat);
- an attachment follows what it is attached to: a meeting's, the meeting; a note's, the note.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from circles.models import (
    Attachment,
    Attendance,
    AttendanceResponse,
    CalendarToken,
    Circle,
    Meeting,
    MeetingNote,
    NoteStatus,
    NoteVisibility,
    viewer_circle_ids,
    viewer_lead_circle_ids,
)
from komdir.lib.policies import EVERYTHING, NOTHING, Conditions, Policy
from members.models import User
from members.policies import is_member, is_secretariat

AnyUser = User | AnonymousUser


def _through(conditions: Conditions, relation: str) -> Conditions:
    """The same conditions, read from a row that points at the object through `relation`."""
    if conditions == EVERYTHING:
        return ({f"{relation}_id__isnull": False},)
    return tuple({f"{relation}__{lookup}": value for lookup, value in c.items()} for c in conditions)


class CirclePolicy(Policy):
    model = Circle
    ACTIONS = ("view", "create", "edit", "delete", "manage", "manage_members")

    def conditions(self, user: AnyUser) -> Conditions:
        return EVERYTHING if is_member(user) else NOTHING

    def can_create(self, user: AnyUser) -> bool:
        return is_secretariat(user)

    def can_edit(self, user: AnyUser, circle: Circle) -> bool:
        return is_secretariat(user)

    def can_delete(self, user: AnyUser, circle: Circle) -> bool:
        return is_secretariat(user)

    def can_manage_members(self, user: AnyUser, circle: Circle) -> bool:
        """Who sits in the circle and who leads it: the secretariat sets it (PRODUCT.md)."""
        return is_secretariat(user)

    def can_manage(self, user: AnyUser, circle: Circle | None) -> bool:
        """Plan the meetings and write the notes of `circle` (None: association-wide events)."""
        if is_secretariat(user):
            return True
        return circle is not None and is_member(user) and circle.pk in viewer_lead_circle_ids(user)


class MeetingPolicy(Policy):
    model = Meeting
    ACTIONS = (
        "view",
        "create",
        "edit",
        "cancel",
        "delete",
        "respond",
        "view_attendance",
        "view_attendees",
        "record_attendance",
        "record_presence",
        "write_note",
    )

    def conditions(self, user: AnyUser) -> Conditions:
        return EVERYTHING if is_member(user) else NOTHING

    def can_create(self, user: AnyUser, circle: Circle | None = None) -> bool:
        """A meeting of `circle`; without one, an association-wide event."""
        return circles.can_manage(user, circle)

    def manages(self, user: AnyUser, meeting: Meeting) -> bool:
        """The circle's leads and the secretariat, whatever became of the meeting."""
        return circles.can_manage(user, meeting.circle)

    def can_edit(self, user: AnyUser, meeting: Meeting) -> bool:
        # A cancelled meeting is closed: its page says so and its calendar entry is a
        # cancellation; changing it (or adding papers) would tell no one and mislead.
        return self.manages(user, meeting) and not meeting.is_cancelled

    def can_cancel(self, user: AnyUser, meeting: Meeting) -> bool:
        return self.manages(user, meeting)

    def can_delete(self, user: AnyUser, meeting: Meeting) -> bool:
        return self.manages(user, meeting)

    def can_respond(self, user: AnyUser, meeting: Meeting) -> bool:
        """Association-wide events are for everyone; circle meetings for the circle (and the secretariat)."""
        if not is_member(user) or meeting.is_cancelled:
            return False
        if meeting.circle_id is None or is_secretariat(user):
            return True
        return meeting.circle_id in viewer_circle_ids(user)

    def can_view_attendance(self, user: AnyUser, meeting: Meeting) -> bool:
        return self.manages(user, meeting)

    def can_view_attendees(self, user: AnyUser, meeting: Meeting) -> bool:
        """Who is coming (the names of those signed up): those the meeting is for."""
        if not is_member(user):
            return False
        if meeting.circle_id is None or is_secretariat(user):
            return True
        return meeting.circle_id in viewer_circle_ids(user)

    def can_record_presence(self, user: AnyUser, meeting: Meeting) -> bool:
        """After it has begun, the leads (and the secretariat) mark who came."""
        return (
            self.manages(user, meeting) and not meeting.is_cancelled and meeting.starts_at <= timezone.now()
        )

    def can_record_attendance(self, user: AnyUser, meeting: Meeting) -> bool:
        """Note or remove a member's answer for them (a secretary taking it on the phone)."""
        return is_secretariat(user)

    def can_write_note(self, user: AnyUser, meeting: Meeting) -> bool:
        """No notes of a meeting that was not held."""
        return self.manages(user, meeting) and not meeting.is_cancelled


class MeetingNotePolicy(Policy):
    model = MeetingNote
    ACTIONS = ("view", "edit", "publish", "delete", "share", "comment_draft")

    def conditions(self, user: AnyUser) -> Conditions:
        if not is_member(user):
            return NOTHING
        if is_secretariat(user):
            return EVERYTHING
        published = NoteStatus.PUBLISHED
        return (
            {"status": published, "visibility": NoteVisibility.MEMBERS},
            {
                "status": published,
                "visibility": NoteVisibility.CIRCLE,
                "meeting__circle_id__in": sorted(viewer_circle_ids(user)),
            },
            # Drafts too: for the circle's leads, who write them (MeetingPolicy.manages).
            {"meeting__circle_id__in": sorted(viewer_lead_circle_ids(user))},
        )

    def can_read(self, user: AnyUser, note: MeetingNote) -> bool:
        """The note's own page: what `can_view` allows, and a shared draft for its participants."""
        return self.can_view(user, note) or self.shared_with(user, note)

    def shared_with(self, user: AnyUser, note: MeetingNote) -> bool:
        """A draft the lead shared for comments is also read by the meeting's participants (who
        signed up or came), on the note's own page only. It is not part of `conditions`: lists,
        cached pages and searches never show a draft to anyone but its writers, and asking this
        costs a query, which no list may pay per row."""
        if not (is_member(user) and note.is_shared_for_comments):
            return False
        # Still one of those the meeting is for (a member who left the circle reads no more of it).
        if not meetings.can_respond(user, note.meeting):
            return False
        return (
            Attendance.objects.filter(meeting_id=note.meeting_id, user_id=user.pk)
            .filter(Q(response=AttendanceResponse.YES) | Q(attended=True))
            .exists()
        )

    def can_comment_draft(self, user: AnyUser, note: MeetingNote) -> bool:
        return note.comments_open and self.can_read(user, note)

    def can_share(self, user: AnyUser, note: MeetingNote) -> bool:
        return self.can_edit(user, note) and not note.is_published

    def can_edit(self, user: AnyUser, note: MeetingNote) -> bool:
        return meetings.can_write_note(user, note.meeting)

    def can_publish(self, user: AnyUser, note: MeetingNote) -> bool:
        return self.can_edit(user, note)

    def can_delete(self, user: AnyUser, note: MeetingNote) -> bool:
        return meetings.manages(user, note.meeting)


class AttachmentPolicy(Policy):
    model = Attachment
    ACTIONS = ("view", "create", "delete")

    def conditions(self, user: AnyUser) -> Conditions:
        # What it is attached to decides (docs/permissions.md): a meeting's attachment is read
        # by whoever reads the meeting, a note's by whoever reads the note.
        on_meeting = tuple(
            {"note_id__isnull": True, **c} for c in _through(meetings.conditions(user), "meeting")
        )
        return on_meeting + _through(notes.conditions(user), "note")

    def can_create(
        self, user: AnyUser, *, meeting: Meeting | None = None, note: MeetingNote | None = None
    ) -> bool:
        if note is not None:
            return notes.can_edit(user, note)
        return meeting is not None and meetings.can_edit(user, meeting)

    def can_delete(self, user: AnyUser, attachment: Attachment) -> bool:
        # Removing a paper put up by mistake stays possible on a cancelled meeting.
        if attachment.note_id is not None:
            return notes.can_delete(user, attachment.note)
        return meetings.manages(user, attachment.meeting)


class CalendarFeedPolicy(Policy):
    """A member's own calendar address; the feed is for members (it stops when they leave)."""

    model = CalendarToken
    ACTIONS = ("view", "use", "revoke")

    def conditions(self, user: AnyUser) -> Conditions:
        return ({"user_id": user.pk},) if is_member(user) else NOTHING

    def can_use(self, user: AnyUser) -> bool:
        return is_member(user)

    def can_revoke(self, user: AnyUser, token: CalendarToken) -> bool:
        """The member renews their own; the secretariat revokes an address that has leaked."""
        return is_secretariat(user) or (is_member(user) and token.user_id == user.pk)

    def actions_without_object(self):
        return ("create", "use")


circles = CirclePolicy()
meetings = MeetingPolicy()
notes = MeetingNotePolicy()
attachments = AttachmentPolicy()
calendar_feed = CalendarFeedPolicy()


def audience(user: AnyUser) -> str:
    """What about `user` changes which circles' content a page shows them: the circles they sit
    in (circle-only notes) and lead (drafts). Part of a cached page's key (komdir/lib/fragments/)."""
    if not is_member(user) or is_secretariat(user):
        return "circles=-"
    sits = ",".join(str(pk) for pk in sorted(viewer_circle_ids(user)))
    leads = ",".join(str(pk) for pk in sorted(viewer_lead_circle_ids(user)))
    return f"circles={sits};leads={leads}"
