"""focus's models, one module per concept; Django finds every model through this package."""

from focus.models.cases import Case, CaseQuerySet, CaseRevision, CaseStatus
from focus.models.comments import Comment, CommentQuerySet, CommentRevision
from focus.models.moderation import Moderated, viewer_kind
from focus.models.reports import Report, ReportQuerySet
from focus.models.strategy import (
    FocusArea,
    GuidingQuestion,
    PeriodStatus,
    SitePage,
    StrategyPeriod,
    StrategyPeriodQuerySet,
)

__all__ = [
    "Case",
    "CaseQuerySet",
    "CaseRevision",
    "CaseStatus",
    "Comment",
    "CommentQuerySet",
    "CommentRevision",
    "FocusArea",
    "GuidingQuestion",
    "Moderated",
    "PeriodStatus",
    "Report",
    "ReportQuerySet",
    "SitePage",
    "StrategyPeriod",
    "StrategyPeriodQuerySet",
    "viewer_kind",
]
