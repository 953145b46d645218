"""What circles do when the apps below announce something (komdir.lib.events)."""

from __future__ import annotations

from circles import caching, policies
from circles.decisions.selectors import notes_and_decisions_for_area
from circles.services import membership_assign_default
from komdir.lib import events


def area_notes(*, area, viewer) -> dict:
    """A focus area's page lists the meeting notes that discussed it and the decisions linked to
    it (focus cannot import us)."""
    return notes_and_decisions_for_area(area=area, viewer=viewer)


def area_cache(*, viewer) -> dict:
    """What of the viewer changes the notes an area's page lists, and what refreshes them."""
    return {"audience": lambda: [policies.audience(viewer)], "depends": [caching.NOTES]}


def member_joined(*, user) -> None:
    """A new member sits in their region's circle from the first moment."""
    membership_assign_default(user=user)


def subscribe() -> None:
    events.subscribe("focus.area_shown", area_notes)
    events.subscribe("focus.area_cache", area_cache)
    events.subscribe("members.member_joined", member_joined)
