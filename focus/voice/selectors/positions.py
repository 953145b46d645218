"""Reads that feed the positions' pages, the focus area page and the public outputs."""

from __future__ import annotations

import difflib

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from focus.models import Case, CaseStatus, Comment, GuidingQuestion
from focus.policies import cases as case_policy
from focus.policies import comments as comment_policy
from focus.voice.models import (
    Citation,
    Consent,
    ConsultationInput,
    Position,
    PositionComment,
    PositionRevision,
    PositionStatus,
)
from focus.voice.policies import VISITOR, shown_publicly, source_live
from focus.voice.policies import citations as citation_policy
from focus.voice.policies import inputs as input_policy
from focus.voice.policies import member_comments as member_comment_policy
from members.models import Level, User

_SOURCE = (
    "input__author__profile__municipality__region",
    "input__consultation",
    "case__author__profile__municipality__region",
    "case__municipality",
    "case__focus_area__period",
    "comment__author__profile__municipality__region",
    "comment__case",
    "comment__parent",
    "comment__focus_area__period",
    "comment__question__focus_area__period",
    "member__profile__municipality__region",
)


def position_list(*, viewer) -> dict[str, list[Position]]:
    """Published positions by area; for members the drafts opened to them; for the secretariat
    also its drafts. One query."""
    found = list(
        Position.objects.visible_to(viewer)
        .filter(consultation__isnull=True)  # responses to consultations are listed with them
        .exclude(status=PositionStatus.ARCHIVED)
        .select_related("question__focus_area__period", "audience_region")
        .order_by("question__focus_area__number", "question__order", "-published_at", "pk")
    )
    return {
        "published": [p for p in found if p.is_published],
        "consultations": [p for p in found if p.is_open_to_members],
        "drafts": [p for p in found if p.is_draft and not p.is_open_to_members],
    }


def position_get(*, slug: str, viewer) -> Position | None:
    return (
        Position.objects.visible_to(viewer)
        .select_related("question__focus_area__period", "approved_by", "audience_region", "consultation")
        .filter(slug=slug)
        .first()
    )


def attribution(citation: Citation) -> str:
    """How a quoted member is named: "Navn, titel, X Kommune" with their consent to be named;
    "en kommunaldirektør i Region …" when they chose to be anonymous."""
    member: User = citation.member
    profile = getattr(member, "profile", None)
    municipality = profile.municipality if profile else None
    if citation.consent == Consent.NAMED or citation.consent == Consent.NOT_NEEDED:
        parts = [member.get_full_name() or _("Et medlem")]
        if profile and profile.title:
            parts.append(profile.title)
        if municipality:
            parts.append(municipality.name)
        return ", ".join(parts)
    role = _("en kommunaldirektør") if profile and profile.level == Level.TOP else _("en direktør")
    if municipality:
        return _("%(role)s i %(region)s") % {"role": role, "region": municipality.region.name}
    return _("%(role)s i en dansk kommune") % {"role": role}


def public_citations(*, position: Position) -> list[Citation]:
    """What the public version cites (policies.shown_publicly), each with `.by` (attribution),
    and `.link` and `.title` only for a case visitors may open: a quote from anything else
    stands alone, never with a members-only case's title."""
    shown = []
    for citation in Citation.objects.filter(position=position).select_related(*_SOURCE):
        citation.position = position
        if not shown_publicly(citation):
            continue
        public_case = citation.case_id is not None and case_policy.can_view(VISITOR, citation.case)
        citation.link = citation.case.get_absolute_url() if public_case else None
        citation.title = citation.case.title if public_case else ""
        citation.by = attribution(citation)
        shown.append(citation)
    return shown


def citations_for(*, position: Position, viewer) -> list[Citation]:
    """Every citation of a position as the viewer may follow it: `.can_open` when the viewer may
    read its source, `.needs_answer` while consent is awaited, `.public` when the public version
    carries it."""
    found = list(Citation.objects.filter(position=position).select_related(*_SOURCE))
    for citation in found:
        citation.position = position  # the policies ask it; no query per row
        citation.live = source_live(citation)
        rule = case_policy if citation.case_id else comment_policy if citation.comment_id else input_policy
        # A deleted or hidden source is not opened (the secretariat still sees it cited, marked).
        citation.can_open = citation.live and rule.can_view(viewer, citation.source)
        citation.public = shown_publicly(citation)
        citation.by = attribution(citation)
    return [c for c in found if c.can_open or citation_policy.can_delete(viewer, c)]


