"""Shared fragments (komdir/lib/fragments/, issue 15): one entry per page and audience, shared
by the members who see the same thing, refreshed by a write to what it shows — and only that —
with everything personal (tokens, follow buttons, one's own "Ret") filled per request."""

import re

import pytest
from django.test import Client

from focus import services
from focus.models import FocusArea
from komdir.lib import fragments
from komdir.notifications import services as notification_services
from members.models import User
from tests.factories import make_member


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


def _case(author, area, title):
    return services.case_create(
        author=author, focus_area=area, title=title, summary="R", body="T", publish=True
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts(template: str) -> tuple[int, int]:
    found = fragments.stats().get(template, {"hit": 0, "miss": 0})
    return found["hit"], found["miss"]


@pytest.mark.django_db
def test_two_members_share_one_rendering_of_a_case(member, other_member, area):
    case = _case(member, area, "Delt case")
    third = make_member(municipality_name="Odense", email="tredje@kommune.test")
    first, second = _client(other_member), _client(third)
    first.get(case.get_absolute_url())
    assert _counts("focus/case_detail.html") == (0, 1)
    assert "Delt case" in second.get(case.get_absolute_url()).content.decode()
    assert _counts("focus/case_detail.html") == (1, 1)


@pytest.mark.django_db
def test_a_comment_refreshes_its_case_and_not_another(member, other_member, area):
    commented, untouched = _case(member, area, "Kommenteret"), _case(member, area, "Urørt")
    reader = _client(other_member)
    reader.get(commented.get_absolute_url())
    reader.get(untouched.get_absolute_url())
    services.comment_add(author=member, body="En ny kommentar", case=commented)
    assert "En ny kommentar" in reader.get(commented.get_absolute_url()).content.decode()
    reader.get(untouched.get_absolute_url())
    # Two first views and the commented case again were rendered; the untouched one was a hit.
    assert _counts("focus/case_detail.html") == (1, 3)


@pytest.mark.django_db
def test_a_login_refreshes_no_page(member, other_member, area):
    case = _case(member, area, "Login-case")
    third = make_member(municipality_name="Odense", email="tredje@kommune.test")
    _client(other_member).get(case.get_absolute_url())
    late = _client(third)  # a login: writes last_login
    assert User.objects.get(pk=third.pk).last_login is not None
    late.get(case.get_absolute_url())
    assert _counts("focus/case_detail.html") == (1, 1)


@pytest.mark.django_db
def test_ones_own_comment_actions_never_reach_another_member(member, other_member, area):
    case = _case(other_member, area, "Med egne links")
    comment = services.comment_add(author=member, body="Min kommentar", case=case)
    third = make_member(municipality_name="Odense", email="tredje@kommune.test")
    edit = f"/kommentarer/{comment.pk}/rediger/"
    assert edit in _client(member).get(case.get_absolute_url()).content.decode()
    for reader in (other_member, third):
        html = _client(reader).get(case.get_absolute_url()).content.decode()
        assert "Min kommentar" in html and edit not in html


@pytest.mark.django_db
def test_follow_state_and_tokens_are_filled_per_request(member, other_member, area):
    case = _case(other_member, area, "Følges")
    notification_services.follow_set(user=member, kind="case", object_id=case.pk, active=True)
    third = make_member(municipality_name="Odense", email="tredje@kommune.test")
    follower, reader = _client(member), _client(third)
    follower_html = follower.get(case.get_absolute_url()).content.decode()
    reader_html = reader.get(case.get_absolute_url()).content.decode()
    assert _counts("focus/case_detail.html") == (1, 1)
    assert "Stop med at følge" in follower_html and "Stop med at følge" not in reader_html
    tokens = [
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', h) for h in (follower_html, reader_html)
    ]
    assert tokens[0] and tokens[1] and not set(tokens[0]) & set(tokens[1])
    submissions = re.findall(r'name="submission_token" value="([^"]+)"', reader_html)
    assert submissions and "<!--hole" not in reader_html


@pytest.mark.django_db
def test_visitors_share_public_pages_and_get_no_cookie(member, area):
    case = services.case_create(
        author=member,
        focus_area=area,
        title="Offentlig case",
        summary="R",
        body="T",
        publish=True,
        is_public=True,
    )
    for url in ("/", area.get_absolute_url(), case.get_absolute_url(), "/cases/"):
        first, second = Client(), Client()
        assert first.get(url).status_code == 200
        response = second.get(url)
        assert "Offentlig case" in response.content.decode(), url
        assert not response.cookies, (url, list(response.cookies))
    assert _counts("focus/case_detail.html") == (1, 1)


@pytest.mark.django_db
def test_the_language_switch_works_without_a_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"


@pytest.mark.django_db
def test_forms_in_a_shared_page_carry_a_token_that_the_csrf_check_accepts(member, other_member, area):
    case = _case(other_member, area, "Følg mig")
    third = make_member(municipality_name="Odense", email="tredje@kommune.test")
    _client(third).get(case.get_absolute_url())  # cached by another member
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    html = client.get(case.get_absolute_url()).content.decode()
    assert _counts("focus/case_detail.html") == (1, 1)
    form = re.search(r'<form method="post" action="(/foelg/case/\d+/)".*?</form>', html, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))
    response = client.post(form.group(1), fields)
    assert response.status_code == 302
    assert "Stop med at følge" in client.get(case.get_absolute_url()).content.decode()


