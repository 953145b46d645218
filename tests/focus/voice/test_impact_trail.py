"""The impact trail: a case shows where KOMDIR has used it (positions, consultation responses,
collections, with dates), as far as the reader may follow; its author hears of each use once."""

from __future__ import annotations

import pytest
from django.test import Client

from focus.voice import services
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db


def test_a_case_shows_where_it_was_used_and_its_author_is_told_once(
    secretariat, member, other_member, area, draft, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case(member, area, title="Hverdagsrehabilitering", public=True)
    hidden_use = make_case(other_member, area, title="Kun for medlemmer", public=False)
    visitor = Client()
    assert "KOMDIR har brugt casen" not in visitor.get(case.get_absolute_url()).content.decode()
    services.citation_add(actor=secretariat, position=draft, case=case)
    services.citation_add(actor=secretariat, position=draft, case=hidden_use)
    assert "KOMDIR har brugt casen" not in visitor.get(case.get_absolute_url()).content.decode()  # a draft
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.position_publish(actor=secretariat, position=draft, version=draft.version)
        public = services.collection_create(actor=secretariat, title="Gode eksempler", audience="public")
        services.collection_add_cases(actor=secretariat, collection=public, cases=[case])
        services.collection_publish(actor=secretariat, collection=public)
        members_only = services.collection_create(actor=secretariat, title="Til KL", audience="members")
        services.collection_add_cases(actor=secretariat, collection=members_only, cases=[case])
    page = visitor.get(case.get_absolute_url()).content.decode()  # the cached page was refreshed
    assert "KOMDIR har brugt casen" in page and draft.get_absolute_url() in page
    assert public.get_absolute_url() in page and members_only.get_absolute_url() not in page  # not published
    told = sorted((m.to[0], m.subject.split("] ")[-1]) for m in mailoutbox)
    assert told == sorted(
        [
            (member.email, "Din case er med i en eksempelsamling fra KOMDIR"),
            (member.email, "KOMDIR har brugt din case"),
            (other_member.email, "KOMDIR har brugt din case"),
        ]
    )
    # A members-only collection is listed to members, never to visitors.
    with django_capture_on_commit_callbacks(execute=True):
        services.collection_publish(actor=secretariat, collection=members_only)
    assert members_only.get_absolute_url() not in visitor.get(case.get_absolute_url()).content.decode()
    reader = Client()
    reader.force_login(other_member)
    assert members_only.get_absolute_url() in reader.get(case.get_absolute_url()).content.decode()
    assert len([m for m in mailoutbox if "eksempelsamling" in m.subject]) == 2  # once per collection
