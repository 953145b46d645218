"""Demo decisions and actions for `manage.py seed_demo`: the approved summer note of Kreds
Nordjylland ends in two decisions and open actions (one for medlem2@komdir.test, one overdue),
and the draft of its extraordinary meeting is shared with the participants for comments.
Idempotent: a note that has decisions, or a draft that is shared, is left alone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from circles import services as circle_services
from circles.decisions import services
from circles.models import AttendanceResponse, MeetingNote
from focus.models import FocusArea
from members.models import User


def seed(*, stdout) -> None:
    lead = User.objects.filter(email="kredsformand@komdir.test").first()
    member = User.objects.filter(email="medlem2@komdir.test").first()
    if lead is None or member is None:
        stdout.write("decisions: demokontiene mangler; springer beslutninger over.")
        return
    notes = MeetingNote.objects.select_related("meeting").filter(meeting__circle__slug="nordjylland")
    approved = notes.filter(meeting__title__startswith="Kredsmøde sommer", status="published").first()
    area = FocusArea.objects.filter(period__status="current").order_by("number").first()
    made = 0
    if approved is not None and not approved.decisions.exists():
        question = area.questions.order_by("order", "pk").first() if area else None
        services.decision_add(
            actor=lead,
            note=approved,
            text="Kredsen samler tre eksempler på frisættelse af ældreplejen til sekretariatets udspil.",
            focus_areas=[area] if area else [],
            questions=[question] if question else [],
        )
        services.decision_add(
            actor=lead, note=approved, text="Næste kredsmøde holdes som temadag om rekruttering."
        )
        services.action_add(
            actor=lead,
            note=approved,
            text="Send to eksempler fra egen kommune til kredsformanden",
            owner=member,
            due_date=timezone.localdate() + timedelta(days=14),
        )
        services.action_add(
            actor=lead,
            note=approved,
            text="Book lokale til temadagen",
            owner=lead,
            due_date=timezone.localdate() - timedelta(days=3),
        )
        made += 1
    draft = notes.filter(status="draft").first()
    if draft is not None and draft.shared_until is None:
        circle_services.attendance_set(user=member, meeting=draft.meeting, response=AttendanceResponse.YES)
        circle_services.note_share(actor=lead, note=draft, until=timezone.now() + timedelta(days=5))
        made += 1
    stdout.write(f"decisions: {made} demoreferater med beslutninger eller til kommentering.")
