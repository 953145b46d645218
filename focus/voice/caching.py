"""Which writes of what KOMDIR says refresh cached pages: a focus area's page names the position
that answers each of its questions, and a case's page lists the published positions and
collections that use it. The positions' and collections' own pages are not cached (consent
answers change them at once); citations, revisions and comments on drafts are on no cached page."""

from __future__ import annotations

from focus.caching import area_tag, case_tag
from komdir.lib import fragments

POSITIONS = "voice.positions"


def _cited_cases(position) -> list[str]:
    """A case's page lists the published positions citing it (the impact trail)."""
    if not position.has_public_version:
        return []
    return [case_tag(pk) for pk in position.citations.exclude(case=None).values_list("case_id", flat=True)]


def _position_written(position, **kwargs):
    tags = [POSITIONS, *_cited_cases(position)]
    if position.question_id is not None:
        tags.append(area_tag(position.question.focus_area_id))
    return tags


def _collection_written(collection, **kwargs):
    return [case_tag(pk) for pk in collection.items.values_list("case_id", flat=True)]


def _item_written(item, **kwargs):
    return [case_tag(item.case_id)]


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
            # Collections are on pages of their own (not cached); a case's page lists those
            # that show it.
            "collection": _collection_written,
            "collectionitem": _item_written,
            "dispatch": fragments.QUIET,
            # A case's page names its rules; the list of rules is not cached.
            "rule": lambda rule, **kw: [
                case_tag(pk) for pk in rule.case_uses.values_list("case_id", flat=True)
            ],
            "caserule": lambda item, **kw: [case_tag(item.case_id)],
        },
    )
