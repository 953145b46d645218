"""Every write in focus/: strategy content and member contributions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from focus import policies
from focus.models import (
    Case,
    CaseRevision,
    CaseStatus,
    Comment,
    CommentRevision,
    FocusArea,
    GuidingQuestion,
    PeriodStatus,
    Report,
    SitePage,
    StrategyPeriod,
)
from komdir.lib import events, fragments
from komdir.lib.conflicts import check_version
from komdir.lib.markdown import render_markdown
from members.models import Profile, User


@transaction.atomic
def period_save(*, period: StrategyPeriod) -> StrategyPeriod:
    period.intro_html = render_markdown(period.intro)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_make_current(*, period: StrategyPeriod) -> StrategyPeriod:
    """Make `period` the current one and archive the period that was current."""
    period = StrategyPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.areas.exists():
        raise ValidationError(_("En periode skal have mindst ét fokusområde, før den kan gøres gældende."))
    StrategyPeriod.objects.select_for_update().filter(status=PeriodStatus.CURRENT).exclude(
        pk=period.pk
    ).update(status=PeriodStatus.ARCHIVED)
    period.status = PeriodStatus.CURRENT
    period.save(update_fields=["status"])
    return period


@transaction.atomic
def area_save(*, area: FocusArea) -> FocusArea:
    area.body_html = render_markdown(area.body)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def page_save(*, page: SitePage) -> SitePage:
    page.body_html = render_markdown(page.body)
    page.full_clean()
    page.save()
    return page


# --- Member contributions --------------------------------------------------------------------
#
# Every write below emits its event on the bus (komdir.lib.events) after commit; the features
# above (notifications) subscribe, so nothing is sent for a write that rolls back.


class PermissionDenied(DjangoPermissionDenied):
    """An actor tried a write they are not allowed to make.

    Django answers it with 403 and templates/403.html, so a refusal that reaches the request
    is a Danish page, never a 500. Views ask the policy first and answer 404 themselves when
    the user may not even see the object (PRODUCT.md: nothing is revealed).
    """


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def _case_slug(title: str) -> str:
    return slugify(title.translate(_DANISH))[:80].strip("-") or "case"


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        name = " ".join(str(tag).split())[:100]
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def _check_questions(
    focus_area: FocusArea | None, questions: Iterable[GuidingQuestion]
) -> list[GuidingQuestion]:
    questions = list(questions)
    if any(focus_area is None or q.focus_area_id != focus_area.pk for q in questions):
        raise ValidationError(_("De valgte spørgsmål skal høre til det valgte fokusområde."))
    return questions


@transaction.atomic
def case_create(
    *,
    author: User,
    focus_area: FocusArea | None,
    title: str,
    summary: str = "",
    body: str = "",
    questions: Iterable[GuidingQuestion] = (),
    tags: Iterable[str] = (),
    is_public: bool = False,
    publish: bool = False,
    submission_token: str = "",
) -> Case:
    """Write a case. The same `submission_token` twice (a double click, back and send again)
    gives the first case back and writes nothing."""
    if not policies.can_create_case(author):
        raise PermissionDenied
    if submission_token:
        existing = Case.objects.filter(author=author, submission_token=submission_token).first()
        if existing is not None:
            return existing
    questions = _check_questions(focus_area, questions)
    profile = Profile.objects.filter(user=author).select_related("municipality").first()
    case = Case(
        author=author,
        focus_area=focus_area,
        municipality=profile.municipality if profile else None,
        title=title,
        slug=_case_slug(title),
        summary=summary,
        body=body,
        body_html=render_markdown(body),
        is_public=is_public,
        submission_token=submission_token,
    )
    if publish:
        case.status = CaseStatus.PUBLISHED
        case.published_at = timezone.now()
    try:
        case.full_clean()
        # A savepoint: a concurrent twin of this submit hits the unique constraint, not a 500.
        with transaction.atomic():
            case.save()
    except (ValidationError, IntegrityError):
        twin = Case.objects.filter(author=author, submission_token=submission_token)
        if submission_token and twin.exists():
            return twin.get()
        raise
    case.questions.set(questions)
    case.tags.set(_clean_tags(tags))
    events.emit("focus.case_created", case=case)
    if publish:
        events.emit("focus.case_published", case=case)
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    editor: User,
    focus_area: FocusArea | None,
    title: str,
    summary: str,
    body: str,
    questions: Iterable[GuidingQuestion] = (),
    tags: Iterable[str] = (),
    is_public: bool = False,
    expected_version: int | None = None,
    publish: bool = False,
) -> Case:
    """Save an edit; the previous text is kept as a CaseRevision.

    `expected_version` is the version the editor's form was opened on: if someone saved in
    between, EditConflict is raised and nothing is written. `publish` publishes a draft in the
    same transaction ("Gem og offentliggør"): both happen, or neither.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    # The author in the portal; the secretariat edits everyone's cases in admin.
    if not (policies.can_edit_case(editor, case) or policies.can_moderate(editor)):
        raise PermissionDenied
    if expected_version is not None:
        check_version(current=case.version, expected=expected_version)
    questions = _check_questions(focus_area, questions)
    CaseRevision.objects.create(
        case=case,
        version=case.version,
        title=case.title,
        summary=case.summary,
        body=case.body,
        tag_names=", ".join(sorted(case.tags.names())),
        is_public=case.is_public,
        edited_by=editor,
    )
    case.focus_area = focus_area
    case.title = title
    case.slug = _case_slug(title)
    case.summary = summary
    case.body = body
    case.body_html = render_markdown(body)
    case.is_public = is_public
    case.version += 1
    case.full_clean()
    case.save(
        update_fields=[
            "focus_area",
            "title",
            "slug",
            "summary",
            "body",
            "body_html",
            "is_public",
            "version",
            "updated_at",
        ]
    )
    case.questions.set(questions)
    case.tags.set(_clean_tags(tags))
    events.emit("focus.case_updated", case=case)
    if publish and case.status != CaseStatus.PUBLISHED:
        _publish(case)
    return case


