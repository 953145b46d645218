"""Journey 4: the secretariat logs in with password and TOTP, edits a guiding question in admin,
and the change shows on the focus area page."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from focus.models import GuidingQuestion
from members.services import SECRETARIAT_GROUP, secretariat_group_sync
from tests.browser.conftest import assert_accessible, login
from tests.conftest import TOTP_SECRET, current_totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_edits_a_guiding_question_and_members_see_it(page, live_server):
    secretariat_group_sync()
    staff = UserFactory(
        email="sekretariat@komdir.test", is_staff=True, first_name="Sara", last_name="Sekretær"
    )
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    TOTP.activate(staff, TOTP_SECRET)
    question = GuidingQuestion.objects.select_related("focus_area__period").order_by("pk").first()

    login(page, live_server.url, staff.email, PASSWORD)
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    assert_accessible(page)
    page.get_by_label(re.compile("Kode|Code|Godkendelseskode", re.I)).fill(current_totp_code())
    page.get_by_role("button", name=re.compile("Log ind|Sign In|Bekræft", re.I)).click()

    page.goto(f"{live_server.url}/admin/focus/guidingquestion/{question.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    new_text = "Hvordan bruger vi erfaringerne fra frikommuneforsøgene bedst?"
    page.locator("#id_text").fill(new_text)
    page.get_by_role("button", name=re.compile("^Gem$")).click()
    expect(page.locator(".messagelist")).to_contain_text("blev ændret")

    page.goto(live_server.url + question.focus_area.get_absolute_url())
    expect(page.get_by_text(new_text)).to_be_visible()
