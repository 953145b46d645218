"""The weekly digest's mail; sent like every notice (komdir.notifications.tasks.deliver)."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from circles.decisions.selectors import actions_for
from circles.polls.selectors import open_polls_for
from focus.voice.selectors import consent_waiting_for, open_consultations, published_between
from komdir.lib.mail import send_templated_mail
from komdir.notifications.selectors import settings_get
from komdir.notifications.tasks import deliver, unsubscribe_headers
from komdir.overview.models import DigestLog
from komdir.overview.selectors import whats_new_for


@task
def send_digest(*, digest_id: int, attempt: int = 1) -> bool:
    """Send the weekly digest claimed as `digest_id`; nothing when there is nothing new."""
    digest = DigestLog.objects.select_related("user").filter(pk=digest_id).first()
    if digest is None or not digest.user.is_active:
        return False
    user = digest.user
    if not settings_get(user).weekly_digest:
        return False
    new = whats_new_for(user=user, since=digest.since, until=digest.created_at)
    open_polls = open_polls_for(viewer=user)
    my_actions = actions_for(viewer=user)["my_actions"]
    positions = published_between(since=digest.since, until=digest.created_at)
    quotes = consent_waiting_for(user=user)
    consultations = open_consultations(viewer=user)
    count = sum(len(items) for items in new.values()) + sum(
        map(len, (open_polls, my_actions, positions, quotes, consultations))
    )
    DigestLog.objects.filter(pk=digest.pk).update(item_count=count)
    if not count:
        return False
    headers, links = unsubscribe_headers(user=user, preference="weekly_digest")

    def send() -> None:
        send_templated_mail(
            template_prefix="members/email/digest",
            to=[user.email],
            context={
                "recipient": user,
                "since": timezone.localtime(digest.since),
                **new,
                "open_polls": open_polls,
                "my_actions": my_actions,
                "positions": positions,
                "quotes": quotes,
                "consultations": consultations,
                **links,
            },
            headers=headers,
        )

    return deliver(
        send,
        task_obj=send_digest,
        kwargs={"digest_id": digest_id},
        attempt=attempt,
        what=f"digest={digest_id} user={user.pk}",
    )
