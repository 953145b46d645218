"""Demo meetings, notes and attachments for `manage.py seed_demo`. Idempotent."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from circles import services
from circles.models import (
    AttendanceResponse,
    Circle,
    CircleMembership,
    Meeting,
    MeetingKind,
    NoteVisibility,
)
from focus.models import FocusArea
from komdir.demo.samplefiles import tiny_docx, tiny_pdf, tiny_png
from members.models import User

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DRAFT = object()
FULL_MEETING = "Temadag om rekruttering – Kreds Nordjylland"

AGENDA = """1. Velkomst og nyt fra kredsen
2. Drøftelse af fokusområde: {area}
3. Erfaringer fra egen kommune – kort runde
4. Eventuelt
"""

NOTE_CIRCLE = """Kredsen drøftede **{area}** med udgangspunkt i to konkrete eksempler.

- Flere kommuner oplever pres på rekruttering og fastholdelse.
- Der er brug for at dele erfaringer med samarbejde på tværs af forvaltninger.

Punktet er fortroligt i kredsen, indtil kommunerne har behandlet sagerne politisk.
"""

NOTE_MEMBERS = """Kredsen drøftede **{area}**.

Konklusionerne deles med alle medlemmer:

1. Erfaringerne fra kredsen samles i en kort note til sekretariatet.
2. Emnet tages op igen på næste møde.
"""


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, 0), tzinfo=COPENHAGEN)


def _actor_for(circle: Circle | None, secretariat: User) -> User:
    if circle is None:
        return secretariat
    lead = CircleMembership.objects.leads().filter(circle=circle).select_related("user").first()
    return lead.user if lead is not None else secretariat


def _meeting(*, actor, circle, title, days, kind=None, area_title="") -> tuple[Meeting, bool]:
    existing = Meeting.objects.filter(circle=circle, title=title).first()
    if existing is not None:
        return existing, False
    meeting = services.meeting_create(
        actor=actor,
        circle=circle,
        kind=kind,
        title=title,
        starts_at=_at(days, 10),
        ends_at=_at(days, 14),
        location="Rådhuset, mødelokale 2" if circle else "Nyborg Strand",
        online_url="https://meet.example.org/komdir" if circle else "",
        agenda=AGENDA.format(area=area_title or "årets tema"),
    )
    return meeting, True


@transaction.atomic
def seed(*, stdout) -> None:
    secretariat = User.objects.filter(email="sekretariat@komdir.test").first()
    if secretariat is None:
        secretariat = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if secretariat is None:
        stdout.write("circles: ingen sekretariatsbruger; springer demomøder over.")
        return
    areas = list(FocusArea.objects.select_related("period").order_by("period__start_year", "number"))
    created = 0
    for index, circle in enumerate(Circle.objects.order_by("pk")):
        actor = _actor_for(circle, secretariat)
        area = areas[index % len(areas)] if areas else None
        area_title = area.title if area else ""
        plan = [
            (f"Kredsmøde forår – {circle.name}", -60, NoteVisibility.CIRCLE),
            (f"Kredsmøde sommer – {circle.name}", -20, NoteVisibility.MEMBERS),
            (f"Ekstraordinært kredsmøde – {circle.name}", -6, DRAFT),
            (f"Kredsmøde efterår – {circle.name}", 21, None),
            (f"Kredsmøde vinter – {circle.name}", 75, None),
        ]
        for position, (title, days, visibility) in enumerate(plan):
            meeting, is_new = _meeting(
                actor=actor, circle=circle, title=title, days=days, area_title=area_title
            )
            if not is_new:
                continue
            created += 1
            if position == 3:
                services.attachment_add(
                    actor=actor,
                    meeting=meeting,
                    file=ContentFile(tiny_pdf(f"Dagsorden - {circle.name}"), name="dagsorden.pdf"),
                )
            for membership in CircleMembership.objects.filter(circle=circle).select_related("user")[:4]:
                if days > 0 or position == 1:
                    services.attendance_set(
                        user=membership.user, meeting=meeting, response=AttendanceResponse.YES
                    )
            if visibility is None:
                continue
            if visibility is DRAFT:
                # A note the lead has not published yet: only the lead and the secretariat see it.
                services.note_save(
                    actor=actor, meeting=meeting, body="Udkast til referat.", visibility=NoteVisibility.CIRCLE
                )
                continue
            text = NOTE_CIRCLE if visibility == NoteVisibility.CIRCLE else NOTE_MEMBERS
            note = services.note_save(
                actor=actor,
                meeting=meeting,
                body=text.format(area=area_title or "fokusområderne"),
                visibility=visibility,
                focus_areas=[area] if area else [],
                publish=True,
            )
            if visibility == NoteVisibility.CIRCLE:
                services.attachment_add(
                    actor=actor,
                    note=note,
                    file=ContentFile(
                        tiny_pdf(f"Fortroligt bilag - {circle.name}"), name="bilag-kun-kredsen.pdf"
                    ),
                )
            else:
                services.attachment_add(
                    actor=actor, note=note, file=ContentFile(tiny_png(), name="oversigt.png")
                )

    events = [
        ("Generalforsamling", 45, MeetingKind.GENERAL_ASSEMBLY),
        ("Fagligt arrangement: Velfærd i forandring", -30, MeetingKind.PROFESSIONAL),
        ("Fagligt arrangement: Ledelse på tværs", 100, MeetingKind.PROFESSIONAL),
    ]
    for title, days, kind in events:
        meeting, is_new = _meeting(actor=secretariat, circle=None, title=title, days=days, kind=kind)
        if not is_new:
            continue
        created += 1
        if kind == MeetingKind.GENERAL_ASSEMBLY:
            services.attachment_add(
                actor=secretariat,
                meeting=meeting,
                file=ContentFile(tiny_docx("Forslag til vedtægtsændringer"), name="vedtaegtsforslag.docx"),
            )
        if days < 0:
            services.note_save(
                actor=secretariat,
                meeting=meeting,
                body=NOTE_MEMBERS.format(area=areas[0].title if areas else "fokusområderne"),
                visibility=NoteVisibility.MEMBERS,
                focus_areas=areas[:2],
                publish=True,
            )
    # A meeting that was moved and one that was cancelled, so both notices show on their pages.
    moved, is_new = _meeting(
        actor=secretariat,
        circle=None,
        title="Netværksmøde for nye direktører",
        days=30,
        kind=MeetingKind.PROFESSIONAL,
    )
    if is_new:
        created += 1
        services.meeting_update(
            actor=secretariat,
            meeting=moved,
            starts_at=_at(37, 13),
            ends_at=_at(37, 16),
            location="Odense Rådhus",
        )
    cancelled, is_new = _meeting(
        actor=secretariat,
        circle=None,
        title="Temadag om digital velfærd",
        days=60,
        kind=MeetingKind.PROFESSIONAL,
    )
    if is_new:
        created += 1
        services.meeting_cancel(
            actor=secretariat,
            meeting=cancelled,
            message="For få tilmeldte. Vi holder temadagen igen til foråret.",
        )
    created += _seed_full_meeting()
    stdout.write(f"circles: {created} nye demomøder.")


def _seed_full_meeting() -> int:
    """A meeting with two seats, both taken, and the demo member of the circle
    (medlem2@komdir.test) first on the waiting list."""
    circle = Circle.objects.filter(slug="nordjylland").first()
    if circle is None or Meeting.objects.filter(circle=circle, title=FULL_MEETING).exists():
        return 0
    lead = _actor_for(circle, secretariat=None)
    if lead is None:
        return 0
    meeting = services.meeting_create(
        actor=lead,
        circle=circle,
        title=FULL_MEETING,
        starts_at=_at(28, 9),
        ends_at=_at(28, 15),
        location="Aalborg Rådhus, byrådssalen",
        agenda="1. Rekruttering af ledere\n2. Erfaringer fra kommunerne",
        capacity=2,
        signup_deadline=_at(21, 12),
    )
    people = list(
        CircleMembership.objects.filter(circle=circle, user__is_active=True, user__is_staff=False)
        .exclude(user__email="medlem2@komdir.test")
        .select_related("user")
        .order_by("user_id")[:2]
    )
    people += list(CircleMembership.objects.filter(circle=circle, user__email="medlem2@komdir.test"))
    for membership in people:
        services.attendance_set(user=membership.user, meeting=meeting, response=AttendanceResponse.YES)
    return 1