# A new comment: its own page at once, the lists that show comments within the window, the
# member who wrote it everywhere at once; an edit or a removal everywhere at once.


@pytest.mark.django_db
def test_a_new_comment_reaches_the_lists_within_the_window_and_its_case_at_once(
    settings, member, other_member, area
):
    settings.KOMDIR_FRAGMENT_SOON_SECONDS = 60
    case = _case(member, area, "Casen med kommentarer")
    reader = _client(other_member)
    reader.get("/")
    reader.get(case.get_absolute_url())
    services.comment_add(author=member, body="Helt ny kommentar", case=case)
    assert "Helt ny kommentar" in reader.get(case.get_absolute_url()).content.decode()
    assert "Helt ny kommentar" not in reader.get("/").content.decode()  # within the window
    settings.KOMDIR_FRAGMENT_SOON_SECONDS = 0  # the window has passed
    assert "Helt ny kommentar" in reader.get("/").content.decode()
    hits, misses = _counts("focus/home.html")
    assert (hits, misses) == (1, 2)


@pytest.mark.django_db
def test_the_member_who_wrote_sees_their_new_comment_in_every_list_at_once(
    settings, member, other_member, area
):
    settings.KOMDIR_FRAGMENT_SOON_SECONDS = 60
    case = _case(member, area, "Casen med kommentarer")
    writer, reader = _client(member), _client(other_member)
    writer.get("/")
    reader.get("/")
    response = writer.post(f"/kommentarer/ny/case/{case.pk}/", {"body": "Min egen nye kommentar"})
    assert response.status_code == 302
    assert "Min egen nye kommentar" in writer.get("/").content.decode()
    search = writer.get("/soeg/", {"q": "egen nye kommentar"}).content.decode()
    assert f"/kommentarer/{case.comments.get().pk}/" in search


@pytest.mark.django_db
def test_a_deleted_comment_leaves_every_list_at_once(settings, member, other_member, area):
    settings.KOMDIR_FRAGMENT_SOON_SECONDS = 0
    case = _case(member, area, "Casen med kommentarer")
    comment = services.comment_add(author=member, body="Det fortryder jeg", case=case)
    reader = _client(other_member)
    assert "Det fortryder jeg" in reader.get("/").content.decode()
    settings.KOMDIR_FRAGMENT_SOON_SECONDS = 3600
    services.comment_delete(comment=comment, actor=member)
    assert "Det fortryder jeg" not in reader.get("/").content.decode()
    assert "Det fortryder jeg" not in reader.get(case.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_comment_on_a_case_leaves_the_area_page_and_its_discussion_cached(member, other_member, area):
    case = _case(member, area, "Casen med kommentarer")
    reader = _client(other_member)
    reader.get(area.get_absolute_url())
    reader.get(f"/droeftelse/area/{area.pk}/")
    services.comment_add(author=member, body="Om casen", case=case)
    reader.get(area.get_absolute_url())
    reader.get(f"/droeftelse/area/{area.pk}/")
    assert _counts("focus/area_detail.html") == (1, 1)
    assert _counts("focus/discussion.html") == (1, 1)
    # A comment in the area's discussion is shown there, and on the area page, at once.
    services.comment_add(author=member, body="Om fokusområdet", focus_area=area)
    assert "Om fokusområdet" in reader.get(area.get_absolute_url()).content.decode()
    assert "Om fokusområdet" in reader.get(f"/droeftelse/area/{area.pk}/").content.decode()


@pytest.mark.django_db
def test_the_case_lists_count_of_comments_is_current_in_a_cached_list(settings, member, other_member, area):
    settings.KOMDIR_FRAGMENT_SOON_SECONDS = 3600
    case = _case(member, area, "Casen med kommentarer")
    reader = _client(other_member)
    assert "0 kommentarer" in reader.get("/cases/").content.decode()
    services.comment_add(author=member, body="Første", case=case)
    services.comment_add(author=member, body="Anden", case=case)
    assert "2 kommentarer" in reader.get("/cases/").content.decode()
    assert _counts("focus/case_list.html") == (1, 1)
    # Visitors see no counts at all.
    assert "kommentar" not in Client().get("/cases/").content.decode().split("results-title")[1]


@pytest.mark.django_db
def test_the_directory_is_shared_and_shows_a_new_circle_seat_and_a_deactivated_member_at_once(
    member, other_member, secretariat
):
    from circles import services as circle_services
    from circles.models import Circle

    first, second = _client(member), _client(other_member)
    assert member.get_full_name() in first.get("/medlemmer/").content.decode()
    assert "Se din egen profil" in second.get("/medlemmer/").content.decode()
    assert _counts("members/member_directory.html") == (1, 1)
    circle = Circle.objects.get(slug="nordjylland")
    found = first.get("/medlemmer/", {"q": member.last_name}).content.decode()
    assert f"{circle.name}</dd>" not in found
    circle_services.membership_add(actor=secretariat, user=member, circle=circle)
    assert f"{circle.name}</dd>" in first.get("/medlemmer/", {"q": member.last_name}).content.decode()
    member.is_active = False
    member.save()
    assert member.get_full_name() not in second.get("/medlemmer/").content.decode()
