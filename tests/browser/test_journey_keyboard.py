"""Journey 5: the main member paths with the keyboard only (Tab, Enter, Space), and a visible focus
indicator on every element the Tab key reaches on the way."""

import re

import pytest
from playwright.sync_api import expect

from focus.models import Case
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What has focus, and whether it shows: an outline or a box-shadow on the element itself, or for
# the design system's visually hidden checkboxes and radios on their label.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = (node, pseudo) => {
    const s = getComputedStyle(node, pseudo);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
      || (s.boxShadow && s.boxShadow !== 'none');
  };
  let visible = shows(el, null);
  if (!visible && el.labels && el.labels.length) {
    const label = el.labels[0];
    visible = shows(label, null) || shows(label, '::before');
  }
  const r = el.getBoundingClientRect();
  return {
    visible, onScreen: r.width > 0 && r.height > 0,
    what: el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.innerText || el.value || '').trim().slice(0, 60),
  };
}"""


def tab_to(page, target, *, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab until `target` (a locator) has focus; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        info = page.evaluate(FOCUSED)
        assert info is not None, f"focus left the page at {page.url}"
        assert info["visible"] and info["onScreen"], f"focus is not visible on {info['what']} at {page.url}"
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached with {limit} presses of {key} at {page.url}")


def test_member_logs_in_writes_a_case_comments_and_replies_with_the_keyboard_only(page, live_server, demo):
    page.goto(live_server.url + "/accounts/login/")
    tab_to(page, page.get_by_label("E-mail"))
    page.keyboard.type("medlem@komdir.test")
    tab_to(page, page.get_by_label("Adgangskode", exact=True))
    page.keyboard.type("korrekt-hest-batteri-42")
    page.keyboard.press("Enter")
    expect(page.locator(".komdir-usermenu summary")).to_contain_text("Mette Holm")

    # Main menu -> cases -> write a case.
    nav = page.get_by_role("navigation", name="Hovedmenu")
    tab_to(page, nav.get_by_role("link", name="Cases"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/cases/$"))
    tab_to(page, page.get_by_role("link", name="Skriv en case"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv en case")
    assert_accessible(page)

    tab_to(page, page.get_by_label("Titel"))
    page.keyboard.type("Tastaturvenlig borgerservice")
    tab_to(page, page.get_by_label("Kort resumé"))
    page.keyboard.type("Alle selvbetjeningsløsninger testes nu med tastatur før indkøb.")
    tab_to(page, page.get_by_label("Beskrivelse"))
    page.keyboard.type("Vi stiller krav om WCAG 2.1 AA i alle udbud.")
    area = page.get_by_label("Fokusområde")
    tab_to(page, area)
    page.keyboard.press("ArrowDown")
    expect(area).not_to_have_value("")
    first_question = page.locator("input[name=questions]").first
    tab_to(page, first_question)
    page.keyboard.press("Space")
    expect(first_question).to_be_checked()
    tab_to(page, page.get_by_label("Emneord"))
    page.keyboard.type("tilgængelighed, digitalisering")
    tab_to(page, page.get_by_label("Casen må vises offentligt"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Offentliggør"))
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tastaturvenlig borgerservice")
    case = Case.objects.get(title="Tastaturvenlig borgerservice")
    assert case.is_public and case.questions.count() == 1
    assert sorted(case.tags.names()) == ["digitalisering", "tilgængelighed"]
    assert_accessible(page)

    # Comment, then reply through the "Svar" disclosure.
    tab_to(page, page.get_by_label("Din kommentar"))
    page.keyboard.type("Husk også skærmlæsertest.")
    tab_to(page, page.get_by_role("button", name="Send kommentar"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Din kommentar er tilføjet.")).to_be_visible()
    reply_toggle = page.locator(".komdir-reply summary").first
    tab_to(page, reply_toggle)
    page.keyboard.press("Enter")
    reply_box = page.get_by_label("Dit svar til Mette Holm")
    tab_to(page, reply_box)
    page.keyboard.type("Og test med 200 % zoom.")
    tab_to(page, page.get_by_role("button", name="Send svar"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dit svar er tilføjet.")).to_be_visible()
    assert_accessible(page)

    # The user menu opens with Enter and logging out works from it.
    page.goto(live_server.url + "/")
    summary = page.locator(".komdir-usermenu summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    logout = page.get_by_role("button", name="Log ud")
    tab_to(page, logout)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()


def test_member_answers_a_meeting_invitation_with_the_keyboard_only(page, live_server, demo):
    from circles.models import Meeting
    from tests.browser.conftest import login
    from tests.factories import PASSWORD

    meeting = (
        Meeting.objects.filter(circle__slug="hovedstaden", cancelled_at__isnull=True)
        .order_by("starts_at")
        .first()
    )
    login(page, live_server.url, "medlem@komdir.test", PASSWORD)
    expect(page.locator(".komdir-usermenu summary")).to_be_visible()
    page.goto(live_server.url + meeting.get_absolute_url())
    first_radio = page.locator("input[name=response]").first
    tab_to(page, first_radio)
    page.keyboard.press("Space")
    expect(first_radio).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Gem svar"))
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success, .alert")).to_be_visible()
    expect(page.locator("input[name=response]").first).to_be_checked()
    assert_accessible(page)
