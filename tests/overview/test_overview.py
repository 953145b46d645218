"""Mit overblik: the read marker (moved only by "Markér som læst") and which comments count as new."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from focus import services
from focus.models import FocusArea
from komdir.notifications import services as notification_services
from komdir.notifications.models import FollowKind, NotificationSettings
from komdir.overview import selectors as overview_selectors
from tests.factories import make_member
from tests.notifications.test_notifications import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


def _seen_at(user):
    return NotificationSettings.objects.get(user=user).overview_read_at


def _writes(client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/overblik/").status_code == 200
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def test_first_visit_records_the_visit_and_shows_two_weeks(member_client, member):
    assert not NotificationSettings.objects.filter(user=member).exists()
    before = timezone.now()
    response = member_client.get("/overblik/")
    assert response.context["first_visit"] is True
    assert before - timedelta(days=14, seconds=5) < _seen_at(member) <= timezone.now() - timedelta(days=14)
    assert response.context["since"] == _seen_at(member)


def test_first_visit_keeps_preferences_saved_before(member_client, member):
    notification_services.settings_update(user=member, weekly_digest=False)
    assert member_client.get("/overblik/").context["first_visit"] is True
    prefs = NotificationSettings.objects.get(user=member)
    assert prefs.overview_read_at is not None and prefs.weekly_digest is False


def test_a_later_visit_writes_nothing_and_keeps_the_marker(member_client, member):
    member_client.get("/overblik/")
    first = _seen_at(member)
    assert not [sql for sql in _writes(member_client) if "notificationsettings" in sql]
    assert _seen_at(member) == first


def test_a_visit_after_a_while_keeps_the_marker(member_client, member):
    earlier = timezone.now() - timedelta(days=3)
    NotificationSettings.objects.create(user=member, overview_read_at=earlier)
    response = member_client.get("/overblik/")
    assert response.context["since"] == earlier and response.context["first_visit"] is False
    assert _seen_at(member) == earlier


def test_mark_read_moves_the_marker_forward_only(member_client, member):
    earlier = timezone.now() - timedelta(days=3)
    NotificationSettings.objects.create(user=member, overview_read_at=earlier)
    shown = timezone.now() - timedelta(hours=1)
    member_client.post("/overblik/laest/", {"until": shown.isoformat()})
    assert _seen_at(member) == shown
    member_client.post("/overblik/laest/", {"until": earlier.isoformat()})
    assert _seen_at(member) == shown
    member_client.post("/overblik/laest/", {"until": "ikke en dato"})
    assert _seen_at(member) > shown


def _new_comment_bodies(user, since):
    new = overview_selectors.whats_new_for(user=user, since=since, until=timezone.now())
    return {comment.body for comment in new["comments"]}


def test_new_comments_are_those_on_followed_and_own_cases_replies_and_followed_areas(
    member, other_member, area
):
    since = timezone.now() - timedelta(minutes=1)
    stranger = make_member(municipality_name="Aalborg", email="fremmed@kommune.test")
    own = make_case(member, area, title="Min case")
    followed = make_case(stranger, area, title="Fulgt case")
    unfollowed_own = make_case(member, area, title="Min glemte case")
    elsewhere = make_case(stranger, area, title="Anden case")
    notification_services.follow_set(user=member, kind=FollowKind.CASE, object_id=followed.pk, active=True)
    notification_services.follow_set(
        user=member, kind=FollowKind.CASE, object_id=unfollowed_own.pk, active=False
    )
    mine = services.comment_add(author=member, focus_area=area, body="Mit indlæg")
    services.comment_add(author=other_member, case=own, body="På min case")
    services.comment_add(author=other_member, case=followed, body="På fulgt case")
    services.comment_add(author=other_member, case=unfollowed_own, body="På afmeldt case")
    services.comment_add(author=other_member, case=elsewhere, body="Andetsteds")
    services.comment_add(author=other_member, focus_area=area, parent=mine, body="Svar til mig")
    services.comment_add(author=other_member, focus_area=area, body="I området")
    member.__dict__.pop("_komdir_followed", None)
    assert _new_comment_bodies(member, since) == {"På min case", "På fulgt case", "Svar til mig"}
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    assert "I området" in _new_comment_bodies(member, since)
