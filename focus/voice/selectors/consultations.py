"""Reads that feed the consultations' pages, the digest and the calendar feed."""

from __future__ import annotations

from django.utils import timezone

from focus.voice.models import (
    Consultation,
    ConsultationInput,
    ConsultationStatus,
)
from focus.voice.policies import consultations as consultation_policy
from focus.voice.policies import inputs as input_policy

# --- consultations --------------------------------------------------------------------------


def consultation_list(*, viewer, year: int | None = None) -> dict:
    """Consultations by status (open for input, being answered, sent), the nearest input deadline
    first among the open ones; and the years there are, for the filter. Two queries."""
    qs = consultation_policy.visible(viewer, Consultation.objects.select_related("response"))
    years = sorted({d.year for d in qs.values_list("external_deadline", flat=True)}, reverse=True)
    if year is not None:
        qs = qs.filter(external_deadline__year=year)
    found = list(qs.order_by("-external_deadline", "-pk"))
    grouped = {status: [c for c in found if c.status == status] for status in ConsultationStatus.values}
    grouped[ConsultationStatus.OPEN].sort(key=lambda c: (c.input_deadline, c.pk))
    return {"by_status": grouped, "years": years, "year": year}


def consultation_get(*, pk: int, viewer) -> Consultation | None:
    return (
        consultation_policy.visible(viewer, Consultation.objects.select_related("response"))
        .prefetch_related("focus_areas__period", "questions")
        .filter(pk=pk)
        .first()
    )


def consultation_inputs(*, consultation: Consultation, viewer) -> list[ConsultationInput]:
    qs = input_policy.visible(viewer, ConsultationInput.objects.filter(consultation=consultation))
    return list(qs.select_related("author__profile__municipality").order_by("created_at", "pk"))


def open_consultations(*, viewer, limit: int = 5) -> list[Consultation]:
    """Open for the members' input, the nearest deadline first (the digest, the calendar)."""
    qs = consultation_policy.visible(viewer, Consultation.objects.all())
    today = timezone.localdate()
    return list(
        qs.filter(sent_on__isnull=True, input_deadline__gte=today).order_by("input_deadline", "pk")[:limit]
    )
