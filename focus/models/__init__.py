"""focus's models, one module per concept; Django finds every model through this package."""

from focus.models.cases import Case, CaseQuerySet, CaseRevision, CaseStatus
from focus.models.comments import Comment, CommentQuerySet, CommentRevision
from focus.models.moderation import Moderated
from focus.models.reports import Report, ReportQuerySet
from focus.models.strategy import (
    BROWSABLE_PERIODS,
    FocusArea,
    FocusAreaQuerySet,
    GuidingQuestion,
    GuidingQuestionQuerySet,
    PeriodStatus,
    SitePage,
    StrategyPeriod,
    StrategyPeriodQuerySet,
)

__all__ = [
    "BROWSABLE_PERIODS",
    "Case",
    "CaseQuerySet",
    "CaseRevision",
    "CaseStatus",
    "Comment",
    "CommentQuerySet",
    "CommentRevision",
    "FocusArea",
    "FocusAreaQuerySet",
    "GuidingQuestion",
    "GuidingQuestionQuerySet",
    "Moderated",
    "PeriodStatus",
    "Report",
    "ReportQuerySet",
    "SitePage",
    "StrategyPeriod",
    "StrategyPeriodQuerySet",
]
