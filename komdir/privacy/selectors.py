"""A member's own data (GDPR articles 15, 17 and 20): the export and the deletion of an account.

`member_export` (selectors) reads everything the portal holds about one person into plain JSON-ready
data. `account_delete` (services) is a service: personal data goes, contributions stay under the name
"Tidligere medlem" unless the member also chose to delete them (then they are soft-deleted
through the focus services, so they vanish from every page, list and feed).
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Q
from django.utils import timezone

from circles.decisions.models import ActionItem, NoteComment
from circles.models import Attendance, CalendarToken, CircleMembership, Meeting, MeetingNote, NoteRevision
from circles.polls.models import Participation, Vote
from focus.models import Case, Comment, Report
from focus.voice.models import Citation, ConsultationInput, PositionComment
from komdir.notifications.models import Follow, NotificationSettings
from komdir.overview.models import SeenItem
from members.models import Invitation, Profile, User

FORMER_FIRST_NAME = "Tidligere"
FORMER_LAST_NAME = "medlem"
# RFC 2606: .invalid never resolves, so the replacement address can never receive mail.
ANONYMISED_DOMAIN = "anonymiseret.invalid"


def is_anonymised(user: User) -> bool:
    return user.email.endswith("@" + ANONYMISED_DOMAIN)


def _iso(value):
    return value.isoformat() if value is not None else None


# --- export (articles 15 and 20) -------------------------------------------------------------


def member_export(*, user: User) -> dict:
    """Everything the portal holds about `user`, as JSON-ready data (no secrets, no hashes)."""

    profile = Profile.objects.filter(user=user).select_related("municipality__region").first()
    data: dict = {
        "format": "komdir-portalen/member-export/1",
        "exported_at": _iso(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "is_secretariat": user.is_staff,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "two_factor": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        },
        "profile": None,
    }
    if profile is not None:
        data["profile"] = {
            "title": profile.title,
            "level": profile.level,
            "municipality": profile.municipality.name if profile.municipality else None,
            "region": profile.municipality.region.name if profile.municipality else None,
            "phone": profile.phone,
            "bio": profile.bio,
        }
    data["invitations"] = [
        {
            "email": i.email,
            "first_name": i.first_name,
            "last_name": i.last_name,
            "title": i.title,
            "level": i.level,
            "municipality": i.municipality.name,
            "created_at": _iso(i.created_at),
            "expires_at": _iso(i.expires_at),
            "accepted_at": _iso(i.accepted_at),
            "revoked_at": _iso(i.revoked_at),
        }
        for i in Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("municipality")
        .order_by("created_at")
    ]
    data["circles"] = [
        {"circle": m.circle.name, "role": m.role, "joined_at": _iso(m.joined_at)}
        for m in CircleMembership.objects.filter(user=user).select_related("circle").order_by("pk")
    ]
    data["cases"] = [
        {
            "id": c.pk,
            "title": c.title,
            "summary": c.summary,
            "body": c.body,
            "focus_area": str(c.focus_area),
            "guiding_questions": [q.text for q in c.questions.all()],
            "tags": sorted(t.name for t in c.tags.all()),
            "status": c.status,
            "is_public": c.is_public,
            "created_at": _iso(c.created_at),
            "published_at": _iso(c.published_at),
            "hidden_at": _iso(c.hidden_at),
            "version": c.version,
            "history": [
                {
                    "version": r.version,
                    "title": r.title,
                    "summary": r.summary,
                    "body": r.body,
                    "tags": r.tag_names,
                    "saved_at": _iso(r.created_at),
                }
                for r in c.revisions.all()
            ],
        }
        for c in Case.objects.filter(author=user)
        .select_related("focus_area")
        .prefetch_related("questions", "tags", "revisions")
        .order_by("created_at")
    ]
    data["comments"] = [
        {
            "id": c.pk,
            "body": c.body,
            "on": (
                f"case {c.case_id}"
                if c.case_id
                else f"question {c.question_id}"
                if c.question_id
                else f"area {c.focus_area_id}"
            ),
            "reply_to": c.parent_id,
            "created_at": _iso(c.created_at),
            "edited_at": _iso(c.edited_at),
            "deleted_at": _iso(c.deleted_at),
            "hidden_at": _iso(c.hidden_at),
            "history": [
                {"version": r.version, "body": r.body, "saved_at": _iso(r.created_at)}
                for r in c.revisions.all()
            ],
        }
        for c in Comment.objects.filter(author=user).prefetch_related("revisions").order_by("created_at")
    ]
    data["reports"] = [
        {
            "about": f"case {r.case_id}" if r.case_id else f"comment {r.comment_id}",
            "reason": r.reason,
            "created_at": _iso(r.created_at),
            "resolved_at": _iso(r.resolved_at),
        }
        for r in Report.objects.filter(reporter=user).order_by("created_at")
    ]
    data["meetings_created"] = [
        {"id": m.pk, "title": m.title, "starts_at": _iso(m.starts_at)}
        for m in Meeting.objects.filter(created_by=user).order_by("starts_at")
    ]
    data["notes"] = [
        {
            "meeting": n.meeting.title,
            "body": n.body,
            "visibility": n.visibility,
            "status": n.status,
            "published_at": _iso(n.published_at),
        }
        for n in MeetingNote.objects.filter(author=user).select_related("meeting").order_by("created_at")
    ]
    data["note_edits"] = [
        {"meeting": r.note.meeting.title, "body": r.body, "saved_at": _iso(r.created_at)}
        for r in NoteRevision.objects.filter(edited_by=user).select_related("note__meeting").order_by("pk")
    ]
    data["attendance"] = [
        {"meeting": a.meeting.title, "starts_at": _iso(a.meeting.starts_at), "response": a.response}
        for a in Attendance.objects.filter(user=user).select_related("meeting").order_by("meeting__starts_at")
    ]
    # Named polls: what the member voted. Anonymous ones: only that they took part (nothing
    # else links them to a vote, not even here).
    named = {
        v.poll_id: v
        for v in Vote.objects.filter(voter=user).prefetch_related("options").select_related("poll")
    }
    data["polls"] = [
        {
            "question": p.poll.question,
            "voted_at": _iso(p.voted_at),
            "anonymous": p.poll.anonymous,
            "answer": [o.label for o in named[p.poll_id].options.all()] if p.poll_id in named else None,
            "comment": named[p.poll_id].comment if p.poll_id in named else None,
        }
        for p in Participation.objects.filter(user=user).select_related("poll").order_by("voted_at", "pk")
    ]
    data["actions"] = [
        {"action": a.text, "meeting": a.note.meeting.title, "due": _iso(a.due_date), "status": a.status}
        for a in ActionItem.objects.filter(owner=user).select_related("note__meeting").order_by("pk")
    ]
    data["draft_comments"] = [
        {"meeting": c.note.meeting.title, "body": c.body, "written_at": _iso(c.created_at)}
        for c in NoteComment.objects.filter(author=user).select_related("note__meeting").order_by("pk")
    ]
    data["quotes"] = [
        {
            "position": c.position.title,
            "quote": c.quote,
            "answer": c.consent,
            "asked_at": _iso(c.asked_at),
            "answered_at": _iso(c.answered_at),
        }
        for c in Citation.objects.filter(member=user)
        .exclude(quote="")
        .select_related("position")
        .order_by("pk")
    ]
    data["position_comments"] = [
        {"position": c.position.title, "body": c.body, "written_at": _iso(c.created_at)}
        for c in PositionComment.objects.filter(author=user).select_related("position").order_by("pk")
    ]
    data["consultation_input"] = [
        {"consultation": i.consultation.title, "body": i.body, "written_at": _iso(i.created_at)}
        for i in ConsultationInput.objects.filter(author=user).select_related("consultation").order_by("pk")
    ]
    data["sessions"] = [
        {
            "started_at": _iso(s.created_at),
            "last_seen_at": _iso(s.last_seen_at),
            "ip": s.ip,
            "browser": s.user_agent,
        }
        for s in UserSession.objects.filter(user=user).order_by("created_at")
    ]
    token = CalendarToken.objects.filter(user=user).first()
    # The feed address is a credential: say that it exists, never what it is.
    data["calendar_feed"] = {"created_at": _iso(token.created_at)} if token else None
    data["follows"] = [
        {"kind": f.kind, "object_id": f.object_id, "active": f.active, "automatic": f.automatic}
        for f in Follow.objects.filter(user=user).order_by("kind", "object_id")
    ]
    data["seen"] = [
        {"kind": kind, "object_id": object_id, "seen_at": _iso(seen_at)}
        for kind, object_id, seen_at in SeenItem.objects.filter(user=user)
        .order_by("kind", "object_id")
        .values_list("kind", "object_id", "seen_at")
    ]
    preferences = NotificationSettings.objects.filter(user=user).first()
    data["preferences"] = (
        {
            f.name: getattr(preferences, f.name)
            for f in NotificationSettings._meta.concrete_fields
            if f.name not in ("id", "user") and not f.name.endswith("_at")
        }
        if preferences
        else None
    )
    return data


def departed_members(*, older_than: timedelta):
    """Members who left (deactivated) more than `older_than` ago and are not yet anonymised.

    The clock starts at the departure (`departed_at`), as the privacy page promises: a member
    who left yesterday keeps their name for the whole period, however long ago they last
    logged in.
    """
    cutoff = timezone.now() - older_than
    return (
        User.objects.filter(is_active=False, departed_at__lt=cutoff)
        .exclude(email__endswith="@" + ANONYMISED_DOMAIN)
        .order_by("pk")
    )
