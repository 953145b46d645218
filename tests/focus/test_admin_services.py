"""The secretariat's admin edits cases through the same service as the portal: the same history
and the same edit-conflict check, so a member's newer edit is never overwritten silently."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from focus import services
from focus.models import Case, CaseRevision
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db

LOADED_VERSION = re.compile(r'name="loaded_version" value="(\d+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def portal_edit(case, **changes) -> dict:
    return {
        "title": case.title,
        "summary": case.summary,
        "body": case.body,
        "focus_area": case.focus_area_id,
        "questions": [q.pk for q in case.questions.all()],
        "tags": ", ".join(sorted(case.tags.names())),
        "is_public": "on" if case.is_public else "",
        "action": "save",
        **changes,
    }


def admin_edit(case, **changes) -> dict:
    return {
        "title": case.title,
        "summary": case.summary,
        "body": case.body,
        "focus_area": case.focus_area_id,
        "questions": [q.pk for q in case.questions.all()],
        "tags": ", ".join(sorted(case.tags.names())),
        "is_public": "on" if case.is_public else "",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
        **changes,
    }


def member_saves(case, member, body: str) -> Case:
    return services.case_update(
        case=case,
        editor=member,
        focus_area=case.focus_area,
        title=case.title,
        summary=case.summary,
        body=body,
        questions=list(case.questions.all()),
        tags=list(case.tags.names()),
        is_public=case.is_public,
    )


def browser_of(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_a_secretary_saving_in_between_stops_the_members_portal_save(member, secretariat_client, public_case):
    member_client = browser_of(member)
    page = member_client.get(f"/cases/{public_case.pk}/rediger/").content.decode()
    version = VERSION.findall(page)[0]
    url = f"/admin/focus/case/{public_case.pk}/change/"
    loaded = LOADED_VERSION.findall(secretariat_client.get(url).content.decode())[0]
    response = secretariat_client.post(
        url, admin_edit(public_case, body="Sekretariatets", loaded_version=loaded)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = member_client.post(
        f"/cases/{public_case.pk}/rediger/",
        portal_edit(public_case, body="Medlemmets tekst", version=version),
    )
    assert response.status_code == 409
    assert "Medlemmets tekst" in response.content.decode()
    assert Case.objects.get(pk=public_case.pk).body == "Sekretariatets"


def test_a_member_saving_in_between_stops_the_secretarys_admin_save_and_keeps_her_text(
    secretariat_client, secretariat, member, public_case
):
    url = f"/admin/focus/case/{public_case.pk}/change/"
    loaded = LOADED_VERSION.findall(secretariat_client.get(url).content.decode())[0]
    assert loaded == str(public_case.version)
    # The member saves in the portal while the secretary's admin page is open.
    member_saves(public_case, member, "Medlemmets nyere tekst")
    response = secretariat_client.post(
        url, admin_edit(public_case, body="Sekretariatets rettelse", loaded_version=loaded)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nogen har gemt en nyere udgave" in html
    assert "Sekretariatets rettelse" in html
    case = Case.objects.get(pk=public_case.pk)
    assert case.body == "Medlemmets nyere tekst" and case.version == 2
    # Saving again on purpose replaces the member's version, which is kept as a revision.
    newer = LOADED_VERSION.findall(html)[0]
    assert newer == "2"
    response = secretariat_client.post(
        url, admin_edit(public_case, body="Sekretariatets rettelse", loaded_version=newer)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(pk=public_case.pk)
    assert case.body == "Sekretariatets rettelse" and case.version == 3
    assert case.body_html == "<p>Sekretariatets rettelse</p>\n"
    revisions = CaseRevision.objects.filter(case=case).order_by("version")
    assert [(r.version, r.body) for r in revisions] == [
        (1, public_case.body),
        (2, "Medlemmets nyere tekst"),
    ]
    assert revisions.last().edited_by == secretariat


def test_an_admin_save_without_the_loaded_version_is_refused(secretariat_client, public_case):
    url = f"/admin/focus/case/{public_case.pk}/change/"
    response = secretariat_client.post(url, admin_edit(public_case, body="Uden version"))
    assert response.status_code == 200
    assert Case.objects.get(pk=public_case.pk).body == public_case.body


def test_an_admin_title_change_gives_the_case_the_same_address_as_a_portal_edit(
    secretariat_client, member, area
):
    member_client = browser_of(member)
    by_portal = make_case(member, area, title="Første titel")
    by_admin = make_case(member, area, title="Første titel")
    response = member_client.post(
        f"/cases/{by_portal.pk}/rediger/",
        portal_edit(by_portal, title="Ældre borgere i Ærø", version=by_portal.version),
    )
    assert response.status_code == 302
    url = f"/admin/focus/case/{by_admin.pk}/change/"
    loaded = LOADED_VERSION.findall(secretariat_client.get(url).content.decode())[0]
    response = secretariat_client.post(
        url, admin_edit(by_admin, title="Ældre borgere i Ærø", loaded_version=loaded)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    by_portal.refresh_from_db()
    by_admin.refresh_from_db()
    assert by_admin.slug == by_portal.slug == "aeldre-borgere-i-aeroe"
    assert by_admin.version == by_portal.version == 2


def test_a_rule_only_the_service_knows_comes_back_on_the_admin_form(secretariat_client, public_case):
    from focus.models import GuidingQuestion

    elsewhere = GuidingQuestion.objects.exclude(focus_area=public_case.focus_area).first()
    url = f"/admin/focus/case/{public_case.pk}/change/"
    loaded = LOADED_VERSION.findall(secretariat_client.get(url).content.decode())[0]
    data = admin_edit(public_case, body="Ny tekst", loaded_version=loaded, questions=[elsewhere.pk])
    response = secretariat_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "De valgte spørgsmål skal høre til det valgte fokusområde." in html and "Ny tekst" in html
    case = Case.objects.get(pk=public_case.pk)
    assert case.body == public_case.body and not CaseRevision.objects.filter(case=case).exists()
