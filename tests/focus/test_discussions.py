"""Long discussions (issue 9): paged threads, the discussion page, comment permalinks and the
denormalised comment count that "most discussed" sorts on."""

import re

import pytest
from django.test import Client

from focus import selectors, services
from focus.models import Case, Comment
from komdir.privacy import services as privacy_services
from tests.factories import make_member
from tests.focus.conftest import make_case

PER_PAGE = selectors.THREADS_PER_PAGE


def _threads(author, n, **target):
    return [services.comment_add(author=author, body=f"Tråd nummer {i}", **target) for i in range(n)]


def _thread_ids(html: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r'<div class="komdir-thread">\s*<article [^>]*id="kommentar-(\d+)"', html)
    ]


@pytest.mark.django_db
def test_case_page_shows_a_page_of_threads_with_their_replies(
    member_client, member, other_member, public_case
):
    threads = _threads(other_member, PER_PAGE + 5, case=public_case)
    reply = services.comment_add(author=member, body="Et svar på den første", parent=threads[0])
    first = member_client.get(public_case.get_absolute_url()).content.decode()
    assert _thread_ids(first) == [c.pk for c in threads[:PER_PAGE]]
    assert "Et svar på den første" in first and f"kommentar-{reply.pk}" in first
    assert "Side 1 af 2" in first and "side=2#comments-title" in first
    second = member_client.get(public_case.get_absolute_url() + "?side=2").content.decode()
    assert _thread_ids(second) == [c.pk for c in threads[PER_PAGE:]]
    assert "Et svar på den første" not in second
    # The comment form is on every page; an unknown page number shows the last page.
    assert 'action="/kommentarer/ny/case/' in second
    assert _thread_ids(member_client.get(public_case.get_absolute_url() + "?side=99").content.decode()) == [
        c.pk for c in threads[PER_PAGE:]
    ]


@pytest.mark.django_db
def test_a_new_comment_and_its_permalink_land_on_the_page_that_shows_it(
    member_client, member, other_member, public_case
):
    threads = _threads(other_member, PER_PAGE, case=public_case)
    response = member_client.post(f"/kommentarer/ny/case/{public_case.pk}/", {"body": "Den nyeste"})
    newest = Comment.objects.get(body="Den nyeste")
    assert response["Location"] == f"{public_case.get_absolute_url()}?side=2#kommentar-{newest.pk}"
    assert f'id="kommentar-{newest.pk}"' in member_client.get(response["Location"]).content.decode()
    # A reply lives on its thread's page, whatever its own date.
    response = member_client.post(f"/kommentarer/{threads[0].pk}/svar/", {"body": "Sent svar"})
    reply = Comment.objects.get(body="Sent svar")
    assert response["Location"] == f"{public_case.get_absolute_url()}#kommentar-{reply.pk}"
    permalink = member_client.get(reply.get_absolute_url())
    assert permalink.status_code == 302 and permalink["Location"] == response["Location"]


@pytest.mark.django_db
def test_permalinks_of_hidden_comments_are_404_and_visitors_are_sent_to_login(
    member_client, member, other_member, public_case, secretariat
):
    comment = services.comment_add(author=other_member, body="Bliver skjult", case=public_case)
    services.content_hide(obj=comment, actor=secretariat, reason="Personoplysninger")
    assert member_client.get(f"/kommentarer/{comment.pk}/").status_code == 404
    visitor = Client().get(f"/kommentarer/{comment.pk}/")
    assert visitor.status_code == 302 and visitor["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_area_page_shows_the_newest_threads_and_links_to_the_whole_discussion(
    member_client, other_member, area, question
):
    _threads(other_member, 5, question=question)
    services.comment_add(author=other_member, body="Om hele området", focus_area=area)
    html = member_client.get(area.get_absolute_url()).content.decode()
    assert "Tråd nummer 4" in html and "Tråd nummer 2" in html and "Tråd nummer 1" not in html
    assert f'href="/droeftelse/question/{question.pk}/">Se hele drøftelsen (5 tråde)' in html
    assert "Drøftelse (5 tråde)" in html
    # The area's own discussion has one thread: all of it is shown and no link is needed.
    assert "Om hele området" in html and f"/droeftelse/area/{area.pk}/" not in html


