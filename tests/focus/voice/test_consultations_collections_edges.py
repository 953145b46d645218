"""Edges of consultations and collections: two responses stand side by side, a collection takes
only live cases (and a public one only cases visitors may read), bad input answers in Danish, never
500, Word keeps the text as written, a stale tab is refused with a message, areas added later reach
their followers, and visitors get no link to a members' page."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from docx import Document

from focus import services as focus_services
from focus.voice import services
from focus.voice.exports import plain_paragraphs
from focus.voice.models import Consultation, PositionStatus
from komdir.notifications import services as notification_services
from komdir.notifications.models import FollowKind
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _consultation(secretariat, title="Høring", **kwargs):
    kwargs.setdefault("external_deadline", TODAY() + timedelta(days=20))
    kwargs.setdefault("input_deadline", TODAY() + timedelta(days=10))
    return services.consultation_create(actor=secretariat, title=title, sender="KL", **kwargs)


def test_publishing_one_response_leaves_the_others_published(secretariat):
    first, second = (
        services.consultation_respond(actor=secretariat, consultation=_consultation(secretariat, title=t))
        for t in ("A", "B")
    )
    services.position_publish(actor=secretariat, position=first, version=first.version)
    services.position_publish(actor=secretariat, position=second, version=second.version)
    first.refresh_from_db()
    assert first.status == PositionStatus.PUBLISHED


def test_a_collection_takes_only_live_cases_and_a_public_one_only_what_visitors_may_read(
    secretariat, member, area
):
    hidden = focus_services.content_hide(
        obj=make_case(member, area, title="Skjult"), actor=secretariat, reason="Fejlagtigt indhold."
    )
    draft = make_case(member, area, title="Kladde", publish=False)
    members = services.collection_create(actor=secretariat, title="Til KL", audience="members")
    for case in (hidden, draft):
        with pytest.raises(ValidationError, match="Kun offentliggjorte cases"):
            services.collection_add_cases(actor=secretariat, collection=members, cases=[case])
    public = services.collection_create(actor=secretariat, title="Offentlig", audience="public")
    open_case = make_case(member, area, title="Offentlig case", public=True)
    services.collection_add_cases(actor=secretariat, collection=public, cases=[open_case])
    focus_services.content_hide(obj=open_case, actor=secretariat, reason="Fejlagtigt indhold.")
    with pytest.raises(ValidationError, match="som samlingens læsere kan se"):
        services.collection_publish(actor=secretariat, collection=public)


def test_bad_input_answers_without_a_500(staff, secretariat, member, client, area):
    collection = services.collection_create(actor=secretariat, title="Samling", audience="members")
    assert (
        staff.post(
            f"/eksempelsamlinger/{collection.slug}/cases/", {"case": "abc", "action": "add"}
        ).status_code
        == 404
    )
    response = staff.post(
        f"/eksempelsamlinger/{collection.slug}/cases/",
        {"case": make_case(member, area, title="Ikke i samlingen").pk, "action": "remove"},
        follow=True,
    )
    assert "Casen er ikke med i samlingen." in response.content.decode()
    client.force_login(member)
    for year in ("²", "0", "99999", "abc"):
        assert client.get(f"/hoeringer/?aar={year}").status_code == 200, year


def test_word_keeps_the_text_as_written_and_survives_pasted_control_characters(secretariat, member, area):
    body = "Se https://x.dk/min_rapport_2024.pdf og snake_case.\n\n5 * 3 = 15\x0b og mere.\n\n- et\n- to"
    assert plain_paragraphs(body + "\n\n[rapporten](https://x.dk/r.pdf)") == [
        "Se https://x.dk/min_rapport_2024.pdf og snake_case.",
        "5 * 3 = 15 og mere.",
        "et",
        "to",
        "rapporten (https://x.dk/r.pdf)",
    ]
    case = make_case(member, area, title="Indsat\x0btekst", body=body, public=True)
    collection = services.collection_create(actor=secretariat, title="Word", audience="public")
    services.collection_add_cases(actor=secretariat, collection=collection, cases=[case])
    services.collection_publish(actor=secretariat, collection=collection)
    response = Client().get(f"{collection.get_absolute_url()}docx/")
    assert response.status_code == 200
    text = " ".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "5 * 3 = 15" in text and "min_rapport_2024.pdf" in text


def test_a_stale_tab_is_refused(staff, secretariat, member):
    consultation = _consultation(secretariat)
    stale = Consultation.objects.get(pk=consultation.pk)
    services.consultation_mark_sent(actor=secretariat, consultation=consultation, sent_on=TODAY())
    with pytest.raises(PermissionDenied):
        services.consultation_input_add(author=member, consultation=stale, body="For sent.")
    response = staff.post(f"/hoeringer/{consultation.pk}/svar/", follow=True)
    assert "markeret som sendt" in response.content.decode()


def test_areas_added_later_reach_their_followers(
    secretariat, member, area, mailoutbox, django_capture_on_commit_callbacks
):
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    with django_capture_on_commit_callbacks(execute=True):
        consultation = _consultation(secretariat)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_update(actor=secretariat, consultation=consultation, focus_areas=[area])
    assert [m.to for m in mailoutbox] == [[member.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_update(
            actor=secretariat, consultation=consultation, focus_areas=[area], title="Ny titel"
        )
    assert len(mailoutbox) == 1


def test_a_visitor_reads_a_response_without_a_link_to_the_members_page(secretariat):
    consultation = _consultation(secretariat)
    response = services.consultation_respond(actor=secretariat, consultation=consultation)
    services.position_publish(actor=secretariat, position=response, version=response.version)
    page = Client().get(response.get_absolute_url()).content.decode()
    assert consultation.title in page and consultation.get_absolute_url() not in page
