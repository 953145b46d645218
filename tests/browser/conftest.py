"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

CI always runs them (.ci/run installs chromium). `make test` on a machine without chromium says
so and deselects them; nothing is skipped silently.
"""

import os
import shutil

# Playwright's sync API runs an asyncio loop; Django's ORM refuses to run inside one by default.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def chromium_path() -> str:
    path = os.environ.get("KOMDIR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Chromium is not installed: the browser tests need Debian's chromium "
            "(apt-get install chromium). .ci/run installs it; `make test` deselects these tests "
            "with a notice when it is missing on a developer machine."
        )
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageProblems:
    """Console errors, page errors and CSP violations seen while a test ran."""

    def __init__(self):
        self.items: list[str] = []

    def attach(self, page):
        page.on(
            "console",
            lambda msg: self.items.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.items.append(f"pageerror: {exc}"))
        page.on(
            "response",
            lambda r: (
                self.items.append(f"HTTP {r.status} for {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )
        # CSP violations are also reported as console errors; this catches the ones that are not.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )

    def forget_expected_document_error(self, status: int) -> None:
        """The browser logs a console error for a page answered with an error status on purpose."""
        expected = f"console.error: Failed to load resource: the server responded with a status of {status}"
        self.items = [item for item in self.items if not item.startswith(expected)]


@pytest.fixture
def problems():
    return PageProblems()


@pytest.fixture
def page(browser, live_server, problems, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="da-DK", timezone_id="Europe/Copenhagen")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems.attach(page)
    yield page
    context.close()
    assert problems.items == [], "\n".join(problems.items)


@pytest.fixture
def phone_page(browser, live_server, problems):
    context = browser.new_context(
        viewport=PHONE, locale="da-DK", timezone_id="Europe/Copenhagen", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems.attach(page)
    yield page
    context.close()
    assert problems.items == [], "\n".join(problems.items)


_axe = Axe()


def assert_accessible(page) -> None:
    """Fail on any violation of the WCAG 2.0/2.1 A and AA rules on the current page."""
    results = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def login(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


@pytest.fixture
def open_page(browser, live_server, problems):
    """Open another browser context (another person) with the same problem collection:
    `open_page()` for desktop, `open_page(PHONE)` for a phone."""
    contexts = []

    def factory(viewport=DESKTOP):
        phone = viewport == PHONE
        context = browser.new_context(
            viewport=viewport,
            locale="da-DK",
            timezone_id="Europe/Copenhagen",
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        new_page = context.new_page()
        problems.attach(new_page)
        return new_page

    yield factory
    for context in contexts:
        context.close()
    assert problems.items == [], "\n".join(problems.items)


@pytest.fixture
def demo(live_server, settings):
    """The demo data `make run` shows (seed_demo), with the tests' password for every demo account."""
    import io

    from django.core.management import call_command
    from django.test import override_settings

    from tests.factories import PASSWORD

    settings.SITE_URL = live_server.url
    # The demo's own notifications (a hundred mails) are not what the journeys look at; the
    # journeys' actions run with the project's task backend again.
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        call_command("seed_demo", password=PASSWORD, force=True, stdout=io.StringIO())
