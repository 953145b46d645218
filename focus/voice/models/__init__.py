"""What KOMDIR says: positions on the guiding questions (with their sources and the members'
consent to be quoted) and the consultations KOMDIR answers. A member's words reach a public page
only with their consent."""

from focus.voice.models.collections import Collection, CollectionAudience, CollectionItem, Dispatch
from focus.voice.models.consultations import Consultation, ConsultationInput, ConsultationStatus
from focus.voice.models.positions import (
    GIVEN,
    Citation,
    Consent,
    Position,
    PositionComment,
    PositionQuerySet,
    PositionRevision,
    PositionStatus,
)
from focus.voice.models.rules import CaseRule, Rule, RuleUse

__all__ = [
    "GIVEN",
    "CaseRule",
    "Rule",
    "RuleUse",
    "Citation",
    "Collection",
    "CollectionAudience",
    "CollectionItem",
    "Dispatch",
    "Consent",
    "Consultation",
    "ConsultationInput",
    "ConsultationStatus",
    "Position",
    "PositionComment",
    "PositionQuerySet",
    "PositionRevision",
    "PositionStatus",
]
