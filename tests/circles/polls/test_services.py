"""Votes: one per member, changeable while open, none after closing; anonymous polls keep no
link from a vote to a member, checked in the database's own rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from circles.polls import selectors, services
from circles.polls.models import Participation, Poll, PollKind, Vote, VoteChoice
from komdir.privacy.services import account_delete
from tests.circles.polls.conftest import close_by_time, make_poll, option

pytestmark = pytest.mark.django_db


def test_one_vote_per_member_and_a_second_vote_changes_the_first(all_poll, member):
    services.vote_cast(user=member, poll=all_poll, option_ids=[option(all_poll, "Ja").pk], comment="Først")
    services.vote_cast(user=member, poll=all_poll, option_ids=[option(all_poll, "Nej").pk], comment="Siden")
    vote = Vote.objects.get(poll=all_poll)
    assert vote.voter == member and vote.comment == "Siden" and vote.changed_at is not None
    assert [o.label for o in vote.options.all()] == ["Nej"]
    assert Participation.objects.filter(poll=all_poll).count() == 1
    results, votes = selectors.poll_results(poll=all_poll)
    assert votes == 1 and {r.option.label: r.count for r in results} == {"Ja": 0, "Nej": 1, "Måske": 0}


def test_no_vote_after_the_poll_has_closed(all_poll, member):
    services.vote_cast(user=member, poll=all_poll, option_ids=[option(all_poll, "Ja").pk])
    close_by_time(all_poll)
    with pytest.raises(services.VoteError, match="lukket"):
        services.vote_cast(user=member, poll=all_poll, option_ids=[option(all_poll, "Nej").pk])
    assert [o.label for o in Vote.objects.get(poll=all_poll).options.all()] == ["Ja"]


def test_no_vote_before_the_poll_opens(secretariat, member):
    later = make_poll(actor=secretariat, opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(services.VoteError, match="ikke åbnet"):
        services.vote_cast(user=member, poll=later, option_ids=[option(later, "Ja").pk])
    assert not Vote.objects.exists()


def test_closing_a_poll_early_stops_the_votes(all_poll, member, secretariat):
    services.poll_close(actor=secretariat, poll=all_poll)
    all_poll.refresh_from_db()
    assert all_poll.is_closed and all_poll.closed_early_by == secretariat
    with pytest.raises(services.VoteError):
        services.vote_cast(user=member, poll=all_poll, option_ids=[option(all_poll, "Ja").pk])


def test_those_not_asked_cannot_vote(circle_poll, member, secretariat, other_member):
    with pytest.raises(PermissionDenied):  # Kreds Hovedstaden
        services.vote_cast(user=member, poll=circle_poll, option_ids=[option(circle_poll, "Ja").pk])
    with pytest.raises(PermissionDenied):  # the secretariat runs polls, it does not vote
        services.vote_cast(user=secretariat, poll=circle_poll, option_ids=[option(circle_poll, "Ja").pk])
    other_member.is_active = False
    other_member.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=other_member, poll=circle_poll, option_ids=[option(circle_poll, "Ja").pk])
    assert not Vote.objects.exists()


def test_a_departed_members_vote_stays_as_cast(circle_poll, other_member):
    services.vote_cast(user=other_member, poll=circle_poll, option_ids=[option(circle_poll, "Ja").pk])
    other_member.is_active = False
    other_member.departed_at = timezone.now()
    other_member.save(update_fields=["is_active", "departed_at"])
    results, votes = selectors.poll_results(poll=circle_poll)
    assert votes == 1 and Vote.objects.get().voter == other_member


def test_deleting_the_account_keeps_the_vote_in_the_count_but_not_as_theirs(circle_poll, other_member):
    services.vote_cast(user=other_member, poll=circle_poll, option_ids=[option(circle_poll, "Ja").pk])
    account_delete(user=other_member, actor=other_member)
    vote = Vote.objects.get()
    assert vote.voter_id is None and vote.cast_at is None
    assert not Participation.objects.filter(user=other_member).exists()
    assert selectors.poll_results(poll=circle_poll)[1] == 1


def test_single_choice_takes_one_answer_multiple_choice_several(secretariat, member):
    single = make_poll(actor=secretariat)
    with pytest.raises(services.VoteError, match="kun ét"):
        services.vote_cast(user=member, poll=single, option_ids=[o.pk for o in single.options.all()])
    several = make_poll(actor=secretariat, question="Hvilke?", kind=PollKind.MULTIPLE)
    services.vote_cast(
        user=member, poll=several, option_ids=[option(several, "Ja").pk, option(several, "Nej").pk]
    )
    results, votes = selectors.poll_results(poll=several)
    assert votes == 1 and [r.share_label for r in results] == ["100", "100", "0"]


def test_an_option_of_another_poll_is_no_answer(all_poll, circle_poll, member):
    with pytest.raises(services.VoteError):
        services.vote_cast(user=member, poll=all_poll, option_ids=[option(circle_poll, "Ja").pk])
    assert not Vote.objects.exists() and not Participation.objects.exists()


def test_a_proposal_has_the_four_answers(secret_poll):
    assert [o.label for o in secret_poll.options.all()] == ["Enig", "Afventer", "Uenig", "Blokerer"]


def test_anonymous_votes_store_no_link_to_the_member(secret_poll, other_member, circle_lead, north_member):
    voters = [other_member, circle_lead, north_member]
    for voter, label in zip(voters, ["Enig", "Uenig", "Enig"], strict=True):
        services.vote_cast(
            user=voter, poll=secret_poll, option_ids=[option(secret_poll, label).pk], comment="x"
        )
    # Who took part is known ...
    assert set(Participation.objects.filter(poll=secret_poll).values_list("user_id", flat=True)) == {
        u.pk for u in voters
    }
    # ... and what was voted, but in the database no column of a vote or a choice names a member
    # or a moment, and their keys are random (no order to match against the participations).
    expected_columns = {
        Vote._meta.db_table: {"id", "poll_id", "voter_id", "comment", "cast_at", "changed_at"},
        VoteChoice._meta.db_table: {"id", "vote_id", "option_id"},
    }
    with connection.cursor() as cursor:
        for table, columns in expected_columns.items():
            found = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            assert set(found) == columns, "a new column: is it a link to the voter?"
            cursor.execute(f"SELECT {', '.join(found)} FROM {table}")  # noqa: S608 - our own table names
            rows = [dict(zip(found, row, strict=True)) for row in cursor.fetchall()]
            assert len(rows) == 3
            for row in rows:
                assert (
                    row.get("voter_id") is None
                    and row.get("cast_at") is None
                    and row.get("changed_at") is None
                )
                assert len(str(row["id"]).replace("-", "")) == 32  # a UUID, not a sequence
    results, votes = selectors.poll_results(poll=secret_poll)
    assert votes == 3 and {r.option.label: r.count for r in results}["Enig"] == 2
    assert selectors.own_vote(poll=secret_poll, viewer=other_member) is None
    assert selectors.named_votes(poll=secret_poll) == []


def test_an_anonymous_vote_cannot_be_changed(secret_poll, other_member):
    services.vote_cast(user=other_member, poll=secret_poll, option_ids=[option(secret_poll, "Enig").pk])
    with pytest.raises(services.VoteError, match="hemmelig"):
        services.vote_cast(user=other_member, poll=secret_poll, option_ids=[option(secret_poll, "Uenig").pk])
    assert Vote.objects.filter(poll=secret_poll).count() == 1


def test_options_and_secrecy_stay_once_someone_has_voted(all_poll, member, secretariat):
    services.vote_cast(user=member, poll=all_poll, option_ids=[option(all_poll, "Ja").pk])
    with pytest.raises(ValidationError, match="allerede stemt"):
        services.poll_update(actor=secretariat, poll=all_poll, options=["Ja", "Nej"])
    with pytest.raises(ValidationError, match="allerede stemt"):
        services.poll_update(actor=secretariat, poll=all_poll, anonymous=True)
    later = all_poll.closes_at + timedelta(days=3)
    services.poll_update(
        actor=secretariat, poll=all_poll, question="Hvilket område først i 2027?", closes_at=later
    )
    all_poll.refresh_from_db()
    assert all_poll.question.endswith("2027?") and all_poll.closes_at == later
    assert [o.label for o in all_poll.options.all()] == ["Ja", "Nej", "Måske"]


def test_options_can_change_before_anyone_votes(all_poll, secretariat):
    services.poll_update(actor=secretariat, poll=all_poll, options=["Først", "Dernæst"])
    assert [o.label for o in Poll.objects.get(pk=all_poll.pk).options.all()] == ["Først", "Dernæst"]


def test_a_poll_needs_two_different_answers_and_a_closing_time_ahead(secretariat):
    with pytest.raises(ValidationError, match="mindst to"):
        make_poll(actor=secretariat, options=["Ja", " ja "])
    with pytest.raises(ValidationError):
        make_poll(actor=secretariat, question="For sent?", closes_at=timezone.now() - timedelta(minutes=1))
    assert not Poll.objects.exists()


def test_a_lead_cannot_open_a_poll_in_another_circle_or_for_all(circle_lead, hovedstaden):
    with pytest.raises(PermissionDenied):
        make_poll(actor=circle_lead, circle=hovedstaden)
    with pytest.raises(PermissionDenied):
        make_poll(actor=circle_lead)
    assert not Poll.objects.exists()


def test_a_meeting_poll_belongs_to_the_meetings_circle(circle_lead, secretariat, nordjylland, hovedstaden):
    from tests.circles.conftest import make_meeting

    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    poll = make_poll(actor=circle_lead, circle=nordjylland, meeting=meeting)
    assert poll.meeting == meeting
    with pytest.raises(ValidationError, match="anden kreds"):
        make_poll(actor=secretariat, circle=hovedstaden, meeting=meeting, question="Forkert kreds?")


def test_the_same_form_sent_twice_makes_one_poll(secretariat):
    first = make_poll(actor=secretariat, submission_token="abc")
    again = make_poll(actor=secretariat, submission_token="abc")
    assert first.pk == again.pk and Poll.objects.count() == 1