@transaction.atomic
def case_publish(*, case: Case, actor: User) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not policies.can_edit_case(actor, case):
        raise PermissionDenied
    if case.status == CaseStatus.PUBLISHED:
        return case
    return _publish(case)


def _publish(case: Case) -> Case:
    """Publish a draft the caller has locked, inside the caller's transaction."""
    case.status = CaseStatus.PUBLISHED
    case.published_at = timezone.now()
    if case.municipality_id is None:
        profile = Profile.objects.filter(user=case.author_id).first()
        case.municipality_id = profile.municipality_id if profile else None
    case.full_clean()
    case.save(update_fields=["status", "published_at", "municipality", "updated_at"])
    events.emit("focus.case_published", case=case)
    return case


def _comment_target(
    *, case: Case | None, focus_area: FocusArea | None, question: GuidingQuestion | None
) -> tuple[FocusArea, GuidingQuestion | None, Case | None]:
    if case is not None:
        return case.focus_area, None, case
    if question is not None:
        return question.focus_area, question, None
    if focus_area is not None:
        return focus_area, None, None
    raise ValidationError(_("En kommentar skal høre til et fokusområde, et spørgsmål eller en case."))


def case_comments_recount(*, case_ids: Iterable[int] | None = None) -> None:
    """Set Case.comment_count (comments neither deleted nor hidden) for `case_ids`, or for all.

    One UPDATE with a correlated count, so it is right whatever happened before; every
    service that adds, deletes, hides or restores a comment on a case calls it.
    """
    visible = (
        Comment.objects.filter(case=OuterRef("pk"), deleted_at__isnull=True, hidden_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cases = Case.objects.all()
    if case_ids is not None:
        ids = {pk for pk in case_ids if pk}
        if not ids:
            return
        cases = cases.filter(pk__in=ids)
    cases.update(comment_count=Coalesce(Subquery(visible), 0))


@transaction.atomic
def comment_add(
    *,
    author: User,
    body: str,
    case: Case | None = None,
    focus_area: FocusArea | None = None,
    question: GuidingQuestion | None = None,
    parent: Comment | None = None,
    submission_token: str = "",
) -> Comment:
    """Add a comment. The same `submission_token` twice (a double click) gives the first comment back.

    A token sent again with another text is not a repeat (two tabs of a cached page share a
    form's token): that text is a comment of its own, under a token of its own.
    """
    if submission_token:
        existing = Comment.objects.filter(author=author, submission_token=submission_token).first()
        if existing is not None:
            if existing.body == body:
                return existing
            submission_token = f"{submission_token[:31]}-{uuid.uuid4().hex}"
    if parent is not None:
        if not policies.can_reply_to_comment(author, parent):
            raise PermissionDenied
        area_id, question_id, case_id = parent.focus_area_id, parent.question_id, parent.case_id
    else:
        area, q, c = _comment_target(case=case, focus_area=focus_area, question=question)
        if c is not None and not policies.can_comment_on_case(author, c):
            raise PermissionDenied
        if not policies.can_comment(author):
            raise PermissionDenied
        area_id, question_id, case_id = area.pk, q.pk if q else None, c.pk if c else None
    comment = Comment(
        author=author,
        focus_area_id=area_id,
        question_id=question_id,
        case_id=case_id,
        parent=parent,
        body=body,
        body_html=render_markdown(body),
        submission_token=submission_token,
    )
    try:
        comment.full_clean()
        # A savepoint: a concurrent twin of this submit hits the unique constraint, not a 500.
        with transaction.atomic():
            comment.save()
    except (ValidationError, IntegrityError):
        twin = Comment.objects.filter(author=author, submission_token=submission_token)
        if submission_token and twin.exists():
            return twin.get()
        raise
    case_comments_recount(case_ids=[comment.case_id])
    events.emit("focus.comment_added", comment=comment)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, editor: User, body: str) -> Comment:
    """Save an edit; the previous text is kept as a CommentRevision and the comment shows "redigeret"."""
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("case", "parent").get(pk=comment.pk)
    )
    if not policies.can_edit_comment(editor, comment):
        raise PermissionDenied
    if body == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, version=comment.version, body=comment.body)
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = timezone.now()
    comment.version += 1
    comment.full_clean()
    comment.save(update_fields=["body", "body_html", "edited_at", "version"])
    events.emit("focus.comment_edited", comment=comment)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> Comment:
    """Soft delete: the text stays in the database, the thread shows a placeholder."""
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("case", "parent").get(pk=comment.pk)
    )
    if not policies.can_delete_comment(actor, comment):
        raise PermissionDenied
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    case_comments_recount(case_ids=[comment.case_id])
    events.emit("focus.comment_deleted", comment=comment)
    return comment


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
    if case is not None and not policies.can_report_case(reporter, case):
        raise PermissionDenied
    if comment is not None and not policies.can_report_comment(reporter, comment):
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
    if not policies.can_moderate(actor):
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
    if not policies.can_moderate(actor):
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
    if not policies.can_moderate(actor):
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


@transaction.atomic
def contributions_withdraw(*, author: User) -> dict[str, int]:
    """A member deleting their account chose to take what they wrote with them (GDPR art. 17).

    Soft, like every deletion here: comments get the "slettet" placeholder, cases are taken
    off every page, list and feed (kept hidden with a reason, as moderation does). Called
    only by members.gdpr.account_delete, which has checked that the actor is the author.
    """
    now = timezone.now()
    mine = Comment.objects.filter(author=author, deleted_at__isnull=True)
    touched_cases = set(mine.exclude(case=None).values_list("case_id", flat=True))
    comments = mine.update(deleted_at=now)
    cases = Case.objects.filter(author=author, hidden_at__isnull=True).update(
        hidden_at=now, hidden_by=None, hidden_reason=_("Slettet af forfatteren sammen med kontoen.")
    )
    case_comments_recount(case_ids=touched_cases)
    # QuerySet.update() sends no signals: the cached fragments must go explicitly.
    fragments.invalidate()
    return {"comments": comments, "cases": cases}
