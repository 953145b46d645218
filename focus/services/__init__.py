"""Every write in focus/: strategy content and member contributions, one module per concept.

Every write of a contribution emits its event on the bus (komdir.lib.events) after commit; the
features above (notifications) subscribe, so nothing is sent for a write that rolls back.
"""

from django.core.exceptions import ValidationError

from focus.services.cases import case_create, case_publish, case_update
from focus.services.comments import (
    case_comments_recount,
    comment_add,
    comment_delete,
    comment_edit,
    contributions_withdraw,
)
from focus.services.errors import PermissionDenied
from focus.services.moderation import (
    content_hide,
    content_restore,
    report_create,
    report_handle,
    report_resolve,
)
from focus.services.strategy import (
    area_delete,
    area_save,
    page_delete,
    page_save,
    period_delete,
    period_make_current,
    period_save,
    question_delete,
    question_save,
)

__all__ = [
    "question_save",
    "question_delete",
    "period_delete",
    "page_delete",
    "area_delete",
    "PermissionDenied",
    "ValidationError",
    "area_save",
    "case_comments_recount",
    "case_create",
    "case_publish",
    "case_update",
    "comment_add",
    "comment_delete",
    "comment_edit",
    "content_hide",
    "content_restore",
    "contributions_withdraw",
    "page_save",
    "period_make_current",
    "period_save",
    "report_create",
    "report_handle",
    "report_resolve",
]
