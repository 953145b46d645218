"""Which writes of positions refresh cached pages: a focus area's page names the position that
answers each of its questions. The positions' own pages are not cached (consent answers change
them at once); citations, revisions and comments on drafts are on no cached page."""

from __future__ import annotations

from focus.caching import area_tag
from komdir.lib import fragments

POSITIONS = "voice.positions"


def _position_written(position, **kwargs):
    if position.question_id is None:
        return [POSITIONS]
    return [area_tag(position.question.focus_area_id), POSITIONS]


def connect() -> None:
    fragments.watch(
        "voice",
        {
            "position": _position_written,
            "positionrevision": fragments.QUIET,
            "citation": fragments.QUIET,
            "positioncomment": fragments.QUIET,
            # Consultations are listed on pages of their own, not cached.
            "consultation": fragments.QUIET,
            "consultation_focus_areas": fragments.QUIET,
            "consultation_questions": fragments.QUIET,
            "consultationinput": fragments.QUIET,
            # Collections are on pages of their own, not cached.
            "collection": fragments.QUIET,
            "collectionitem": fragments.QUIET,
            "dispatch": fragments.QUIET,
        },
    )
