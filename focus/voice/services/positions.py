"""Every write of positions, their sources and the consent to quote."""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from focus.models import Case, Comment, GuidingQuestion
from focus.voice.models import (
    Citation,
    Consent,
    ConsultationInput,
    Position,
    PositionComment,
    PositionRevision,
    PositionStatus,
)
from focus.voice.policies import citations as citation_policy
from focus.voice.policies import member_comments as comment_policy
from focus.voice.policies import needs_consent, source_live
from focus.voice.policies import positions as policy
from komdir.lib import events
from komdir.lib.conflicts import check_version
from komdir.lib.text import unique_slug
from members.models import Region, User

POSITION_FIELDS = ("title", "body")
# Addresses under /holdninger/ that are pages of their own, never a position's slug.
RESERVED_SLUGS = {"ny", "feed", "kilder"}


def _unique_slug(title: str) -> str:
    return unique_slug(title, taken=Position.objects.all(), reserved=RESERVED_SLUGS, fallback="holdning")


def _revision(position: Position, actor: User) -> None:
    PositionRevision.objects.create(
        position=position, version=position.version, title=position.title, body=position.body, edited_by=actor
    )


@transaction.atomic
def position_create(*, actor: User, question: GuidingQuestion, title: str, body: str) -> Position:
    if not policy.can_create(actor):
        raise PermissionDenied
    position = Position(question=question, title=title.strip(), body=body.strip(), created_by=actor)
    position.slug = _unique_slug(position.title)
    position.full_clean()
    position.save()
    _revision(position, actor)
    return position


