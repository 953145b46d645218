from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from circles import services
from circles.models import Circle, NoteVisibility
from focus.models import FocusArea
from komdir.demo.samplefiles import tiny_pdf

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def nordjylland(db):
    return Circle.objects.get(slug="nordjylland")


@pytest.fixture
def hovedstaden(db):
    return Circle.objects.get(slug="hovedstaden")


@pytest.fixture
def area(db):
    return FocusArea.objects.select_related("period").order_by("number").first()


def future(days: int = 10, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=CPH)


def make_meeting(*, actor, circle, title="Kredsmøde", days=10, **kwargs):
    return services.meeting_create(
        actor=actor,
        circle=circle,
        title=title,
        starts_at=future(days, 10),
        ends_at=future(days, 13),
        location="Rådhuset",
        agenda="1. Velkomst",
        **kwargs,
    )


def make_note(*, actor, meeting, visibility=NoteVisibility.CIRCLE, areas=(), publish=True, body="Referat."):
    return services.note_save(
        actor=actor, meeting=meeting, body=body, visibility=visibility, focus_areas=areas, publish=publish
    )


def pdf_file(name="bilag.pdf", text="Bilag"):
    return ContentFile(tiny_pdf(text), name=name)


@pytest.fixture
def circle_only_note(circle_lead, nordjylland, area):
    """A published, circle-only note in Kreds Nordjylland with one attachment, linked to `area`."""
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, title="Hemmeligt møde", days=-5)
    note = make_note(
        actor=circle_lead,
        meeting=meeting,
        visibility=NoteVisibility.CIRCLE,
        areas=[area],
        body="Fortroligt ord",
    )
    services.attachment_add(actor=circle_lead, note=note, file=pdf_file("fortroligt.pdf"))
    return note


@pytest.fixture
def members_note(circle_lead, nordjylland, area):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, title="Åbent møde", days=-10)
    note = make_note(
        actor=circle_lead, meeting=meeting, visibility=NoteVisibility.MEMBERS, areas=[area], body="Åben tekst"
    )
    services.attachment_add(actor=circle_lead, note=note, file=pdf_file("aabent.pdf"))
    return note
