"""The secretariat's poll screens write through the services: the same checks and the same
notice as the portal's form; a change the votes forbid comes back on the form with the text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from circles.polls import services
from circles.polls.models import Poll
from tests.circles.polls.conftest import option

pytestmark = pytest.mark.django_db


def _data(**extra) -> dict:
    opens, closes = timezone.localtime(), timezone.localtime() + timedelta(days=5)
    return {
        "circle": "",
        "meeting": "",
        "question": "Skal generalforsamlingen holdes i Odense?",
        "description": "",
        "kind": "single",
        "results_shown": "after_vote",
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": closes.strftime("%Y-%m-%d"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "options_text": "Ja\nNej",
        **extra,
    }


def test_a_poll_opened_in_admin_is_made_by_the_service_and_members_are_told(
    secretariat_client, secretariat, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post("/admin/polls/poll/add/", _data())
    assert response.status_code == 302, response.content.decode()[:2000]
    poll = Poll.objects.get()
    assert poll.created_by == secretariat and [o.label for o in poll.options.all()] == ["Ja", "Nej"]
    told = sorted(m.to[0] for m in mailoutbox)
    assert told == sorted([member.email, other_member.email])


def test_changing_the_options_after_a_vote_is_refused_on_the_form(secretariat_client, all_poll, member):
    services.vote_cast(user=member, poll=all_poll, option_ids=[option(all_poll, "Ja").pk])
    response = secretariat_client.post(
        f"/admin/polls/poll/{all_poll.pk}/change/",
        _data(question="Nyt spørgsmål, der ikke må gå tabt", options_text="Ja\nNej\nVed ikke"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Der er allerede stemt." in page and "Nyt spørgsmål, der ikke må gå tabt" in page
    assert [o.label for o in Poll.objects.get(pk=all_poll.pk).options.all()] == ["Ja", "Nej", "Måske"]


def test_the_close_action_closes_through_the_service(secretariat_client, secretariat, all_poll):
    response = secretariat_client.post(
        "/admin/polls/poll/", {"action": "close_polls", "_selected_action": [all_poll.pk]}, follow=True
    )
    assert "1 afstemning er lukket." in response.content.decode()
    all_poll.refresh_from_db()
    assert all_poll.is_closed and all_poll.closed_early_by == secretariat
