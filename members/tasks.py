"""Background tasks that send mail. Each task checks again, at send time, that the member
is active, wants the mail and may still read what it is about."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from komdir.mail import send_templated_mail
from members import notifications
from members.models import DigestLog, User

# notice kind -> (preference field, template prefix)
NOTICES = {
    "reply": ("mail_replies", "members/email/notice_reply"),
    "case_comment": ("mail_case_comments", "members/email/notice_case_comment"),
    "circle_note": ("mail_circle_notes", "members/email/notice_circle_note"),
    "circle_meeting": ("mail_circle_meetings", "members/email/notice_circle_meeting"),
}


def _unsubscribe_headers(*, user: User, preference: str) -> tuple[dict, dict]:
    one = notifications.unsubscribe_url(user=user, preference=preference)
    every = notifications.unsubscribe_url(user=user, preference=notifications.ALL)
    headers = {"List-Unsubscribe": f"<{one}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return headers, {"unsubscribe_url": one, "unsubscribe_all_url": every}


def _notice_object(kind: str, object_id: int, user: User):
    """The object the notice is about, if `user` may read it; None otherwise."""
    from circles.models import Meeting, MeetingNote
    from focus.models import Comment

    if kind in ("reply", "case_comment"):
        return (
            Comment.objects.visible_to(user)
            .not_deleted()
            .select_related("author", "case", "focus_area__period", "parent")
            .filter(pk=object_id)
            .first()
        )
    followed = notifications.followed_get(user)
    if kind == "circle_note":
        return (
            MeetingNote.objects.visible_to(user)
            .select_related("meeting__circle")
            .filter(pk=object_id, meeting__circle_id__in=followed.circles)
            .first()
        )
    if kind == "circle_meeting":
        return (
            Meeting.objects.not_cancelled()
            .select_related("circle")
            .filter(pk=object_id, circle_id__in=followed.circles)
            .first()
        )
    raise ValueError(kind)


@task
def send_notice(*, kind: str, object_id: int, user_id: int) -> bool:
    """Send one immediate notice; returns whether a mail went out."""
    preference, template = NOTICES[kind]
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not getattr(notifications.settings_get(user), preference):
        return False
    obj = _notice_object(kind, object_id, user)
    if obj is None:
        return False
    headers, links = _unsubscribe_headers(user=user, preference=preference)
    attachments = None
    if kind == "circle_meeting":
        from circles.calendar import calendar_for

        attachments = [("moede.ics", calendar_for([obj], name=obj.title), "text/calendar")]
    send_templated_mail(
        template_prefix=template,
        to=[user.email],
        context={"recipient": user, "object": obj, **links},
        headers=headers,
        attachments=attachments,
    )
    return True


@task
def send_digest(*, digest_id: int) -> bool:
    """Send the weekly digest claimed as `digest_id`; nothing when there is nothing new."""
    digest = DigestLog.objects.select_related("user").filter(pk=digest_id).first()
    if digest is None or not digest.user.is_active:
        return False
    user = digest.user
    if not notifications.settings_get(user).weekly_digest:
        return False
    new = notifications.whats_new_for(user=user, since=digest.since, until=digest.created_at)
    count = sum(len(items) for items in new.values())
    DigestLog.objects.filter(pk=digest.pk).update(item_count=count)
    if not count:
        return False
    headers, links = _unsubscribe_headers(user=user, preference="weekly_digest")
    send_templated_mail(
        template_prefix="members/email/digest",
        to=[user.email],
        context={"recipient": user, "since": timezone.localtime(digest.since), **new, **links},
        headers=headers,
    )
    return True
