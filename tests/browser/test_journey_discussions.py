"""Journey 7 (issue 9): a member reads a long discussion a page at a time — on a case, and from
an area page's preview through "Se hele drøftelsen" — and a comment's lasting address finds
its page. Keyboard and axe checks on every page reached."""

import re

import pytest
from playwright.sync_api import expect

from focus import selectors, services
from focus.models import Case, FocusArea
from members.models import User
from tests.browser.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_pages_through_long_discussions_and_follows_a_permalink(page, live_server, demo):
    member = User.objects.get(email="medlem@komdir.test")
    writer = User.objects.get(email="medlem2@komdir.test")
    case = Case.objects.filter(status="published", hidden_at__isnull=True).order_by("pk").first()
    per_page = selectors.THREADS_PER_PAGE
    for i in range(per_page + 3):
        services.comment_add(author=writer, body=f"Indlæg nummer {i + 1} i den lange tråd", case=case)
    area = FocusArea.objects.filter(period__status="current").order_by("number").first()
    question = area.questions.order_by("order").first()
    early = [
        services.comment_add(author=writer, body=f"Spørgsmålstråd {i + 1}", question=question)
        for i in range(5)
    ]
    late = services.comment_add(author=writer, body="Det seneste indlæg om spørgsmålet", question=question)

    login(page, live_server.url, member.email, PASSWORD)
    page.goto(live_server.url + case.get_absolute_url())
    expect(page.get_by_text("Indlæg nummer 1 i den lange tråd", exact=True)).to_be_visible()
    pages = page.get_by_role("navigation", name="Sider i kommentarerne")
    expect(pages).to_contain_text("Side 1 af 2")
    assert_accessible(page)
    # Keyboard: the next-page link is reachable and followed with Enter.
    pages.get_by_role("link", name="Næste side").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?side=2#comments-title$"))
    expect(page.get_by_text(f"Indlæg nummer {per_page + 1} i den lange tråd", exact=True)).to_be_visible()
    expect(page.get_by_text("Indlæg nummer 1 i den lange tråd", exact=True)).to_have_count(0)
    assert_accessible(page)

    # The area page previews the newest threads and links to the whole discussion.
    page.goto(live_server.url + area.get_absolute_url())
    link = page.get_by_role("link", name=re.compile(r"Se hele drøftelsen \(\d+ tråde\)")).first
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drøftelse af spørgsmålet")
    expect(page.get_by_text("Det seneste indlæg om spørgsmålet")).to_be_visible()
    expect(page.get_by_label("Din kommentar")).to_be_visible()
    assert_accessible(page)

    # A comment's lasting address (as in e-mails and search) lands on it: on the area page while
    # its thread is among the newest there, else on the discussion page that holds it.
    page.goto(live_server.url + late.get_absolute_url())
    expect(page).to_have_url(re.compile(rf"{re.escape(area.get_absolute_url())}#kommentar-{late.pk}$"))
    expect(page.locator(f"#kommentar-{late.pk}")).to_be_visible()
    page.goto(live_server.url + early[0].get_absolute_url())
    expect(page).to_have_url(re.compile(rf"/droeftelse/question/{question.pk}/.*#kommentar-{early[0].pk}$"))
    expect(page.locator(f"#kommentar-{early[0].pk}")).to_be_visible()
