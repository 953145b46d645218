"""focus's pages, one module per concept; focus/urls.py routes to the names below."""

from focus.views.cases import case_create, case_detail, case_edit, case_list, my_drafts
from focus.views.comments import (
    comment_add,
    comment_delete,
    comment_edit,
    comment_permalink,
    comment_reply,
    discussion,
)
from focus.views.pages import area_detail, home, page, period_detail, period_list
from focus.views.reports import report

__all__ = [
    "area_detail",
    "case_create",
    "case_detail",
    "case_edit",
    "case_list",
    "comment_add",
    "comment_delete",
    "comment_edit",
    "comment_permalink",
    "comment_reply",
    "discussion",
    "home",
    "my_drafts",
    "page",
    "period_detail",
    "period_list",
    "report",
]
