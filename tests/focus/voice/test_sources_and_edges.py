"""Where a position's sources go away or the world moves under a form: a hidden or deleted source
leaves every output at once, a hidden one cannot be cited, a source is cited once, a stale draft is
not deleted after it was published, a retired position keeps its public address, and the e-mails
say only what is true."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from circles.polls import services as poll_services
from circles.polls.models import PollKind
from focus import services as focus_services
from focus.voice import services
from focus.voice.models import Citation, Consent, Position, PositionStatus
from members.models import Region
from tests.focus.voice.conftest import QUOTE_COMMENT, QUOTE_MEMBERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def consented(secretariat, draft, cited, member, other_member):
    services.consent_answer(user=other_member, citation=cited["members_only"], answer=Consent.NAMED)
    services.consent_answer(user=member, citation=cited["comment"], answer=Consent.NAMED)
    return services.position_publish(actor=secretariat, position=draft, version=draft.version)


def _public_page(position) -> str:
    return Client().get(position.get_absolute_url()).content.decode()


@pytest.mark.parametrize("goes", ["case hidden", "comment hidden", "comment deleted"])
def test_a_source_hidden_or_deleted_takes_its_consented_quote_out_at_once(
    goes, consented, sources, secretariat, member
):
    assert QUOTE_MEMBERS in _public_page(consented) and QUOTE_COMMENT in _public_page(consented)
    if goes == "case hidden":
        focus_services.content_hide(
            obj=sources["members_only"], actor=secretariat, reason="Fejlagtigt indhold."
        )
        gone = QUOTE_MEMBERS
    elif goes == "comment hidden":
        focus_services.content_hide(obj=sources["comment"], actor=secretariat, reason="Fejlagtigt indhold.")
        gone = QUOTE_COMMENT
    else:
        focus_services.comment_delete(comment=sources["comment"], actor=member)
        gone = QUOTE_COMMENT
    assert gone not in _public_page(consented)
    pdf = Client().get(f"{consented.get_absolute_url()}pdf/").content
    assert gone.encode() not in pdf
    reader = Client()
    reader.force_login(member)
    members_page = reader.get(consented.get_absolute_url()).content.decode()
    assert gone not in members_page.split("Grundlaget")[0]  # not in the public version members read


def test_a_deleted_comment_is_not_linked_for_members(consented, sources, member, other_member):
    focus_services.comment_delete(comment=sources["comment"], actor=member)
    reader = Client()
    reader.force_login(other_member)
    assert (
        sources["comment"].get_absolute_url() not in reader.get(consented.get_absolute_url()).content.decode()
    )


def test_a_hidden_source_cannot_be_cited_and_a_source_is_cited_once(secretariat, draft, sources):
    focus_services.content_hide(obj=sources["members_only"], actor=secretariat, reason="Fejlagtigt indhold.")
    with pytest.raises(ValidationError, match="skjult eller slettet"):
        services.citation_add(actor=secretariat, position=draft, case=sources["members_only"])
    services.citation_add(actor=secretariat, position=draft, case=sources["public"])
    with pytest.raises(ValidationError, match="allerede valgt"):
        services.citation_add(actor=secretariat, position=draft, case=sources["public"])
    assert Citation.objects.count() == 1


def test_a_draft_read_before_it_was_published_is_not_deleted(secretariat, draft):
    stale = Position.objects.get(pk=draft.pk)
    services.position_publish(actor=secretariat, position=draft, version=draft.version)
    with pytest.raises(PermissionDenied):
        services.position_delete(actor=secretariat, position=stale)
    assert Position.objects.filter(pk=draft.pk).exists()


def test_no_comments_on_a_published_position(client, secretariat, member, draft):
    published = services.position_publish(actor=secretariat, position=draft, version=draft.version)
    client.force_login(member)
    assert client.post(f"/holdninger/{published.slug}/kommentarer/", {"body": "Hej"}).status_code == 403


def test_a_retired_position_keeps_its_public_version_at_its_address(secretariat, draft, question):
    services.position_publish(actor=secretariat, position=draft, version=draft.version)
    newer = services.position_create(actor=secretariat, question=question, title="Nyere holdning", body="Ny.")
    services.position_publish(actor=secretariat, position=newer, version=1)
    assert Position.objects.get(pk=draft.pk).status == PositionStatus.ARCHIVED
    visitor = Client()
    page = visitor.get(draft.get_absolute_url())
    assert page.status_code == 200 and "afløst af en nyere" in page.content.decode()
    assert visitor.get(f"{draft.get_absolute_url()}pdf/").status_code == 200
    assert draft.title not in visitor.get("/holdninger/").content.decode()  # the list shows the one standing


def test_the_consent_question_carries_no_unsubscribe_that_would_not_stop_it(
    secretariat, draft, sources, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.citation_add(
            actor=secretariat, position=draft, case=sources["members_only"], quote=QUOTE_MEMBERS
        )
    (mail,) = mailoutbox
    assert "List-Unsubscribe" not in mail.extra_headers and "/afmeld/" not in mail.body
    assert "sendes, uanset dine indstillinger" in " ".join(mail.body.split())


def test_widening_a_consultation_tells_only_those_newly_asked(
    secretariat, draft, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    north = Region.objects.get(name__icontains="Nordjylland")  # other_member; member is in Hovedstaden
    until = timezone.now() + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.position_open(actor=secretariat, position=draft, until=until, region=north)
    assert [m.to for m in mailoutbox] == [[other_member.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.position_open(actor=secretariat, position=draft, until=until, region=None)
    assert [m.to for m in mailoutbox] == [[other_member.email], [member.email]]


def test_a_draft_all_members_were_polled_on_cannot_be_narrowed_to_a_region(secretariat, draft):
    draft = services.position_open(
        actor=secretariat, position=draft, until=timezone.now() + timedelta(days=4)
    )
    poll_services.poll_create(
        actor=secretariat,
        question="Kan du støtte udkastet?",
        kind=PollKind.PROPOSAL,
        position=draft,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=3),
    )
    with pytest.raises(ValidationError, match="temperaturmåling"):
        services.position_open(
            actor=secretariat,
            position=draft,
            until=timezone.now() + timedelta(days=4),
            region=Region.objects.get(name__icontains="Nordjylland"),
        )
    assert Position.objects.get(pk=draft.pk).audience_region is None