def member_comments_for(*, position: Position, viewer) -> list[PositionComment]:
    qs = member_comment_policy.visible(viewer, PositionComment.objects.filter(position=position))
    return list(qs.select_related("author__profile__municipality"))


def evidence_for(*, position: Position, viewer, limit: int = 40) -> dict[str, list]:
    """What the secretariat can cite, newest first, each as the viewer may read it, the ones
    already cited marked. For a position: the question's cases, and the comments on them and in
    the discussions of the question's focus area. For a response to a consultation: the members'
    input, and the cases (and their comments) of the questions and areas the consultation touches."""
    question, consultation = position.question, position.consultation
    if consultation is not None:
        area_ids = list(consultation.focus_areas.values_list("pk", flat=True))
        question_ids = list(consultation.questions.values_list("pk", flat=True))
        on_topic = Q(questions__in=question_ids) | Q(focus_area_id__in=area_ids)
        discussions = Q(pk__in=[])
    else:
        on_topic = Q(questions=question)
        discussions = Q(focus_area_id=question.focus_area_id, case__isnull=True)
    cases = list(
        case_policy.visible(viewer, Case.objects.filter(on_topic, status=CaseStatus.PUBLISHED).distinct())
        .select_related("author", "municipality")
        .order_by("-published_at", "-pk")[:limit]
    )
    comments = list(
        comment_policy.visible(
            viewer, Comment.objects.filter(discussions | Q(case__in=[c.pk for c in cases]), deleted_at=None)
        )
        .select_related("author", "case")
        .order_by("-created_at", "-pk")[:limit]
    )
    inputs = []
    if consultation is not None:
        inputs = list(
            ConsultationInput.objects.filter(consultation=consultation)
            .select_related("author")
            .order_by("pk")
        )
    cited = list(Citation.objects.filter(position=position).values_list("case_id", "comment_id", "input_id"))
    for case in cases:
        case.already_cited = any(row[0] == case.pk for row in cited)
    for comment in comments:
        comment.already_cited = any(row[1] == comment.pk for row in cited)
    for given in inputs:
        given.already_cited = any(row[2] == given.pk for row in cited)
    return {"cases": cases, "comments": comments, "inputs": inputs}


def revisions_for(*, position: Position) -> list[PositionRevision]:
    return list(position.revisions.select_related("edited_by"))


def revision_diff(*, older: PositionRevision, newer: PositionRevision) -> list[tuple[str, str]]:
    """Line by line, what changed between two saved texts: ("same" | "added" | "removed", line)."""
    lines = []
    a = [older.title, "", *older.body.splitlines()]
    b = [newer.title, "", *newer.body.splitlines()]
    for op in difflib.ndiff(a, b):
        code, text = op[:2], op[2:]
        if code == "? ":
            continue
        lines.append(({"  ": "same", "+ ": "added", "- ": "removed"}[code], text))
    return lines


def with_positions(questions: QuerySet[GuidingQuestion]) -> QuerySet[GuidingQuestion]:
    """The questions with the published position answering each (`position_title`,
    `position_slug`), in the same query: the area page has no query to spare."""
    published = Position.objects.filter(question=OuterRef("pk"), status=PositionStatus.PUBLISHED)
    return questions.annotate(
        position_title=Subquery(published.values("published_title")[:1]),
        position_slug=Subquery(published.values("slug")[:1]),
    )


def published_for_feed(*, limit: int = 30) -> list[Position]:
    """What the public feed and the digest carry: published positions, newest first."""
    return list(
        Position.objects.published()
        .filter(consultation__isnull=True)
        .select_related("question__focus_area__period")
        .order_by("-published_at", "-pk")[:limit]
    )


def published_between(*, since, until) -> list[Position]:
    """Positions published in a period (the weekly digest): public, so the same for everyone."""
    return list(
        Position.objects.published()
        .filter(published_at__gt=since, published_at__lte=until)
        .select_related("question__focus_area")
        .order_by("-published_at", "-pk")[:10]
    )


def consent_waiting_for(*, user) -> list[Citation]:
    """The quotes KOMDIR is waiting for the member to answer about."""
    return list(
        Citation.objects.filter(member=user, consent=Consent.ASKED)
        .select_related("position")
        .order_by("asked_at")
    )


def consent_requests_for(*, user) -> list[Citation]:
    """The member's own quotes KOMDIR has asked about (answered or not), newest first."""
    return list(
        Citation.objects.filter(member=user)
        .exclude(consent=Consent.NOT_NEEDED)
        .select_related("position", "case", "comment")
        .order_by("-asked_at", "-pk")
    )
