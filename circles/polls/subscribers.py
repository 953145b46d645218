"""What polls add to pages below them (komdir.lib.events): a draft position's page lists the
temperature checks on it, as the viewer may see them."""

from __future__ import annotations

from django.urls import reverse

from circles.polls.models import Poll
from circles.polls.policies import polls as policy
from komdir.lib import events


def position_polls(*, position, viewer) -> dict:
    polls = list(policy.visible(viewer, Poll.objects.filter(position=position)).order_by("-opens_at", "-pk"))
    can_create = position.is_open_to_members and policy.can_create(viewer, None, None, position)
    return {
        "position_polls": polls,
        "poll_create_url": f"{reverse('polls:poll_create')}?holdning={position.slug}" if can_create else "",
    }


def position_polled(*, position) -> bool:
    """Whether all members have been asked about the draft (its audience may not shrink)."""
    return Poll.objects.filter(position=position).exists()


def subscribe() -> None:
    events.subscribe("voice.position_shown", position_polls)
    events.subscribe("voice.position_narrowing", position_polled)
