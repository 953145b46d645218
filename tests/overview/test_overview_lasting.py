"""Mit overblik keeps what is new until the member has seen it where it lives or marks it read.

Tried as a member: a new case, comments, notes and meetings appear; visiting the overview again
keeps them; opening the case (the note, the meeting, the comment's link) removes only that item;
"Markér som læst" clears the rest; "Seneste 7 dage" still lists the week's items. The fragment
cache stays on (the default), so a stale cached overview would fail these tests too.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles.models import Circle, NoteVisibility
from circles.services import note_save
from focus import services
from focus.models import FocusArea
from komdir.notifications import services as notification_services
from komdir.notifications.models import FollowKind, NotificationSettings
from komdir.overview import services as overview_services
from komdir.privacy import selectors as privacy_selectors
from komdir.privacy import services as privacy_services
from tests.factories import make_member
from tests.notifications.test_notifications import make_case, make_meeting

pytestmark = pytest.mark.django_db

NOTHING_NEW = "Intet nyt i det, du følger"


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.fixture
def news(member, other_member, circle_lead, area):
    """What the member of the issue saw: 1 new case, 5 comments, 2 notes and 5 meetings."""
    nordjylland = Circle.objects.get(slug="nordjylland")
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    notification_services.follow_set(
        user=member, kind=FollowKind.CIRCLE, object_id=nordjylland.pk, active=True
    )
    own = make_case(member, area, title="Min egen case")
    new_case = make_case(other_member, area, title="Ny case fra Aalborg")
    comments = [
        services.comment_add(author=other_member, case=own, body=f"Kommentar nummer {n} til din case")
        for n in range(1, 5)
    ]
    comments.append(services.comment_add(author=other_member, focus_area=area, body="Et indlæg i området"))
    meetings = [make_meeting(circle_lead, nordjylland, title=f"Kredsmøde nummer {n}") for n in range(1, 6)]
    notes = [
        note_save(
            actor=circle_lead,
            meeting=meeting,
            body="Referatet.",
            visibility=NoteVisibility.MEMBERS,
            publish=True,
        )
        for meeting in meetings[:2]
    ]
    return {"own": own, "case": new_case, "comments": comments, "meetings": meetings, "notes": notes}


def page(client, url="/overblik/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def shows_all(content: str, news) -> None:
    assert news["case"].get_absolute_url() in content
    for comment in news["comments"]:
        assert comment.body in content
    for note in news["notes"]:
        assert note.get_absolute_url() in content
    for meeting in news["meetings"]:
        assert f'href="{meeting.get_absolute_url()}"' in content


def test_what_is_new_stays_when_the_member_visits_the_overview_again(member_client, news):
    shows_all(page(member_client), news)
    content = page(member_client)
    shows_all(content, news)
    assert NOTHING_NEW not in content


def test_opening_the_new_case_removes_only_that_case(member_client, news):
    page(member_client)
    assert member_client.get(news["case"].get_absolute_url()).status_code == 200
    content = page(member_client)
    assert news["case"].get_absolute_url() not in content
    for comment in news["comments"]:
        assert comment.body in content
    for note in news["notes"]:
        assert note.get_absolute_url() in content


def test_opening_my_case_sees_the_comments_on_it_but_not_the_others(member_client, news):
    page(member_client)
    assert member_client.get(news["own"].get_absolute_url()).status_code == 200
    content = page(member_client)
    for comment in news["comments"][:4]:
        assert comment.body not in content
    assert news["comments"][4].body in content
    assert news["case"].get_absolute_url() in content


def test_a_comment_written_after_i_opened_the_case_is_new_again(member_client, other_member, news):
    member_client.get(news["own"].get_absolute_url())
    later = services.comment_add(author=other_member, case=news["own"], body="En senere kommentar")
    content = page(member_client)
    assert later.body in content
    assert news["comments"][0].body not in content


def test_following_a_comment_link_sees_that_comment(member_client, news):
    page(member_client)
    area_comment = news["comments"][4]
    assert member_client.get(area_comment.get_absolute_url()).status_code == 302
    content = page(member_client)
    assert area_comment.body not in content
    assert news["comments"][0].body in content


def test_opening_a_note_and_a_meeting_removes_just_those(member_client, news):
    page(member_client)
    note, other_note = news["notes"]
    meeting = news["meetings"][4]
    assert member_client.get(note.get_absolute_url()).status_code == 200
    assert member_client.get(meeting.get_absolute_url()).status_code == 200
    content = page(member_client)
    assert note.get_absolute_url() not in content
    assert other_note.get_absolute_url() in content
    assert f'href="{meeting.get_absolute_url()}"' not in content.split('id="ov-upcoming"')[0]
    assert f'href="{news["meetings"][3].get_absolute_url()}"' in content


def test_mark_read_clears_the_rest_and_the_last_week_still_lists_it(member_client, other_member, area, news):
    content = page(member_client)
    assert 'action="/overblik/laest/"' in content
    response = member_client.post("/overblik/laest/", {"until": timezone.now().isoformat()})
    assert response.status_code == 302 and response["Location"] == "/overblik/"
    content = page(member_client)
    assert NOTHING_NEW in content
    assert news["case"].get_absolute_url() not in content
    week = page(member_client, "/overblik/seneste-7-dage/")
    shows_all(week, news)
    # Something new after marking read shows up on the overview again.
    newer = make_case(other_member, area, title="Endnu en case")
    content = page(member_client)
    assert newer.get_absolute_url() in content and NOTHING_NEW not in content


def test_mark_read_leaves_what_came_after_the_page_was_shown(member_client, other_member, area, news):
    shown_at = timezone.now()
    page(member_client)
    arrived = make_case(other_member, area, title="Kom imens")
    member_client.post("/overblik/laest/", {"until": shown_at.isoformat()})
    content = page(member_client)
    assert arrived.get_absolute_url() in content
    assert news["case"].get_absolute_url() not in content


def test_mark_read_needs_post_and_a_member(client, member_client, member):
    assert member_client.get("/overblik/laest/").status_code == 405
    client.logout()
    response = client.post("/overblik/laest/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not NotificationSettings.objects.filter(user=member, overview_read_at__isnull=False).exists()


def test_the_last_week_marks_what_is_still_new(member_client, news):
    member_client.get(news["case"].get_absolute_url())
    week = page(member_client, "/overblik/seneste-7-dage/")
    shows_all(week, news)
    case_line = next(line for line in week.splitlines() if news["case"].get_absolute_url() in line)
    note_line = next(line for line in week.splitlines() if news["notes"][0].get_absolute_url() in line)
    assert '<span class="badge">Set</span>' in case_line
    assert '<span class="badge">Nyt</span>' in note_line
    member_client.post("/overblik/laest/")
    week = page(member_client, "/overblik/seneste-7-dage/")
    note_line = next(line for line in week.splitlines() if news["notes"][0].get_absolute_url() in line)
    assert '<span class="badge">Læst</span>' in note_line


def test_the_last_week_leaves_out_what_is_older(member_client, member, other_member, area, news):
    old = make_case(other_member, area, title="En gammel case")
    type(old).objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=8))
    week = page(member_client, "/overblik/seneste-7-dage/")
    assert old.get_absolute_url() not in week
    assert news["case"].get_absolute_url() in week


def test_the_meeting_page_shows_its_note_in_full_so_it_sees_both(member_client, news):
    meeting = news["notes"][0].meeting
    page(member_client)
    assert member_client.get(meeting.get_absolute_url()).status_code == 200
    content = page(member_client)
    assert news["notes"][0].get_absolute_url() not in content
    assert news["notes"][1].get_absolute_url() in content


def test_seeing_an_item_is_one_idempotent_write(member, news):
    from komdir.overview.models import SeenItem

    case = news["case"]
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            overview_services.seen_record(user=member, kind="case", object_id=case.pk)
        assert len(ctx.captured_queries) == 1
    assert SeenItem.objects.filter(user=member, kind="case", object_id=case.pk).count() == 1


def test_someone_elses_seeing_does_not_touch_my_overview(client, member_client, news):
    stranger = make_member(municipality_name="Aalborg", email="fremmed@kommune.test")
    page(member_client)
    client.force_login(stranger)
    client.get(news["case"].get_absolute_url())
    client.force_login(news["own"].author)
    assert news["case"].get_absolute_url() in page(client)


def test_visiting_the_overview_writes_nothing_after_the_first_visit(member_client, news):
    page(member_client)
    with CaptureQueriesContext(connection) as ctx:
        page(member_client)
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert [sql for sql in writes if "notificationsettings" in sql or "seenitem" in sql] == []


def test_the_overview_and_its_week_cost_the_same_queries_for_1_and_50_items(
    client, settings, member, circle_lead, area
):
    settings.KOMDIR_FRAGMENT_CACHE = False  # the full rendering, as on a first view
    nordjylland = Circle.objects.get(slug="nordjylland")
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    notification_services.follow_set(
        user=member, kind=FollowKind.CIRCLE, object_id=nordjylland.pk, active=True
    )
    writer = make_member(municipality_name="Aalborg", email="skribent@kommune.test")
    client.force_login(member)

    def add(n):
        case = make_case(writer, area, title=f"Case {n}")
        services.comment_add(author=writer, case=case, body=f"Kommentar {n}")
        meeting = make_meeting(circle_lead, nordjylland, title=f"Møde {n}")
        note = note_save(
            actor=circle_lead,
            meeting=meeting,
            body="Referat.",
            visibility=NoteVisibility.MEMBERS,
            publish=True,
        )
        if n % 2:  # half of them seen where they live
            client.get(case.get_absolute_url())
            client.get(note.get_absolute_url())

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(0)
    add(1)
    queries("/overblik/")  # warm-up: the first visit sets the marker, process-wide caches fill
    one = (queries("/overblik/"), queries("/overblik/seneste-7-dage/"))
    for n in range(2, 50):
        add(n)
    fifty = (queries("/overblik/"), queries("/overblik/seneste-7-dage/"))
    assert one == fifty
    assert max(fifty) <= 12


def test_what_a_member_has_seen_is_in_their_export_and_goes_with_their_account(member, news):
    from komdir.overview.models import SeenItem

    overview_services.seen_record(user=member, kind="case", object_id=news["case"].pk)
    exported = privacy_selectors.member_export(user=member)
    assert exported["seen"] == [
        {"kind": "case", "object_id": news["case"].pk, "seen_at": exported["seen"][0]["seen_at"]}
    ]
    privacy_services.account_delete(user=member, actor=member, delete_contributions=False)
    assert not SeenItem.objects.filter(user=member).exists()
