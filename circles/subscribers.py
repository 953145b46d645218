"""What circles do when the apps below announce something (komdir.lib.events)."""

from __future__ import annotations

from circles.selectors import note_list_for_area
from circles.services import membership_assign_default
from komdir.lib import events


def area_notes(*, area, viewer) -> dict:
    """A focus area's page lists the meeting notes that discussed it (focus cannot import us)."""
    return {"notes": note_list_for_area(area=area, viewer=viewer)}


def member_joined(*, user) -> None:
    """A new member sits in their region's circle from the first moment."""
    membership_assign_default(user=user)


def subscribe() -> None:
    events.subscribe("focus.area_shown", area_notes)
    events.subscribe("members.member_joined", member_joined)
