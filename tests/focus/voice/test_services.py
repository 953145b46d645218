"""Writing positions: drafts keep every text, a quote must stand in its source, a quote the public
cannot read already waits for its member's yes, approval records who and when and retires the
position it replaces, and an account deleted takes every yes with it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from focus.voice import services
from focus.voice.models import Consent, Position, PositionStatus
from komdir.lib.conflicts import EditConflict
from komdir.privacy.services import account_delete
from tests.focus.voice.conftest import QUOTE_MEMBERS

pytestmark = pytest.mark.django_db


def test_only_the_secretariat_drafts_and_each_saved_text_is_kept(secretariat, member, question, draft):
    with pytest.raises(PermissionDenied):
        services.position_create(actor=member, question=question, title="Mit bud", body="Tekst.")
    services.position_update(
        actor=secretariat, position=draft, version=1, title=draft.title, body="Ny tekst."
    )
    draft.refresh_from_db()
    assert draft.version == 2
    assert [(r.version, r.body) for r in draft.revisions.order_by("version")] == [
        (1, "KOMDIR mener, at **borgerens mål** kommer først."),
        (2, "Ny tekst."),
    ]
    # Someone saved in between: the older form is refused, nothing is overwritten.
    with pytest.raises(EditConflict):
        services.position_update(actor=secretariat, position=draft, version=1, title="X", body="Y")
    assert Position.objects.get(pk=draft.pk).body == "Ny tekst."


def test_slugs_are_danish_unique_and_never_a_page_of_their_own(secretariat, question):
    first = services.position_create(actor=secretariat, question=question, title="Nær velfærd", body="A")
    second = services.position_create(actor=secretariat, question=question, title="Nær velfærd", body="B")
    reserved = services.position_create(actor=secretariat, question=question, title="Ny", body="C")
    assert (first.slug, second.slug, reserved.slug) == ("naer-velfaerd", "naer-velfaerd-2", "ny-2")


def test_a_quote_must_stand_word_for_word_in_its_source(secretariat, draft, sources):
    with pytest.raises(ValidationError) as refused:
        services.citation_add(
            actor=secretariat, position=draft, case=sources["public"], quote="Noget helt andet"
        )
    assert "ordret" in str(refused.value)
    # Markdown marks, line breaks and capitals do not count.
    ok = services.citation_add(
        actor=secretariat,
        position=draft,
        case=sources["members_only"],
        quote="HEMMELIG  indsigt\nfra en medlemscase",
    )
    assert ok.quote == "HEMMELIG indsigt fra en medlemscase"


def test_consent_is_asked_only_for_words_the_public_cannot_read(cited, member, other_member):
    assert cited["public"].consent == Consent.NOT_NEEDED
    assert (cited["members_only"].consent, cited["members_only"].member) == (Consent.ASKED, other_member)
    assert (cited["comment"].consent, cited["comment"].member) == (Consent.ASKED, member)
    assert cited["members_only"].asked_at is not None


def test_only_the_quoted_member_answers_and_can_change_the_answer(cited, member, other_member, secretariat):
    citation = cited["members_only"]
    for someone in (member, secretariat):
        with pytest.raises(PermissionDenied):
            services.consent_answer(user=someone, citation=citation, answer=Consent.NAMED)
    services.consent_answer(user=other_member, citation=citation, answer=Consent.ANONYMOUS)
    services.consent_answer(user=other_member, citation=citation, answer=Consent.REFUSED)
    citation.refresh_from_db()
    assert citation.consent == Consent.REFUSED and citation.answered_at is not None
    with pytest.raises(ValidationError):
        services.consent_answer(user=other_member, citation=citation, answer=Consent.ASKED)


def test_approving_publishes_the_text_read_and_retires_the_older_position(secretariat, question, draft):
    services.position_publish(actor=secretariat, position=draft, version=1)
    draft.refresh_from_db()
    assert draft.status == PositionStatus.PUBLISHED
    assert (draft.published_title, draft.published_version, draft.approved_by) == (
        draft.title,
        1,
        secretariat,
    )
    newer = services.position_create(
        actor=secretariat, question=question, title="En bedre holdning", body="B"
    )
    services.position_update(actor=secretariat, position=newer, version=1, title=newer.title, body="B2")
    with pytest.raises(EditConflict):  # the secretary approves the text they read, not a newer one
        services.position_publish(actor=secretariat, position=newer, version=1)
    services.position_publish(actor=secretariat, position=newer, version=2)
    assert Position.objects.get(pk=draft.pk).status == PositionStatus.ARCHIVED
    assert Position.objects.published().get(question=question) == newer
    with pytest.raises(PermissionDenied):  # what was published stays on record
        services.position_update(actor=secretariat, position=newer, version=2, title="X", body="Y")


def test_opening_to_members_tells_them_once_and_needs_a_date_ahead(
    secretariat, draft, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.position_open(actor=secretariat, position=draft, until=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.position_open(actor=secretariat, position=draft, until=timezone.now() + timedelta(days=3))
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.email, other_member.email])
    assert "Høring af medlemmerne" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.position_open(actor=secretariat, position=draft, until=timezone.now() + timedelta(days=5))
    assert len(mailoutbox) == 2


def test_a_draft_opened_to_one_region_reaches_only_its_members(
    secretariat, draft, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    from members.models import Region

    north = Region.objects.get(name__icontains="Nordjylland")  # other_member is in Aalborg
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.position_open(
            actor=secretariat, position=draft, until=timezone.now() + timedelta(days=3), region=north
        )
    assert [m.to for m in mailoutbox] == [[other_member.email]]
    with pytest.raises(PermissionDenied):
        services.position_comment_add(author=member, position=draft, body="Jeg er i Hovedstaden.")
    services.position_comment_add(author=other_member, position=draft, body="Jeg er i Nordjylland.")


def test_the_quoted_member_is_asked_by_mail_with_the_exact_quote(
    secretariat, draft, sources, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        citation = services.citation_add(
            actor=secretariat, position=draft, case=sources["members_only"], quote=QUOTE_MEMBERS
        )
    (mail,) = mailoutbox
    assert mail.to == [other_member.email] and mail.subject.endswith("Må KOMDIR citere dig?")
    assert f"»{QUOTE_MEMBERS}«" in mail.body and citation.get_absolute_url() in mail.body


def test_a_deleted_account_withdraws_every_yes(cited, other_member):
    services.consent_answer(user=other_member, citation=cited["members_only"], answer=Consent.NAMED)
    account_delete(user=other_member, actor=other_member)
    cited["members_only"].refresh_from_db()
    assert cited["members_only"].consent == Consent.REFUSED
