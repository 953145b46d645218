"""Each write happens whole or not at all: a second step that fails takes the first with it, and
the member or the secretary gets a Danish message instead of a 500."""

from __future__ import annotations

import pytest

from focus import services
from focus.models import Case, CaseRevision
from tests.db_faults import database_refuses
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db


def portal_edit(case, **changes) -> dict:
    return {
        "title": case.title,
        "summary": case.summary,
        "body": case.body,
        "focus_area": case.focus_area_id,
        "questions": [q.pk for q in case.questions.all()],
        "tags": ", ".join(sorted(case.tags.names())),
        "is_public": "on" if case.is_public else "",
        "version": case.version,
        **changes,
    }


def test_save_and_publish_leaves_nothing_behind_when_the_publish_fails(member_client, draft_case):
    url = f"/cases/{draft_case.pk}/rediger/"
    with database_refuses(table="focus_case", when="ROW.status = 'published'"):
        response = member_client.post(url, portal_edit(draft_case, body="Min nye tekst", action="publish"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Intet er gemt" in html and "Min nye tekst" in html
    case = Case.objects.get(pk=draft_case.pk)
    assert case.is_draft and case.body == draft_case.body and case.version == draft_case.version
    assert not CaseRevision.objects.filter(case=case).exists()


def test_save_and_publish_saves_and_publishes_together(member_client, draft_case):
    url = f"/cases/{draft_case.pk}/rediger/"
    response = member_client.post(url, portal_edit(draft_case, body="Min nye tekst", action="publish"))
    assert response.status_code == 302
    case = Case.objects.get(pk=draft_case.pk)
    assert not case.is_draft and case.body == "Min nye tekst" and case.version == 2
    assert CaseRevision.objects.filter(case=case).count() == 1


def test_hiding_reported_content_hides_nothing_when_closing_the_report_fails(
    secretariat_client, member, other_member, public_case
):
    comment = services.comment_add(author=other_member, body="Upassende", case=public_case)
    report = services.report_create(reporter=member, comment=comment, reason="Krænkende")
    data = {"action": "hide_content", "_selected_action": [report.pk], "reason_given": "1", "reason": "Grov"}
    with database_refuses(table="focus_report"):
        response = secretariat_client.post("/admin/focus/report/", data, follow=True)
    assert response.status_code == 200
    assert "Intet er ændret" in response.content.decode()
    comment.refresh_from_db()
    report.refresh_from_db()
    assert not comment.is_hidden and report.is_open


def test_hiding_several_cases_hides_none_when_one_of_them_fails(secretariat_client, member, area):
    first = make_case(member, area, title="Første")
    second = make_case(member, area, title="Anden")
    # The one the action reaches last is refused, so a half-applied batch would show.
    last = list(Case.objects.filter(pk__in=[first.pk, second.pk]).order_by("-published_at", "-pk"))[-1]
    data = {
        "action": "hide",
        "_selected_action": [first.pk, second.pk],
        "reason_given": "1",
        "reason": "Personoplysninger",
    }
    with database_refuses(table="focus_case", when=f"ROW.id = {last.pk} AND ROW.hidden_at IS NOT NULL"):
        response = secretariat_client.post("/admin/focus/case/", data, follow=True)
    assert response.status_code == 200
    assert "Intet er ændret" in response.content.decode()
    assert not Case.objects.filter(pk__in=[first.pk, second.pk], hidden_at__isnull=False).exists()


def test_resolving_several_reports_resolves_none_when_one_of_them_fails(
    secretariat_client, member, other_member, public_case
):
    reports = [
        services.report_create(reporter=who, case=public_case, reason="Forkert")
        for who in (member, other_member)
    ]
    data = {
        "action": "resolve",
        "_selected_action": [r.pk for r in reports],
        "reason_given": "1",
        "reason": "Intet at gøre",
    }
    last = list(
        type(reports[0]).objects.filter(pk__in=[r.pk for r in reports]).order_by("-created_at", "-pk")
    )[-1]
    with database_refuses(table="focus_report", when=f"ROW.id = {last.pk}"):
        response = secretariat_client.post("/admin/focus/report/", data, follow=True)
    assert "Intet er ændret" in response.content.decode()
    assert all(type(r).objects.get(pk=r.pk).is_open for r in reports)
