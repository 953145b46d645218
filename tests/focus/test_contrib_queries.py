"""Query counts do not grow with content: the same with 1 and with 50 (or 200) rows, and at most 12.

Measured with the fragment cache off (komdir/lib/fragments/), so every count is the full
rendering a first view pays; test_cached_views_skip_the_content_queries covers the cached view.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from focus import services
from tests.factories import make_member
from tests.focus.conftest import make_case

BUDGET = 12


@pytest.fixture(autouse=True)
def _render_everything(settings):
    settings.KOMDIR_FRAGMENT_CACHE = False


def _count(client, url):
    # Warm up first: per-process caches (content types for tags, the session) fill on first use.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _authors():
    return [
        make_member(municipality_name=name, email=f"q{i}@kommune.test")
        for i, name in enumerate(["Odense", "Aarhus", "Vejle"])
    ]


def _add_cases(authors, area, question, n, start=0):
    for i in range(start, start + n):
        make_case(
            authors[i % len(authors)],
            area,
            title=f"Case {i}",
            public=i % 2 == 0,
            questions=[question],
            tags=[f"emne{i % 7}", "fælles"],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["visitor", "member", "secretariat"])
def test_case_list_queries_do_not_grow(client, area, question, member, secretariat, role):
    if role != "visitor":
        client.force_login(member if role == "member" else secretariat)
    authors = _authors()
    _add_cases(authors, area, question, 2)
    few = _count(client, "/cases/")
    # The tag's own slug (taggit's, not a guess), and the filter seen to apply.
    slug = Tag.objects.get(name="fælles").slug
    filtered = f"/cases/?area={area.pk}&tag={slug}&sort=discussed"
    assert f'<option value="{slug}" selected' in client.get(filtered).content.decode()
    few_filtered = _count(client, filtered)
    _add_cases(authors, area, question, 50, start=2)
    for case in area.cases.all()[:10]:
        services.comment_add(author=authors[0], body="Kommentar", case=case)
    assert _count(client, "/cases/") == few <= BUDGET
    assert _count(client, filtered) == few_filtered <= BUDGET


@pytest.mark.django_db
def test_a_deep_case_list_page_shows_its_cases_in_order_with_the_queries_of_the_first(
    client, area, question, member
):
    import re

    from focus.models import Case

    client.force_login(member)
    authors = _authors()
    _add_cases(authors, area, question, 50)
    for i, case in enumerate(area.cases.order_by("pk")[:30]):
        for _ in range(i % 4):
            services.comment_add(author=authors[0], body="Kommentar", case=case)
    url = f"/cases/?area={area.pk}&sort=discussed"
    first = _count(client, url)
    assert _count(client, url + "&side=2") == first <= BUDGET
    expected = Case.objects.filter(focus_area=area).order_by("-comment_count", "-published_at", "-pk")[20:40]
    html = client.get(url + "&side=2").content.decode()
    shown = re.findall(r'<h3 class="header-title"><a href="[^"]+">([^<]+)</a>', html)
    assert shown == [case.title for case in expected]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["visitor", "member", "secretariat"])
def test_case_page_queries_are_the_same_with_1_and_200_comments(
    client, area, question, member, secretariat, role
):
    if role != "visitor":
        client.force_login(member if role == "member" else secretariat)
    authors = _authors()
    case = make_case(authors[0], area, public=True, questions=[question], tags=["a", "b"])
    first = services.comment_add(author=authors[1], body="Første", case=case)
    one = _count(client, case.get_absolute_url())
    for i in range(199):
        author = authors[i % len(authors)]
        if i % 4 == 0:
            services.comment_add(author=author, body=f"Svar {i}", parent=first)
        else:
            comment = services.comment_add(author=author, body=f"Kommentar {i}", case=case)
            if i % 10 == 1:
                services.comment_edit(comment=comment, editor=author, body="Rettet")
            if i % 10 == 3:
                services.comment_delete(comment=comment, actor=author)
            if i % 10 == 5:
                services.content_hide(obj=comment, actor=secretariat, reason="Skjult")
    assert _count(client, case.get_absolute_url()) == one <= BUDGET


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["visitor", "member"])
def test_area_and_home_queries_do_not_grow(client, area, question, member, role):
    if role == "member":
        client.force_login(member)
    authors = _authors()
    _add_cases(authors, area, question, 1)
    services.comment_add(author=authors[0], body="Om området", focus_area=area)
    services.comment_add(author=authors[0], body="Om spørgsmålet", question=question)
    area_one = _count(client, area.get_absolute_url())
    home_one = _count(client, "/")
    _add_cases(authors, area, question, 49, start=1)
    for i in range(50):
        top = services.comment_add(author=authors[i % 3], body=f"Om området {i}", focus_area=area)
        services.comment_add(author=authors[(i + 1) % 3], body=f"Svar {i}", parent=top)
        services.comment_add(author=authors[i % 3], body=f"Om spørgsmålet {i}", question=question)
    assert _count(client, area.get_absolute_url()) == area_one <= BUDGET
    assert _count(client, "/") == home_one <= BUDGET


@pytest.mark.django_db
def test_my_drafts_queries_do_not_grow(client, area, member):
    client.force_login(member)
    make_case(member, area, publish=False)
    one = _count(client, "/cases/mine-kladder/")
    for i in range(49):
        make_case(member, area, title=f"Kladde {i}", publish=False)
    assert _count(client, "/cases/mine-kladder/") == one <= BUDGET


@pytest.mark.django_db
def test_discussion_page_queries_are_the_same_with_1_and_50_threads(client, area, question, member):
    client.force_login(member)
    authors = _authors()
    services.comment_add(author=authors[0], body="Første", question=question)
    url = f"/droeftelse/question/{question.pk}/"
    one = _count(client, url)
    for i in range(50):
        top = services.comment_add(author=authors[i % 3], body=f"Tråd {i}", question=question)
        services.comment_add(author=authors[(i + 1) % 3], body=f"Svar {i}", parent=top)
    assert _count(client, url) == one <= BUDGET
    assert _count(client, url + "?side=3") == one


@pytest.mark.django_db
def test_cached_views_skip_the_content_queries(client, settings, area, question, member):
    """With the fragment cache on, a second view of a busy page reads its content from the cache:
    only what names the viewer's audience and fills the holes is read."""
    settings.KOMDIR_FRAGMENT_CACHE = True
    client.force_login(member)
    authors = _authors()
    case = make_case(authors[0], area, public=True, questions=[question], tags=["a"])
    for i in range(30):
        services.comment_add(author=authors[i % 3], body=f"Kommentar {i}", case=case)
    for url in ("/", area.get_absolute_url(), "/cases/?sort=discussed", case.get_absolute_url()):
        client.get(url)  # renders and stores the content
        settings.KOMDIR_FRAGMENT_CACHE = False
        full = _count(client, url)
        settings.KOMDIR_FRAGMENT_CACHE = True
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        # At most: the session, the user, the page's object, what the member has seen (a case
        # page records it), whether they wrote in it, their circles and their follows (the follow
        # button's hole).
        assert len(ctx.captured_queries) <= 7 < full, (url, ctx.captured_queries)
