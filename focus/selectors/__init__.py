"""Reads that feed the focus pages, one module per concept; every prefetch decision lives here."""

from focus.selectors.cases import (
    CASE_PAGE_SIZE,
    area_case_overview,
    case_filter_choices,
    case_get,
    case_list,
    case_list_drafts,
    case_list_for_author,
    case_prefetch_details,
)
from focus.selectors.comments import (
    THREADS_PER_PAGE,
    THREADS_PREVIEW,
    comment_get,
    comment_in_area_preview,
    comment_list_recent_for_author,
    comment_page_number,
    comment_previews_for_area,
    comment_thread_page,
    comment_threads_for_case,
    latest_contributions,
)
from focus.selectors.strategy import (
    area_get,
    discussion_target_get,
    page_get,
    period_get,
    period_get_current,
    period_list,
)
from focus.selectors.submissions import (
    RESUBMIT_WINDOW,
    case_submitted,
    comment_submitted,
    report_submitted,
)

__all__ = [
    "CASE_PAGE_SIZE",
    "RESUBMIT_WINDOW",
    "THREADS_PER_PAGE",
    "THREADS_PREVIEW",
    "area_case_overview",
    "area_get",
    "case_filter_choices",
    "case_get",
    "case_list",
    "case_list_drafts",
    "case_list_for_author",
    "case_prefetch_details",
    "case_submitted",
    "comment_get",
    "comment_in_area_preview",
    "comment_list_recent_for_author",
    "comment_page_number",
    "comment_previews_for_area",
    "comment_submitted",
    "comment_thread_page",
    "comment_threads_for_case",
    "discussion_target_get",
    "latest_contributions",
    "page_get",
    "period_get",
    "period_get_current",
    "period_list",
    "report_submitted",
]
