"""The secretariat moderates in admin: open reports in context, hide and restore with a reason."""

import pytest

from focus import services
from focus.models import Case, Comment


@pytest.mark.django_db
def test_open_reports_are_listed_with_the_content_in_context(
    secretariat_client, secretariat, member, other_member, public_case
):
    comment = services.comment_add(author=other_member, body="Upassende bemærkning", case=public_case)
    services.report_create(reporter=member, comment=comment, reason="Tonen er for hård")
    closed = services.report_create(reporter=member, case=public_case, reason="Gammel sag")
    services.report_resolve(report=closed, actor=secretariat)
    html = secretariat_client.get("/admin/focus/report/").content.decode()
    assert "Tonen er for hård" in html and "Upassende bemærkning" in html and public_case.title in html
    assert "Gammel sag" not in html


@pytest.mark.django_db
def test_hiding_reported_content_asks_for_a_reason_then_hides_and_resolves(
    secretariat_client, member, other_member, public_case
):
    comment = services.comment_add(author=other_member, body="Upassende", case=public_case)
    report = services.report_create(reporter=member, comment=comment, reason="Krænkende")
    data = {"action": "hide_content", "_selected_action": [report.pk]}
    response = secretariat_client.post("/admin/focus/report/", data)
    assert response.status_code == 200 and "Begrundelse" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_hidden
    response = secretariat_client.post("/admin/focus/report/", {**data, "reason_given": "1", "reason": ""})
    assert response.status_code == 200  # no reason: asked again, nothing changed
    comment.refresh_from_db()
    assert not comment.is_hidden
    response = secretariat_client.post(
        "/admin/focus/report/", {**data, "reason_given": "1", "reason": "Overtræder god tone"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    report.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Overtræder god tone"
    assert not report.is_open


@pytest.mark.django_db
def test_case_and_comment_admin_hide_and_restore_with_a_reason(secretariat_client, member, public_case):
    comment = services.comment_add(author=member, body="Tekst", case=public_case)
    for url, obj in (("/admin/focus/case/", public_case), ("/admin/focus/comment/", comment)):
        for action, hidden in (("hide", True), ("restore", False)):
            response = secretariat_client.post(
                url, {"action": action, "_selected_action": [obj.pk], "reason_given": "1", "reason": "Fordi"}
            )
            assert response.status_code == 302
            obj.refresh_from_db()
            assert obj.is_hidden is hidden


@pytest.mark.django_db
def test_admin_edit_of_a_case_keeps_the_previous_version(secretariat_client, public_case, area):
    response = secretariat_client.get(f"/admin/focus/case/{public_case.pk}/change/")
    assert response.status_code == 200
    response = secretariat_client.post(
        f"/admin/focus/case/{public_case.pk}/change/",
        {
            "title": "Rettet af sekretariatet",
            "summary": public_case.summary,
            "body": "Ny **tekst**",
            "focus_area": area.pk,
            "questions": [q.pk for q in public_case.questions.all()],
            "tags": "ældre",
            "is_public": "on",
            "loaded_version": public_case.version,
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            "revisions-MIN_NUM_FORMS": "0",
            "revisions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(pk=public_case.pk)
    assert case.title == "Rettet af sekretariatet" and "<strong>tekst</strong>" in case.body_html
    assert case.revisions.get().title == "Offentlig case"


@pytest.mark.django_db
def test_members_cannot_reach_the_moderation_admin(member_client):
    assert member_client.get("/admin/focus/report/").status_code in (302, 404)
    assert not Comment.objects.exists()
