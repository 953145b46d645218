"""Polls in a real browser: a member votes in a poll for all members and changes the vote (the
page shows the current vote as the checked option); a circle lead opens a poll for the circle,
a member of another circle never sees it. axe checks every new page."""

import re

import pytest
from playwright.sync_api import expect

from circles.polls.models import Poll, Vote
from tests.browser.conftest import PHONE, assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Hvilket fokusområde skal KOMDIR prioritere i udspillet til KL i foråret?"


def test_member_votes_and_changes_the_vote(page, live_server, demo):
    login(page, live_server.url, "medlem@komdir.test", PASSWORD)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Afstemninger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afstemninger")
    assert_accessible(page)
    page.get_by_role("link", name=QUESTION).click()
    expect(page.get_by_text("Du kan se resultatet, når du har stemt.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Civilsamfund").check()
    page.get_by_label("Kommentar").fill("Foreningerne bærer meget af velfærden lokalt.")
    page.get_by_role("button", name="Stem", exact=True).click()
    expect(page.get_by_text("Tak. Din stemme er gemt.")).to_be_visible()
    expect(page.get_by_label("Civilsamfund")).to_be_checked()
    expect(page.get_by_role("table").first).to_contain_text("Civilsamfund")
    assert_accessible(page)

    page.get_by_label("Borgernær velfærd og frisættelse").check()
    page.get_by_role("button", name="Gem ændret stemme").click()
    expect(page.get_by_text("Din stemme er ændret.")).to_be_visible()
    expect(page.get_by_label("Borgernær velfærd og frisættelse")).to_be_checked()
    expect(page.get_by_label("Civilsamfund")).not_to_be_checked()
    vote = Vote.objects.get(poll__question=QUESTION, voter__email="medlem@komdir.test")
    assert [o.label for o in vote.options.all()] == ["Borgernær velfærd og frisættelse"]
    assert vote.comment == "Foreningerne bærer meget af velfærden lokalt."


def test_lead_opens_a_circle_poll_that_another_circle_never_sees(
    page, open_page, live_server, demo, problems
):
    login(page, live_server.url, "kredsformand@komdir.test", PASSWORD)
    page.goto(f"{live_server.url}/afstemninger/")
    page.get_by_role("link", name="Ny afstemning i Kreds Nordjylland").click()
    assert_accessible(page)
    page.get_by_label("Spørgsmål").fill("Skal kredsen mødes i Skagen i maj?")
    page.get_by_label("Svarmuligheder").fill("Ja\nNej")
    page.get_by_label("Hemmelig afstemning").check()
    page.get_by_role("button", name="Opret afstemning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skal kredsen mødes i Skagen i maj?")
    expect(page.get_by_text(re.compile("Afstemningen er oprettet"))).to_be_visible()
    assert_accessible(page)
    poll = Poll.objects.get(question="Skal kredsen mødes i Skagen i maj?")
    assert poll.anonymous and poll.circle.slug == "nordjylland"

    page.get_by_role("link", name="Luk afstemningen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nej, lad den være åben").click()

    # A member in Kreds Hovedstaden, on a phone: not in the list, 404 at its address.
    other = open_page(PHONE)
    login(other, live_server.url, "medlem@komdir.test", PASSWORD)
    other.goto(f"{live_server.url}/afstemninger/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Afstemninger")
    expect(other.get_by_text("Skal kredsen mødes i Skagen i maj?")).to_have_count(0)
    assert_accessible(other)
    response = other.goto(f"{live_server.url}{poll.get_absolute_url()}")
    assert response.status == 404
    problems.forget_expected_document_error(404)
