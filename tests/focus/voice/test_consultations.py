"""Consultations (høringer): the secretariat registers one, members who follow its areas are
told, members give input until the internal deadline, the secretariat writes KOMDIR's response
as a position (same sources, same consent rule), publishes it and marks it sent. Open ones stand
in the digest and in the member's calendar feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles import services as circle_services
from focus.voice import services
from focus.voice.models import Consent, Consultation, ConsultationInput, Position
from komdir.notifications import services as notification_services
from komdir.notifications.models import FollowKind

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _form(area, **extra) -> dict:
    return {
        "title": "Udkast til lov om frisættelse",
        "sender": "Social- og Boligministeriet",
        "hearing_url": "https://hoeringsportalen.dk/Hearing/Details/1",
        "external_deadline": (TODAY() + timedelta(days=20)).isoformat(),
        "input_deadline": (TODAY() + timedelta(days=10)).isoformat(),
        "body": "Hvad **skal** væk?",
        "focus_areas": [area.pk],
    } | extra


@pytest.fixture
def consultation(secretariat, area):
    return services.consultation_create(
        actor=secretariat,
        title="Udkast til lov om frisættelse",
        sender="Social- og Boligministeriet",
        external_deadline=TODAY() + timedelta(days=20),
        input_deadline=TODAY() + timedelta(days=10),
        focus_areas=[area],
    )


def test_the_secretariat_registers_one_and_those_who_follow_its_area_are_told(
    staff, area, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    bad = staff.post("/hoeringer/ny/", _form(area, input_deadline=(TODAY() + timedelta(days=30)).isoformat()))
    page = bad.content.decode()
    assert bad.status_code == 400 and "Medlemmernes frist skal ligge før eller på høringsfristen." in page
    assert 'value="Social- og Boligministeriet"' in page and not Consultation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/hoeringer/ny/", _form(area), follow=True)
    consultation = Consultation.objects.get()
    assert response.redirect_chain[-1][0] == consultation.get_absolute_url()
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "Ny høring" in mailoutbox[0].subject and consultation.get_absolute_url() in mailoutbox[0].body


def test_members_give_input_until_the_deadline_and_visitors_are_asked_to_log_in(client, member, consultation):
    assert Client().get(consultation.get_absolute_url()).status_code == 302
    assert Client().get("/hoeringer/").status_code == 302
    client.force_login(member)
    response = client.post(
        consultation.get_absolute_url(), {"body": "Dokumentationskravene skal væk."}, follow=True
    )
    assert "Tak for dit input." in response.content.decode()
    assert "Dokumentationskravene skal væk." in response.content.decode()
    Consultation.objects.filter(pk=consultation.pk).update(input_deadline=TODAY() - timedelta(days=1))
    late = client.post(consultation.get_absolute_url(), {"body": "For sent, men vigtigt."})
    assert late.status_code == 400 and "Fristen for input er udløbet" in late.content.decode()
    assert "For sent, men vigtigt." in late.content.decode()
    assert ConsultationInput.objects.count() == 1


def test_the_list_groups_by_status_and_filters_by_year(client, member, secretariat, consultation, area):
    old = services.consultation_create(
        actor=secretariat,
        title="Gammel høring",
        sender="KL",
        external_deadline=TODAY() - timedelta(days=400),
        input_deadline=TODAY() - timedelta(days=410),
    )
    services.consultation_mark_sent(
        actor=secretariat, consultation=old, sent_on=TODAY() - timedelta(days=401)
    )
    client.force_login(member)
    page = client.get("/hoeringer/").content.decode()
    open_part, sent_part = page.split('id="open-title"')[1].split('id="sent-title"')
    assert consultation.title in open_part and old.title in sent_part
    year = old.external_deadline.year
    filtered = client.get(f"/hoeringer/?aar={year}").content.decode()
    assert old.title in filtered and (
        consultation.title not in filtered or consultation.external_deadline.year == year
    )


def test_the_response_is_a_draft_for_the_secretariat_then_a_public_position_with_consented_quotes(
    staff, secretariat, member, other_member, consultation
):
    given = services.consultation_input_add(
        author=other_member, consultation=consultation, body="Hos os fylder dokumentationen en time om dagen."
    )
    staff.post(f"/hoeringer/{consultation.pk}/svar/")
    response = Position.objects.get(consultation=consultation)
    reader = Client()
    reader.force_login(member)
    assert response.get_absolute_url() not in reader.get(consultation.get_absolute_url()).content.decode()
    assert reader.get(response.get_absolute_url()).status_code == 404
    page = staff.get(f"/holdninger/{response.slug}/kilder/").content.decode()
    assert "Medlemmernes input til høringen" in page and "fylder dokumentationen" in page
    staff.post(
        f"/holdninger/{response.slug}/kilder/", {"input": given.pk, "quote": "fylder dokumentationen en time"}
    )
    citation = response.citations.get()
    assert citation.consent == Consent.ASKED and citation.member == other_member
    services.position_publish(actor=secretariat, position=response, version=response.version)
    visitor_page = Client().get(response.get_absolute_url()).content.decode()
    assert "Høringssvar" in visitor_page and "fylder dokumentationen" not in visitor_page
    services.consent_answer(user=other_member, citation=citation, answer=Consent.ANONYMOUS)
    assert "fylder dokumentationen en time" in Client().get(response.get_absolute_url()).content.decode()
    assert response.get_absolute_url() in reader.get(consultation.get_absolute_url()).content.decode()
    staff.post(f"/hoeringer/{consultation.pk}/sendt/", {"sent_on": TODAY().isoformat()})
    assert Consultation.objects.get(pk=consultation.pk).status == "sent"
    assert response.slug not in Client().get("/holdninger/feed/").content.decode()  # the feed is positions


def test_an_open_consultation_is_in_the_calendar_feed_and_the_digest(member, consultation, mailoutbox):
    token = circle_services.calendar_token_get_or_create(user=member)
    feed = Client().get(f"/kalender/{token.token}.ics").content.decode()
    assert f"UID:consultation-{consultation.pk}@komdir-portalen" in feed
    assert f"DTSTART;VALUE=DATE:{consultation.input_deadline:%Y%m%d}" in feed
    call_command("send_weekly_digest")
    digest = next(m for m in mailoutbox if m.to == [member.email])
    assert "Høringer, der venter på dit input" in digest.body and consultation.title in digest.body


def test_the_pages_cost_the_same_with_1_and_50_inputs(client, member, secretariat, consultation, area):
    services.consultation_input_add(author=member, consultation=consultation, body="Første input.")
    client.force_login(member)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/hoeringer/", consultation.get_absolute_url()]
    small = {url: count(url) for url in urls}
    for i in range(49):
        services.consultation_input_add(author=member, consultation=consultation, body=f"Input {i}.")
        services.consultation_create(
            actor=secretariat,
            title=f"Høring {i}",
            sender="KL",
            external_deadline=TODAY() + timedelta(days=20),
            input_deadline=TODAY() + timedelta(days=10),
            focus_areas=[area],
        )
    for url in urls:
        assert count(url) == small[url] <= 12, url
