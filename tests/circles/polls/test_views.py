"""The poll pages as members use them: every role on every GET and POST, voting and changing a
vote through the form, the stale form, the race, the export, and query budgets at 1 and 50."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles.polls import services
from circles.polls.models import Participation, Poll, Vote
from tests.circles.polls.conftest import close_by_time, make_poll, option
from tests.db_faults import competitor_writes_first
from tests.factories import make_member

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def _urls(poll) -> dict[str, str]:
    base = f"/afstemninger/{poll.pk}/"
    return {
        "detail": base,
        "edit": base + "rediger/",
        "close": base + "luk/",
        "export": base + "resultat.csv",
    }


def test_a_circle_poll_is_404_everywhere_for_another_circle(client, member, circle_poll):
    client.force_login(member)  # Kreds Hovedstaden
    for name, url in _urls(circle_poll).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"choice": option(circle_poll, "Ja").pk}).status_code == 404, name
    assert not Vote.objects.exists()
    page = client.get("/afstemninger/").content.decode()
    assert circle_poll.question not in page
    assert circle_poll.question not in client.get("/overblik/").content.decode()


def test_a_visitor_is_sent_to_log_in(client, all_poll):
    for url in ["/afstemninger/", *_urls(all_poll).values()]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize(
    "who, edit, close, export",
    [("other_member", 403, 403, 403), ("circle_lead", 200, 200, 403), ("secretariat", 200, 200, 200)],
)
def test_who_runs_a_circle_poll(client, request, circle_poll, who, edit, close, export):
    client.force_login(request.getfixturevalue(who))
    urls = _urls(circle_poll)
    assert client.get(urls["edit"]).status_code == edit
    assert client.get(urls["close"]).status_code == close
    assert client.get(urls["export"]).status_code == export
    if close == 403:
        assert client.post(urls["close"]).status_code == 403
        assert Poll.objects.get(pk=circle_poll.pk).is_open


def test_a_member_votes_sees_the_result_and_changes_the_vote(client, other_member, north_member, circle_poll):
    client.force_login(other_member)
    page = client.get(f"/afstemninger/{circle_poll.pk}/").content.decode()
    assert "Du kan se resultatet, når du har stemt." in page and 'type="radio"' in page
    response = client.post(
        f"/afstemninger/{circle_poll.pk}/",
        {"choice": option(circle_poll, "Ja").pk, "comment": "Gerne"},
        follow=True,
    )
    page = response.content.decode()
    assert "Tak. Din stemme er gemt." in page
    assert f'value="{option(circle_poll, "Ja").pk}" id="id_choice_0" required checked' in page
    assert "Hvem stemte hvad" in page and "Gerne" in page
    response = client.post(
        f"/afstemninger/{circle_poll.pk}/",
        {"choice": option(circle_poll, "Nej").pk, "comment": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "Din stemme er ændret." in page
    assert f'value="{option(circle_poll, "Nej").pk}" id="id_choice_1" required checked' in page
    assert [o.label for o in Vote.objects.get(voter=other_member).options.all()] == ["Nej"]


def test_a_vote_without_an_answer_comes_back_with_the_comment(client, other_member, circle_poll):
    client.force_login(other_member)
    response = client.post(f"/afstemninger/{circle_poll.pk}/", {"comment": "Min begrundelse <b>her</b>"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Vælg et svar." in page and "Min begrundelse &lt;b&gt;her&lt;/b&gt;" in page
    assert not Vote.objects.exists()


def test_a_vote_on_a_poll_that_closed_meanwhile_says_so(client, other_member, circle_poll):
    client.force_login(other_member)
    client.get(f"/afstemninger/{circle_poll.pk}/")
    close_by_time(circle_poll)
    response = client.post(
        f"/afstemninger/{circle_poll.pk}/", {"choice": option(circle_poll, "Ja").pk}, follow=True
    )
    assert response.status_code == 200
    assert "Afstemningen er lukket, så din stemme kom ikke med." in response.content.decode()
    assert not Vote.objects.exists()


def test_editing_a_poll_that_closed_meanwhile_says_so(client, circle_lead, circle_poll):
    client.force_login(circle_lead)
    assert client.get(f"/afstemninger/{circle_poll.pk}/rediger/").status_code == 200
    close_by_time(circle_poll)
    for response in (
        client.get(f"/afstemninger/{circle_poll.pk}/rediger/", follow=True),
        client.post(f"/afstemninger/{circle_poll.pk}/rediger/", {"question": "Nyt?"}, follow=True),
    ):
        assert response.redirect_chain[-1][0] == f"/afstemninger/{circle_poll.pk}/"
        assert "Afstemningen er lukket og kan ikke længere ændres." in response.content.decode()
    assert Poll.objects.get(pk=circle_poll.pk).question != "Nyt?"


def test_two_tabs_voting_at_once_in_a_secret_poll_end_in_a_message(client, other_member, secret_poll):
    client.force_login(other_member)

    def the_other_tab():
        services.vote_cast(user=other_member, poll=secret_poll, option_ids=[option(secret_poll, "Uenig").pk])

    with competitor_writes_first(table="polls_poll", write=the_other_tab) as race:
        response = client.post(f"/afstemninger/{secret_poll.pk}/", {"choice": option(secret_poll, "Enig").pk})
    assert race["fired"]
    assert response.status_code in (302, 400)
    follow = client.get(f"/afstemninger/{secret_poll.pk}/").content.decode()
    assert "Du har allerede stemt." in follow + response.content.decode()
    # Nothing half-saved: a vote for every participation and no more. (The other tab's rows are
    # written inside this request's transaction here, so the refusal takes them along; between
    # two real connections the poll's row lock makes the second request see the first vote.)
    votes = Vote.objects.filter(poll=secret_poll).count()
    assert votes == Participation.objects.filter(poll=secret_poll).count() <= 1


def test_a_secret_poll_shows_counts_and_nameless_comments_only(
    client, secret_poll, other_member, circle_lead
):
    services.vote_cast(
        user=circle_lead, poll=secret_poll, option_ids=[option(secret_poll, "Enig").pk], comment="Zebra"
    )
    services.vote_cast(
        user=other_member, poll=secret_poll, option_ids=[option(secret_poll, "Uenig").pk], comment="Abe"
    )
    client.force_login(other_member)
    page = client.get(f"/afstemninger/{secret_poll.pk}/").content.decode()
    assert "Hvem stemte hvad" not in page
    assert other_member.get_full_name() not in page.split('id="results-title"')[1]
    assert page.index("Abe") < page.index("Zebra")  # alphabetical, not in the order they came
    assert "Du har stemt. Afstemningen er hemmelig" in page


def test_the_lead_opens_a_poll_through_the_form_and_the_circle_is_told(
    client, circle_lead, other_member, member, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/afstemninger/ny/?kreds=nordjylland",
            {
                "question": "Skal vi holde møde i januar?",
                "kind": "single",
                "options": "Ja\nNej\n",
                "results_shown": "after_vote",
                "opens_at": "2026-01-01T09:00",
                "closes_at": "2099-01-08T09:00",
            },
        )
    poll = Poll.objects.get(question="Skal vi holde møde i januar?")
    assert response.status_code == 302 and response["Location"] == f"/afstemninger/{poll.pk}/"
    assert poll.circle.slug == "nordjylland" and poll.created_by == circle_lead
    told = {m.to[0] for m in mailoutbox}
    assert other_member.email in told
    assert member.email not in told and secretariat.email not in told and circle_lead.email not in told
    mail = next(m for m in mailoutbox if m.to[0] == other_member.email)
    assert "Skal vi holde møde i januar?" in mail.subject and f"/afstemninger/{poll.pk}/" in mail.body


def test_a_poll_form_with_errors_keeps_what_was_typed(client, secretariat_client):
    response = secretariat_client.post(
        "/afstemninger/ny/",
        {
            "question": "Et spørgsmål, vi ikke må miste",
            "kind": "single",
            "options": "Kun én",
            "results_shown": "after_vote",
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2025-01-01T09:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Et spørgsmål, vi ikke må miste" in page and "Kun én" in page
    assert "Skriv mindst to svarmuligheder" in page and "Afstemningen skal lukke efter, den åbner." in page
    assert not Poll.objects.exists()


def test_a_member_cannot_open_a_poll(client, member):
    client.force_login(member)
    assert client.get("/afstemninger/ny/").status_code == 403
    assert client.post("/afstemninger/ny/", {"question": "Hm?"}).status_code == 403
    assert client.get("/afstemninger/ny/?kreds=nordjylland").status_code == 403
    assert not Poll.objects.exists()


def test_closing_asks_first_then_closes(client, circle_lead, circle_poll):
    client.force_login(circle_lead)
    page = client.get(f"/afstemninger/{circle_poll.pk}/luk/").content.decode()
    assert "Vil du lukke afstemningen nu?" in page
    assert Poll.objects.get(pk=circle_poll.pk).is_open
    response = client.post(f"/afstemninger/{circle_poll.pk}/luk/", follow=True)
    assert "Afstemningen er lukket." in response.content.decode()
    assert Poll.objects.get(pk=circle_poll.pk).is_closed


def test_the_export_lists_who_voted_what_and_defuses_formulas(secretariat_client, all_poll, member):
    services.vote_cast(
        user=member, poll=all_poll, option_ids=[option(all_poll, "Ja").pk], comment="=HYPERLINK()"
    )
    response = secretariat_client.get(f"/afstemninger/{all_poll.pk}/resultat.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Ja", "1", "100"] in rows
    voter_row = next(r for r in rows if r and r[0] == member.get_full_name())
    assert voter_row[1] == "København" and voter_row[2] == "Ja" and voter_row[3] == "'=HYPERLINK()"


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_poll_list_costs_the_same_with_1_and_50_polls(
    client, other_member, circle_lead, secretariat, nordjylland
):
    client.force_login(other_member)
    make_poll(actor=secretariat)
    small = _count(client, "/afstemninger/")
    for i in range(49):
        poll = make_poll(
            actor=circle_lead if i % 2 else secretariat,
            circle=nordjylland if i % 2 else None,
            question=f"Q{i}?",
        )
        if i % 3 == 0:
            services.vote_cast(user=other_member, poll=poll, option_ids=[poll.options.first().pk])
        if i % 5 == 0:
            close_by_time(poll)
    large = _count(client, "/afstemninger/")
    assert small == large <= MAX_QUERIES


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_poll_page_costs_the_same_with_1_and_50_votes(client, secretariat, anonymous):
    poll = make_poll(actor=secretariat, anonymous=anonymous)
    voters = [make_member(municipality_name="Aarhus", email=f"v{i}@kommune.test") for i in range(50)]
    services.vote_cast(user=voters[0], poll=poll, option_ids=[option(poll, "Ja").pk], comment="a")
    client.force_login(voters[0])
    small = _count(client, f"/afstemninger/{poll.pk}/")
    for i, voter in enumerate(voters[1:]):
        services.vote_cast(user=voter, poll=poll, option_ids=[poll.options.all()[i % 3].pk], comment=f"c{i}")
    large = _count(client, f"/afstemninger/{poll.pk}/")
    assert small == large <= MAX_QUERIES


def test_after_a_vote_the_lead_can_still_reword_the_question_but_not_the_options(
    client, circle_lead, other_member, circle_poll
):
    services.vote_cast(user=other_member, poll=circle_poll, option_ids=[option(circle_poll, "Ja").pk])
    client.force_login(circle_lead)
    page = client.get(f"/afstemninger/{circle_poll.pk}/rediger/").content.decode()
    assert "Kan ikke ændres, når der er stemt." in page
    response = client.post(
        f"/afstemninger/{circle_poll.pk}/rediger/",
        {
            "question": "Skal kredsen mødes i Aalborg i foråret?",
            "options": "Noget helt andet\nOg mere",
            "kind": "multiple",
            "results_shown": "after_vote",
            "closes_at": "2099-01-01T10:00",
        },
    )
    assert response.status_code == 302, response.content.decode()
    poll = Poll.objects.get(pk=circle_poll.pk)
    assert poll.question == "Skal kredsen mødes i Aalborg i foråret?" and poll.kind == "single"
    assert [o.label for o in poll.options.all()] == ["Ja", "Nej", "Måske"]
