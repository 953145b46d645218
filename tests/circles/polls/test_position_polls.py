"""A temperature check before KOMDIR publishes: the secretariat asks all members, while a draft
position is in consultation with them, whether they can support it; the poll and the draft link
to each other, as far as the viewer may see them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from circles.polls.models import Poll, PollKind
from focus.models import FocusArea
from focus.voice import services as voice_services
from tests.circles.polls.conftest import make_poll
from tests.conftest import current_totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(secretariat):
    question = FocusArea.objects.get(period__status="current", number=1).questions.order_by("order").first()
    return voice_services.position_create(
        actor=secretariat, question=question, title="Frihed til lokale løsninger", body="KOMDIR mener …"
    )


@pytest.fixture
def in_consultation(secretariat, draft):
    return voice_services.position_open(
        actor=secretariat, position=draft, until=timezone.now() + timedelta(days=10)
    )


@pytest.fixture
def staff(secretariat):
    client = Client()
    client.post("/accounts/login/", {"login": secretariat.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    return client


def test_the_secretariat_opens_a_temperature_check_on_a_draft_in_consultation(staff, in_consultation, member):
    page = staff.get(in_consultation.get_absolute_url()).content.decode()
    url = f"/afstemninger/ny/?holdning={in_consultation.slug}"
    assert url in page
    form = staff.get(url).content.decode()
    assert "Ny temperaturmåling på et udkast" in form and "Kan du støtte udkastet" in form
    assert re.search(r'<input[^>]*value="proposal"[^>]*checked', form)
    response = staff.post(
        url,
        {
            "question": "Kan du støtte udkastet?",
            "kind": PollKind.PROPOSAL,
            "results_shown": "after_vote",
            "opens_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        },
        follow=True,
    )
    poll = Poll.objects.get()
    assert poll.position == in_consultation and response.redirect_chain[-1][0] == poll.get_absolute_url()
    reader = Client()
    reader.force_login(member)
    assert in_consultation.get_absolute_url() in reader.get(poll.get_absolute_url()).content.decode()
    assert poll.get_absolute_url() in reader.get(in_consultation.get_absolute_url()).content.decode()


def test_no_temperature_check_on_a_draft_members_cannot_read(secretariat, draft, member, client):
    with pytest.raises(ValidationError) as refused:
        make_poll(
            actor=secretariat,
            question="Kan du støtte det?",
            position=draft,
            options=(),
            kind=PollKind.PROPOSAL,
        )
    assert "sendt i høring hos alle medlemmer" in str(refused.value)
    client.force_login(member)
    assert client.get(f"/afstemninger/ny/?holdning={draft.slug}").status_code == 404


def test_a_member_cannot_open_one(in_consultation, member, client):
    client.force_login(member)
    assert client.get(f"/afstemninger/ny/?holdning={in_consultation.slug}").status_code == 403
    assert (
        "/afstemninger/ny/?holdning=" not in client.get(in_consultation.get_absolute_url()).content.decode()
    )
