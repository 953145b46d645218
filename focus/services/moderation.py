"""Reports and the secretariat's moderation: hide, restore, resolve."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from focus import policies
from focus.models import (
    Case,
    Comment,
    Report,
)
from focus.services.comments import case_comments_recount
from focus.services.errors import PermissionDenied
from komdir.lib import events
from members.models import User


@transaction.atomic
def report_create(
    *,
    reporter: User,
    reason: str,
    case: Case | None = None,
    comment: Comment | None = None,
    submission_token: str = "",
) -> Report:
    """Report content. The same `submission_token` twice gives the first report back."""
    if case is not None and not policies.cases.can_report(reporter, case):
        raise PermissionDenied
    if comment is not None and not policies.comments.can_report(reporter, comment):
        raise PermissionDenied
    twin = Report.objects.filter(reporter=reporter, submission_token=submission_token)
    if submission_token and twin.exists():
        return twin.get()
    report = Report(
        reporter=reporter, case=case, comment=comment, reason=reason, submission_token=submission_token
    )
    try:
        report.full_clean()
        with transaction.atomic():
            report.save()
    except (ValidationError, IntegrityError):
        if submission_token and twin.exists():
            return twin.get()
        raise
    events.emit("focus.report_created", report=report)
    return report


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Skriv en begrundelse."))
    return reason


@transaction.atomic
def content_hide(*, obj: Case | Comment, actor: User, reason: str) -> Case | Comment:
    if not policies.policy_for(obj).can_moderate(actor, obj):
        raise PermissionDenied
    reason = _check_reason(reason)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    obj.hidden_at = timezone.now()
    obj.hidden_by = actor
    obj.hidden_reason = reason
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    if isinstance(obj, Comment):
        case_comments_recount(case_ids=[obj.case_id])
    events.emit("focus.content_hidden", obj=obj)
    return obj


@transaction.atomic
def content_restore(*, obj: Case | Comment, actor: User, reason: str) -> Case | Comment:
    if not policies.policy_for(obj).can_moderate(actor, obj):
        raise PermissionDenied
    reason = _check_reason(reason)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    obj.hidden_at = None
    obj.hidden_by = actor
    obj.hidden_reason = reason
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    if isinstance(obj, Comment):
        case_comments_recount(case_ids=[obj.case_id])
    events.emit("focus.content_restored", obj=obj)
    return obj


@transaction.atomic
def report_handle(*, report: Report, actor: User, hide: bool | None, reason: str) -> Report:
    """Hide (True) or restore (False) the reported content and close the report, as one write;
    `hide=None` closes the report only."""
    if hide is not None:
        target = report.case if report.case_id else report.comment
        (content_hide if hide else content_restore)(obj=target, actor=actor, reason=reason)
    return report_resolve(report=report, actor=actor, resolution=reason)


@transaction.atomic
def report_resolve(*, report: Report, actor: User, resolution: str = "") -> Report:
    if not policies.reports.can_resolve(actor, report):
        raise PermissionDenied
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.resolved_at is not None:
        return report
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.resolution = resolution.strip()
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    events.emit("focus.report_resolved", report=report)
    return report
