"""The positions' pages as their users meet them: the secretariat drafts from a question, picks
sources and quotes, opens the draft to the members and approves it; members comment while the
window is open and answer "may KOMDIR quote you?"; bad input comes back with what was typed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from focus import services as focus_services
from focus.voice import services
from focus.voice.models import Citation, Consent, Position, PositionComment
from tests.focus.voice.conftest import QUOTE_MEMBERS

pytestmark = pytest.mark.django_db


def test_the_secretariat_drafts_from_the_question_and_adds_sources(staff, question, sources):
    page = staff.get(question.focus_area.get_absolute_url()).content.decode()
    assert f"/holdninger/ny/?spoergsmaal={question.pk}" in page
    response = staff.post(
        f"/holdninger/ny/?spoergsmaal={question.pk}",
        {"title": "KOMDIR mener noget", "body": "Teksten."},
        follow=True,
    )
    position = Position.objects.get()
    assert response.redirect_chain[-1][0] == f"/holdninger/{position.slug}/kilder/"
    sources_page = response.content.decode()
    assert sources["members_only"].title in sources_page and "Hos os vi flyttede" in sources_page
    response = staff.post(
        f"/holdninger/{position.slug}/kilder/",
        {"case": sources["members_only"].pk, "quote": QUOTE_MEMBERS},
        follow=True,
    )
    assert "bliver spurgt, om KOMDIR må citere" in response.content.decode()
    assert Citation.objects.get().consent == Consent.ASKED


def test_a_quote_not_in_the_source_comes_back_with_what_was_typed(staff, draft, sources):
    response = staff.post(
        f"/holdninger/{draft.slug}/kilder/", {"case": sources["public"].pk, "quote": "Opdigtet <b>citat</b>"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Citatet skal stå ordret i kilden" in page
    assert "Opdigtet &lt;b&gt;citat&lt;/b&gt;" in page and not Citation.objects.exists()


def test_a_member_cannot_write_positions_or_see_the_secretariats_drafts(client, member, draft, question):
    client.force_login(member)
    assert client.get(f"/holdninger/ny/?spoergsmaal={question.pk}").status_code == 403
    for page in ("", "rediger/", "kilder/", "godkend/", "versioner/", "pdf/"):
        assert client.get(f"/holdninger/{draft.slug}/{page}").status_code == 404, page
    assert draft.title not in client.get("/holdninger/").content.decode()
    assert draft.title not in client.get(question.focus_area.get_absolute_url()).content.decode()


def test_members_comment_on_an_opened_draft_until_the_last_day(client, secretariat, member, draft):
    services.position_open(actor=secretariat, position=draft, until=timezone.now() + timedelta(days=2))
    client.force_login(member)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert (
        "Udkast i høring hos medlemmerne" in page
        and draft.title in client.get("/holdninger/").content.decode()
    )
    response = client.post(
        f"/holdninger/{draft.slug}/kommentarer/", {"body": "Husk landkommunerne."}, follow=True
    )
    assert "Din kommentar er gemt." in response.content.decode()
    assert "Husk landkommunerne." in response.content.decode()
    Position.objects.filter(pk=draft.pk).update(comments_until=timezone.now() - timedelta(minutes=1))
    late = client.post(f"/holdninger/{draft.slug}/kommentarer/", {"body": "For sent, men vigtigt."})
    assert late.status_code == 400 and "Fristen for kommentarer er udløbet" in late.content.decode()
    assert "For sent, men vigtigt." in late.content.decode()
    assert PositionComment.objects.count() == 1
    # A visitor is asked to log in and learns nothing.
    assert Client().get(draft.get_absolute_url()).status_code == 302


def test_the_quoted_member_answers_and_no_one_else_sees_the_question(client, cited, member, other_member):
    citation = cited["members_only"]  # other_member's words
    client.force_login(member)
    assert client.get(f"/samtykke/{citation.pk}/").status_code == 404
    client.force_login(other_member)
    page = client.get("/samtykke/").content.decode()
    assert QUOTE_MEMBERS in page and "Mangler dit svar" in page
    assert client.post(f"/samtykke/{citation.pk}/", {}).status_code == 400
    response = client.post(f"/samtykke/{citation.pk}/", {"answer": "anonymous"}, follow=True)
    assert "KOMDIR må citere dig uden dit navn" in response.content.decode()
    assert Citation.objects.get(pk=citation.pk).consent == Consent.ANONYMOUS
    # The form shows the answer given, to change it.
    again = client.get(f"/samtykke/{citation.pk}/").content.decode()
    assert re.search(r'<input[^>]*value="anonymous"[^>]*checked', again)


def test_approval_shows_what_the_public_will_see_and_publishes(staff, draft, cited, sources):
    page = staff.get(f"/holdninger/{draft.slug}/godkend/").content.decode()
    assert "Det, offentligheden ser" in page and "Afventer svar" in page
    response = staff.post(f"/holdninger/{draft.slug}/godkend/", {"version": draft.version}, follow=True)
    assert "Holdningen er godkendt og offentliggjort." in response.content.decode()
    published = Position.objects.get(pk=draft.pk)
    assert published.is_published and published.published_at is not None
    page = Client().get(published.get_absolute_url()).content.decode()
    assert "Eksempler fra kommunerne" in page and sources["public"].title in page


def test_approving_a_text_changed_meanwhile_asks_to_read_it_again(staff, secretariat, draft):
    services.position_update(actor=secretariat, position=draft, version=1, title=draft.title, body="Nyere.")
    response = staff.post(f"/holdninger/{draft.slug}/godkend/", {"version": 1}, follow=True)
    assert "Udkastet er ændret, mens du læste det" in response.content.decode()
    assert not Position.objects.get(pk=draft.pk).is_published


def test_versions_show_what_changed(staff, secretariat, draft):
    services.position_update(
        actor=secretariat, position=draft, version=1, title=draft.title, body="KOMDIR mener noget andet."
    )
    page = staff.get(f"/holdninger/{draft.slug}/versioner/").content.decode()
    assert (
        '<del><span class="sr-only">Fjernet: </span>KOMDIR mener, at **borgerens mål** kommer først.</del>'
        in page
    )
    assert '<ins><span class="sr-only">Tilføjet: </span>KOMDIR mener noget andet.</ins>' in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_the_pages_cost_the_same_with_1_and_50_sources(
    staff, secretariat, member, draft, sources, area, question
):
    from tests.focus.conftest import make_case

    services.citation_add(actor=secretariat, position=draft, case=sources["public"], quote="")
    services.position_publish(actor=secretariat, position=draft, version=draft.version)
    reader = Client()
    reader.force_login(member)
    urls = ["/holdninger/", draft.get_absolute_url()]
    small = {
        (who, url): _queries(client, url)
        for who, client in (("staff", staff), ("member", reader))
        for url in urls
    }
    small[("visitor", draft.get_absolute_url())] = _queries(Client(), draft.get_absolute_url())
    for i in range(49):
        case = make_case(member, area, title=f"Case {i}", public=i % 2 == 0, questions=[question])
        comment = focus_services.comment_add(author=member, body=f"Kommentar nummer {i}", question=question)
        # Replies (their parent is asked) and deleted comments (no member may open them) cost nothing more.
        reply = focus_services.comment_add(author=member, body=f"Svar nummer {i}", parent=comment)
        if i % 2:
            focus_services.comment_delete(comment=reply, actor=member)
        Citation.objects.create(
            position=draft, comment=reply, member=member, quote="", consent=Consent.NOT_NEEDED
        )
        Citation.objects.create(
            position=draft, case=case, member=member, quote="", consent=Consent.NOT_NEEDED
        )
        Citation.objects.create(
            position=draft,
            comment=comment,
            member=member,
            quote=f"Kommentar nummer {i}",
            consent=Consent.NAMED,
        )
    for (who, url), count in small.items():
        client = {"staff": staff, "member": reader, "visitor": Client()}[who]
        assert _queries(client, url) == count <= 12, (who, url)


def test_the_secretariats_pages_and_the_consent_pages_cost_the_same_with_1_and_50_rows(
    staff, secretariat, member, other_member, draft, area, question
):
    from tests.focus.conftest import make_case

    def add(i):
        case = make_case(
            other_member, area, title=f"Fortrolig {i}", body=f"Ord nummer {i} her.", questions=[question]
        )
        services.citation_add(actor=secretariat, position=draft, case=case, quote=f"Ord nummer {i}")
        focus_services.comment_add(author=member, body=f"Kommentar {i}", question=question)
        services.position_update(
            actor=secretariat, position=draft, version=draft.version + i, title=draft.title, body=f"Tekst {i}"
        )

    reader = Client()
    reader.force_login(other_member)
    add(0)
    urls = [
        (staff, f"/holdninger/{draft.slug}/kilder/"),
        (staff, f"/holdninger/{draft.slug}/godkend/"),
        (staff, f"/holdninger/{draft.slug}/versioner/"),
        (reader, "/samtykke/"),
        (reader, f"/samtykke/{Citation.objects.get().pk}/"),
    ]
    small = [_queries(client, url) for client, url in urls]
    for i in range(1, 50):
        add(i)
    assert [_queries(client, url) for client, url in urls] == small
    assert max(small) <= 12
