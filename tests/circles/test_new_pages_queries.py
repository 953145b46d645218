"""Query budgets of the pages added with seats, minutes and polls: the same with 1 and with 50
rows (people to mark, owners to choose, focus areas and questions to link, members asked)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles import services
from circles.models import Meeting, NoteVisibility
from tests.circles.conftest import make_meeting, make_note
from tests.factories import make_member

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12


@pytest.fixture(autouse=True)
def _render_everything(settings):
    settings.KOMDIR_FRAGMENT_CACHE = False


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _more_people(meeting, n, start):
    for i in range(start, start + n):
        person = make_member(municipality_name="Aalborg", email=f"p{i}@kommune.test")
        services.attendance_set(user=person, meeting=Meeting.objects.get(pk=meeting.pk), response="yes")


def test_the_lead_pages_cost_the_same_with_1_and_50_people(client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=20)
    _more_people(meeting, 1, 0)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    note = make_note(actor=circle_lead, meeting=meeting, visibility=NoteVisibility.CIRCLE)
    client.force_login(circle_lead)
    urls = [
        f"/moeder/{meeting.pk}/fremmoede/",
        f"/moeder/{meeting.pk}/deltagere.csv",
        f"/referater/{note.pk}/handlinger/",
        f"/referater/{note.pk}/beslutninger/",
        "/afstemninger/ny/?kreds=nordjylland",
        f"/afstemninger/ny/?moede={meeting.pk}",
    ]
    small = {url: _count(client, url) for url in urls}
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + timedelta(days=1), ends_at=timezone.now() + timedelta(days=1, hours=2)
    )
    _more_people(meeting, 49, 1)  # 20 seats, 30 on the waiting list
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    for url in urls:
        assert _count(client, url) == small[url] <= MAX_QUERIES, url