@pytest.mark.django_db
def test_discussion_page_pages_through_a_question_and_keeps_other_targets_out(
    member_client, other_member, area, question, public_case
):
    threads = _threads(other_member, PER_PAGE + 2, question=question)
    services.comment_add(author=other_member, body="Om casen", case=public_case)
    services.comment_add(author=other_member, body="Om området", focus_area=area)
    html = member_client.get(f"/droeftelse/question/{question.pk}/").content.decode()
    assert question.text in html and f"{PER_PAGE + 2} tråde, ældste først." in html
    assert _thread_ids(html) == [c.pk for c in threads[:PER_PAGE]]
    assert "Om casen" not in html and "Om området" not in html
    assert f'action="/kommentarer/ny/question/{question.pk}/"' in html
    html = member_client.get(f"/droeftelse/question/{question.pk}/?side=2").content.decode()
    assert _thread_ids(html) == [c.pk for c in threads[PER_PAGE:]]
    area_html = member_client.get(f"/droeftelse/area/{area.pk}/").content.decode()
    assert "Om området" in area_html and "Tråd nummer" not in area_html


@pytest.mark.django_db
def test_discussion_page_hides_moderated_threads_from_members(
    member, other_member, question, secretariat, secretariat_client
):
    kept, hidden = _threads(other_member, 2, question=question)
    services.content_hide(obj=hidden, actor=secretariat, reason="Krænkende")
    url = f"/droeftelse/question/{question.pk}/"
    # The secretariat's view first: its cached page must never reach a member.
    assert _thread_ids(secretariat_client.get(url).content.decode()) == [kept.pk, hidden.pk]
    member_client = Client()
    member_client.force_login(member)
    html = member_client.get(url).content.decode()
    assert _thread_ids(html) == [kept.pk] and "Krænkende" not in html


@pytest.mark.django_db
def test_discussion_page_is_for_members_only():
    from focus.models import GuidingQuestion

    question = GuidingQuestion.objects.first()
    response = Client().get(f"/droeftelse/question/{question.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_comment_count_follows_adds_deletes_moderation_and_withdrawal(
    member, other_member, public_case, secretariat
):
    def count():
        return Case.objects.get(pk=public_case.pk).comment_count

    top = services.comment_add(author=other_member, body="Et", case=public_case)
    services.comment_add(author=member, body="To", parent=top)
    mine = services.comment_add(author=member, body="Tre", case=public_case)
    assert count() == 3
    services.comment_delete(comment=mine, actor=member)
    assert count() == 2
    services.content_hide(obj=top, actor=secretariat, reason="Skjult")
    assert count() == 1
    services.content_restore(obj=top, actor=secretariat, reason="Fejl")
    assert count() == 2
    privacy_services.account_delete(user=other_member, actor=other_member, delete_contributions=True)
    assert count() == 1


@pytest.mark.django_db
def test_most_discussed_sorts_on_the_kept_count(member_client, member, area):
    quiet = make_case(member, area, title="Stille case")
    busy = make_case(member, area, title="Travl case")
    other = make_member(municipality_name="Aarhus", email="debat@kommune.test")
    for i in range(3):
        services.comment_add(author=other, body=f"Indlæg {i}", case=busy)
    services.comment_add(author=other, body="Et enkelt", case=quiet)
    html = member_client.get("/cases/?sort=discussed").content.decode()
    assert html.index("Travl case") < html.index("Stille case")
    assert "3 kommentarer" in html and "1 kommentar" in html


@pytest.mark.django_db
def test_a_comment_written_on_the_area_page_lands_back_on_it_and_old_threads_on_the_discussion(
    member_client, other_member, area, question
):
    threads = _threads(other_member, selectors.THREADS_PREVIEW + 1, question=question)
    response = member_client.post(f"/kommentarer/ny/question/{question.pk}/", {"body": "Nyt synspunkt"})
    new = Comment.objects.get(body="Nyt synspunkt")
    assert response["Location"] == f"{area.get_absolute_url()}#kommentar-{new.pk}"
    assert f'id="kommentar-{new.pk}"' in member_client.get(area.get_absolute_url()).content.decode()
    # The oldest thread is no longer among the newest on the area page: its reply is shown on
    # the discussion page.
    response = member_client.post(f"/kommentarer/{threads[0].pk}/svar/", {"body": "Svar i gammel tråd"})
    reply = Comment.objects.get(body="Svar i gammel tråd")
    assert response["Location"] == f"/droeftelse/question/{question.pk}/#kommentar-{reply.pk}"
    assert f'id="kommentar-{reply.pk}"' in member_client.get(response["Location"]).content.decode()
