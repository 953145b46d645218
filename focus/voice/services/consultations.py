"""Every write of consultations (høringer) and of KOMDIR's response to them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from focus.voice.models import (
    Consultation,
    ConsultationInput,
    Position,
)
from focus.voice.policies import consultations as consultation_policy
from focus.voice.services.positions import _revision, _unique_slug
from komdir.lib import events
from komdir.lib.text import danish_slug
from members.models import User

# --- consultations (høringer) ---------------------------------------------------------------

CONSULTATION_FIELDS = ("title", "sender", "hearing_url", "body", "external_deadline", "input_deadline")


def _consultation_set(consultation: Consultation, fields: dict, focus_areas, questions) -> None:
    unknown = set(fields) - set(CONSULTATION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(consultation, name, value.strip() if isinstance(value, str) else value)
    consultation.slug = danish_slug(consultation.title, fallback="hoering")
    consultation.full_clean()
    consultation.save()
    if focus_areas is not None:
        consultation.focus_areas.set(focus_areas)
    if questions is not None:
        consultation.questions.set(questions)


@transaction.atomic
def consultation_create(*, actor: User, focus_areas=(), questions=(), **fields) -> Consultation:
    """Register a consultation; members who follow its focus areas are told
    ("voice.consultation_created") while it is open for their input."""
    if not consultation_policy.can_create(actor):
        raise PermissionDenied
    consultation = Consultation(created_by=actor)
    _consultation_set(consultation, fields, focus_areas, questions)
    if consultation.input_open:
        events.emit("voice.consultation_created", consultation=consultation)
    return consultation


@transaction.atomic
def consultation_update(
    *, actor: User, consultation: Consultation, focus_areas=None, questions=None, **fields
) -> Consultation:
    if not consultation_policy.can_edit(actor, consultation):
        raise PermissionDenied
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    before = set(consultation.focus_areas.values_list("pk", flat=True))
    _consultation_set(consultation, fields, focus_areas, questions)
    added = set(consultation.focus_areas.values_list("pk", flat=True)) - before
    if added and consultation.input_open:
        # Followers of the areas added now hear of it; those told before are not told again.
        events.emit(
            "voice.consultation_created",
            consultation=consultation,
            area_ids=sorted(added),
            before=sorted(before),
        )
    return consultation


@transaction.atomic
def consultation_input_add(*, author: User, consultation: Consultation, body: str) -> ConsultationInput:
    # Decided on the row as it is now (marked sent, or its deadline moved, in another tab).
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation_policy.can_give_input(author, consultation):
        raise PermissionDenied
    given = ConsultationInput(consultation=consultation, author=author, body=body.strip())
    given.full_clean()
    given.save()
    return given


@transaction.atomic
def consultation_respond(*, actor: User, consultation: Consultation) -> Position:
    """The draft of KOMDIR's response: a position tied to the consultation, written, cited and
    approved as positions are. One per consultation; asking again gives the one there is."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation_policy.can_respond(actor, consultation):
        raise PermissionDenied
    existing = Position.objects.filter(consultation=consultation).first()
    if existing is not None:
        return existing
    title = _("Høringssvar: %(title)s") % {"title": consultation.title}
    position = Position(
        consultation=consultation,
        title=title[:200],
        body=_("KOMDIR takker for muligheden for at afgive høringssvar og bemærker følgende:"),
        created_by=actor,
    )
    position.slug = _unique_slug(f"hoeringssvar {consultation.title}")
    position.full_clean()
    position.save()
    _revision(position, actor)
    return position


@transaction.atomic
def consultation_mark_sent(*, actor: User, consultation: Consultation, sent_on) -> Consultation:
    """KOMDIR's response went to the sender on `sent_on`."""
    if not consultation_policy.can_edit(actor, consultation):
        raise PermissionDenied
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("Datoen kan ikke ligge ude i fremtiden.")}, code="future")
    consultation.sent_on = sent_on
    consultation.save(update_fields=["sent_on", "updated_at"])
    return consultation
