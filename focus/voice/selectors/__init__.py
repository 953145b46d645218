"""Reads of what KOMDIR says, one module per concept; `from focus.voice import selectors`
keeps working for every caller."""

from focus.voice.selectors.collections import (
    case_voice,
    collection_candidates,
    collection_cases,
    collection_get,
    collection_list,
    rule_cases,
    rule_get,
    rule_list,
)
from focus.voice.selectors.consultations import (
    consultation_get,
    consultation_inputs,
    consultation_list,
    open_consultations,
)
from focus.voice.selectors.positions import (
    attribution,
    citations_for,
    consent_requests_for,
    consent_waiting_for,
    evidence_for,
    member_comments_for,
    position_get,
    position_list,
    public_citations,
    published_between,
    published_for_feed,
    revision_diff,
    revisions_for,
    with_positions,
)

__all__ = [
    "attribution",
    "case_voice",
    "citations_for",
    "collection_candidates",
    "collection_cases",
    "collection_get",
    "collection_list",
    "consent_requests_for",
    "consent_waiting_for",
    "consultation_get",
    "consultation_inputs",
    "consultation_list",
    "evidence_for",
    "member_comments_for",
    "open_consultations",
    "position_get",
    "position_list",
    "public_citations",
    "published_between",
    "published_for_feed",
    "revision_diff",
    "revisions_for",
    "rule_cases",
    "rule_get",
    "rule_list",
    "with_positions",
]
