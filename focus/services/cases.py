"""Writes of cases: create, edit, publish."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from focus import policies
from focus.models import (
    Case,
    CaseRevision,
    CaseStatus,
    FocusArea,
    GuidingQuestion,
)
from focus.services.errors import PermissionDenied
from komdir.lib import events
from komdir.lib.conflicts import check_version
from komdir.lib.markdown import render_markdown
from komdir.lib.text import danish_slug
from members.models import Profile, User


def _case_slug(title: str) -> str:
    return danish_slug(title, fallback="case")


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
    if not policies.cases.can_create(author):
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
    if not (policies.cases.can_edit(editor, case) or policies.cases.can_moderate(editor, case)):
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
    if not policies.cases.can_edit(actor, case):
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