@transaction.atomic
def position_update(*, actor: User, position: Position, version: int | None, **changes) -> Position:
    """Save a new text of a draft; each saved text is kept (PositionRevision) to compare with.
    `version`: the one the editor opened; a newer save in between is an EditConflict."""
    unknown = set(changes) - set(POSITION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    position = Position.objects.select_for_update().get(pk=position.pk)
    if not policy.can_edit(actor, position):
        raise PermissionDenied
    check_version(current=position.version, expected=version)
    changed = [f for f, v in changes.items() if getattr(position, f) != v.strip()]
    if not changed:
        return position
    for field in changed:
        setattr(position, field, changes[field].strip())
    position.version += 1
    position.full_clean()
    position.save(update_fields=[*changed, "version", "updated_at"])
    _revision(position, actor)
    return position


@transaction.atomic
def position_delete(*, actor: User, position: Position) -> None:
    position = Position.objects.select_for_update().get(pk=position.pk)
    if not policy.can_delete(actor, position):  # decided on the row as it is now, not as it was read
        raise PermissionDenied
    position.delete()


@transaction.atomic
def position_open(
    *, actor: User, position: Position, until: datetime, region: Region | None = None
) -> Position:
    """Open the draft to the members (all, or those of `region`) for comments until `until`; they
    are told ("voice.position_opened") the first time. Opening again moves the date."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    if not policy.can_open(actor, position):
        raise PermissionDenied
    if until <= timezone.now():
        raise ValidationError({"until": _("Vælg i dag eller en dato efter i dag.")}, code="past")
    first = position.comments_until is None
    before = None if first else (position.audience_region_id or "all")
    narrower = region is not None and before == "all"
    if narrower and any(events.ask("voice.position_narrowing", position=position)):
        raise ValidationError(
            {
                "region": _(
                    "Alle medlemmer er spurgt i en temperaturmåling om udkastet, så høringen kan ikke "
                    "begrænses til én region."
                )
            },
            code="polled",
        )
    position.comments_until, position.audience_region = until, region
    position.save(update_fields=["comments_until", "audience_region", "updated_at"])
    if first or (before != "all" and (region is None or region.pk != before)):
        # Told once: those it is opened to now and were not before.
        events.emit("voice.position_opened", position=position, before_region_id=None if first else before)
    return position


@transaction.atomic
def position_comment_add(*, author: User, position: Position, body: str) -> PositionComment:
    if not comment_policy.can_create(author, position):
        raise PermissionDenied
    comment = PositionComment(position=position, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def position_publish(*, actor: User, position: Position, version: int | None) -> Position:
    """Approve the draft as it stands (`version`, the text the secretary read) and publish it:
    the public reads this text from now on; a position published earlier on the same question
    is retired. Who approved it and when are recorded."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    if not policy.can_publish(actor, position):
        raise PermissionDenied
    check_version(current=position.version, expected=version)
    if position.question_id is not None:  # a consultation's response retires nothing
        Position.objects.filter(question_id=position.question_id, status=PositionStatus.PUBLISHED).update(
            status=PositionStatus.ARCHIVED
        )
    now = timezone.now()
    position.status = PositionStatus.PUBLISHED
    position.published_title, position.published_body = position.title, position.body
    position.published_version, position.approved_by, position.published_at = position.version, actor, now
    # The one-published-per-question constraint is decided by the database below (a race), not
    # by a check a second approval could slip past.
    position.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            position.save()
    except IntegrityError:
        raise ValidationError(
            _("En anden holdning til spørgsmålet blev offentliggjort samtidig. Prøv igen."), code="race"
        ) from None
    events.emit("voice.position_published", position=position)
    return position


# --- citations and consent ------------------------------------------------------------------

_MARKUP = re.compile(r"[*_`#>\[\]()~]+|\s+")


def _plain(text: str) -> str:
    """Text compared for quoting: no Markdown marks, one space between words, case folded."""
    return _MARKUP.sub(" ", text).strip().casefold()


def _source_text(source) -> str:
    if isinstance(source, Case):
        return " ".join((source.title, source.summary, source.body))
    return source.body


@transaction.atomic
def citation_add(
    *,
    actor: User,
    position: Position,
    case: Case | None = None,
    comment: Comment | None = None,
    input: ConsultationInput | None = None,  # noqa: A002 (the model's own word)
    quote: str = "",
) -> Citation:
    """Cite a case, a comment or a member's input to a consultation, with an optional quote that
    must stand word for word in it. A quote the public cannot read already asks its member first
    ("voice.consent_asked")."""
    if not citation_policy.can_create(actor, position):
        raise PermissionDenied
    if len([s for s in (case, comment, input) if s is not None]) != 1:
        raise TypeError("cite one case, comment or input")
    # As the sources stand now (a moderator may have hidden one since the page was read).
    if case is not None:
        case = Case.objects.get(pk=case.pk)
    if comment is not None:
        comment = Comment.objects.select_related("parent", "case").get(pk=comment.pk)
    if input is not None:
        input = ConsultationInput.objects.get(pk=input.pk)  # noqa: A001
    source = case or comment or input
    probe = Citation(case=case, comment=comment, input=input)
    if not source_live(probe):
        raise ValidationError(_("Kilden er skjult eller slettet og kan ikke bruges."), code="not_live")
    if position.citations.filter(case=case, comment=comment, input=input).exists():
        raise ValidationError(_("Kilden er allerede valgt."), code="cited")
    quote = " ".join(quote.split())
    if quote and _plain(quote) not in _plain(_source_text(source)):
        raise ValidationError(
            {"quote": _("Citatet skal stå ordret i kilden. Kopiér det fra casen eller kommentaren.")},
            code="not_in_source",
        )
    last = position.citations.order_by("-order").values_list("order", flat=True).first()
    citation = Citation(
        position=position,
        case=case,
        comment=comment,
        input=input,
        quote=quote,
        member_id=source.author_id,
        order=(last or 0) + 1,
    )
    _ask_if_needed(citation)
    citation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            citation.save()
    except IntegrityError:  # the same source chosen twice at once (two tabs)
        raise ValidationError(_("Kilden er allerede valgt."), code="cited") from None
    if citation.consent == Consent.ASKED:
        events.emit("voice.consent_asked", citation=citation)
    return citation


def _ask_if_needed(citation: Citation) -> None:
    if needs_consent(citation):
        citation.consent, citation.asked_at = Consent.ASKED, timezone.now()
    else:
        citation.consent = Consent.NOT_NEEDED


@transaction.atomic
def citation_remove(*, actor: User, citation: Citation) -> None:
    if not citation_policy.can_delete(actor, citation):
        raise PermissionDenied
    citation.delete()


ANSWERS = (Consent.NAMED, Consent.ANONYMOUS, Consent.REFUSED)


@transaction.atomic
def consent_answer(*, user: User, citation: Citation, answer: str) -> Citation:
    """The quoted member's answer: yes with their name, yes anonymously ("en kommunaldirektør i
    Region …"), or no. It can be changed later; a "no" takes the quote out of every public output
    at once (they are built from the answers as they stand)."""
    citation = Citation.objects.select_for_update().get(pk=citation.pk)
    if not citation_policy.can_answer(user, citation):
        raise PermissionDenied
    if answer not in ANSWERS:
        raise ValidationError(_("Vælg et svar."), code="invalid")
    citation.consent, citation.answered_at = answer, timezone.now()
    citation.save(update_fields=["consent", "answered_at"])
    return citation


@transaction.atomic
def member_voice_data_erase(*, user: User, delete_contributions: bool) -> None:
    """A member's account is deleted (komdir.privacy): every yes to being quoted is withdrawn, so
    no public output carries their words any more; their comments on drafts go if they chose to
    take their contributions with them, and so does their input to consultations (otherwise both
    stay under "Tidligere medlem")."""
    Citation.objects.filter(member=user).exclude(consent=Consent.NOT_NEEDED).update(
        consent=Consent.REFUSED, answered_at=timezone.now()
    )
    if delete_contributions:
        PositionComment.objects.filter(author=user).delete()
        ConsultationInput.objects.filter(author=user).delete()
