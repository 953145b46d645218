"""Who sees, votes in and runs which poll: every role against every action (PRODUCT.md's matrix),
and the list (SQL) agreeing with the page (Python)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from circles.models import CircleMembership
from circles.polls.models import Poll
from circles.polls.policies import polls
from circles.services import membership_remove
from tests.circles.polls.conftest import close_by_time, make_poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(member, other_member, circle_lead, secretariat):
    from tests.factories import make_member

    departed = make_member(municipality_name="Aalborg", email="fhv.medlem@kommune.test")
    return {
        "visitor": AnonymousUser(),
        "member": member,  # Kreds Hovedstaden
        "north": other_member,  # Kreds Nordjylland
        "lead": circle_lead,  # leads Kreds Nordjylland
        "secretariat": secretariat,
        "departed": departed,
    }


def _deactivate(user):
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


#                     view   vote   edit   close  export
ALL_MEMBERS = {
    "visitor": (False, False, False, False, False),
    "member": (True, True, False, False, False),
    "north": (True, True, False, False, False),
    "lead": (True, True, False, False, False),
    "secretariat": (True, False, True, True, True),
    "departed": (False, False, False, False, False),
}
CIRCLE = {
    "visitor": (False, False, False, False, False),
    "member": (False, False, False, False, False),
    "north": (True, True, False, False, False),
    "lead": (True, True, True, True, False),
    "secretariat": (True, False, True, True, True),
    "departed": (False, False, False, False, False),
}


@pytest.mark.parametrize("which, table", [("all", ALL_MEMBERS), ("circle", CIRCLE)])
def test_every_role_against_every_action(which, table, people, secretariat, circle_lead, nordjylland):
    poll = (
        make_poll(actor=secretariat)
        if which == "all"
        else make_poll(actor=circle_lead, circle=nordjylland, question="Kredsens spørgsmål?")
    )
    _deactivate(people["departed"])
    for role, expected in table.items():
        user = people[role]
        got = tuple(polls.can(user, action, poll) for action in ("view", "vote", "edit", "close", "export"))
        assert got == expected, role
        # The list agrees with the page: a poll one may not see is in no list either.
        assert (poll in polls.visible(user, Poll.objects.all())) is expected[0], role


def test_only_the_secretariat_opens_polls_for_all_and_a_lead_only_for_their_circle(
    member, circle_lead, secretariat, nordjylland, hovedstaden
):
    assert polls.can_create(secretariat, None) and polls.can_create(secretariat, hovedstaden)
    assert polls.can_create(circle_lead, nordjylland)
    assert not polls.can_create(circle_lead, None)
    assert not polls.can_create(circle_lead, hovedstaden)
    assert not polls.can_create(member, None) and not polls.can_create(member, hovedstaden)


def test_a_closed_poll_takes_no_votes_and_no_changes(all_poll, member, secretariat):
    close_by_time(all_poll)
    assert polls.can_view(member, all_poll)
    assert not polls.can_vote(member, all_poll)
    assert not polls.can_edit(secretariat, all_poll)
    assert polls.can_export(secretariat, all_poll)


def test_results_follow_the_poll_setting(secretariat, member):
    after_vote = make_poll(actor=secretariat, results_shown="after_vote")
    after_close = make_poll(actor=secretariat, question="Senere?", results_shown="after_close")
    assert not polls.can_view_results(member, after_vote, voted=False)
    assert polls.can_view_results(member, after_vote, voted=True)
    assert not polls.can_view_results(member, after_close, voted=True)
    assert polls.can_view_results(secretariat, after_close)  # those who run it follow it
    close_by_time(after_close)
    assert polls.can_view_results(member, after_close, voted=False)


def test_a_member_who_leaves_the_circle_no_longer_sees_its_poll(
    circle_poll, other_member, secretariat, nordjylland
):
    assert polls.can_vote(other_member, circle_poll)
    membership = CircleMembership.objects.get(user=other_member, circle=nordjylland)
    membership_remove(actor=secretariat, membership=membership)
    fresh = other_member.__class__.objects.get(pk=other_member.pk)
    assert not polls.can_view(fresh, circle_poll)
    assert not polls.visible(fresh, Poll.objects.all()).filter(pk=circle_poll.pk).exists()
