"""Which decisions' writes refresh cached pages: a focus area's page lists the decisions linked to
it beside the notes (circles.caching.NOTES); actions and draft comments are on no cached page."""

from __future__ import annotations

from circles import caching as circle_caching
from komdir.lib import fragments


def _decision_written(instance, **kwargs):
    return [circle_caching.NOTES]


def connect() -> None:
    fragments.watch(
        "decisions",
        {
            "decision": _decision_written,
            "decision_focus_areas": _decision_written,
            "decision_questions": _decision_written,
            "actionitem": fragments.QUIET,
            "notecomment": fragments.QUIET,
        },
    )
