"""The secretariat's strategy screens write through focus.services, as the portal's writes do:
inline rows and deletions included, and what members wrote stays protected."""

from __future__ import annotations

import pytest

from focus import services
from focus.models import FocusArea, GuidingQuestion, SitePage, StrategyPeriod

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def area_form(client, area: FocusArea, *, question_rows: dict[int, dict], new: list[str] = ()) -> dict:
    """The area's admin page as posted: its fields, each existing question (with changes), new ones."""
    response = client.get(f"/admin/focus/focusarea/{area.pk}/change/")
    assert response.status_code == 200
    prefix = next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is GuidingQuestion
    )
    questions = list(area.questions.order_by("order", "pk"))
    data = {
        "period": area.period_id,
        "number": area.number,
        "title": area.title,
        "slug": area.slug,
        "lead": area.lead,
        "body": area.body,
        **management(prefix, len(questions) + len(new), len(questions)),
    }
    for i, question in enumerate(questions):
        data |= {
            f"{prefix}-{i}-id": question.pk,
            f"{prefix}-{i}-focus_area": area.pk,
            f"{prefix}-{i}-order": question.order,
            f"{prefix}-{i}-text": question.text,
        }
        data |= {f"{prefix}-{i}-{name}": value for name, value in question_rows.get(question.pk, {}).items()}
    for j, text in enumerate(new, start=len(questions)):
        data |= {f"{prefix}-{j}-focus_area": area.pk, f"{prefix}-{j}-order": 9, f"{prefix}-{j}-text": text}
    return data


def test_a_question_added_and_changed_in_the_areas_admin_is_on_the_area_page(
    secretariat_client, client, area
):
    first = area.questions.order_by("order", "pk").first()
    data = area_form(
        secretariat_client, area, question_rows={first.pk: {"text": "Et skarpere spørgsmål?"}}, new=["Nyt?"]
    )
    response = secretariat_client.post(f"/admin/focus/focusarea/{area.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert GuidingQuestion.objects.get(pk=first.pk).text == "Et skarpere spørgsmål?"
    assert area.questions.filter(text="Nyt?").exists()
    page = client.get(area.get_absolute_url()).content.decode()
    assert "Et skarpere spørgsmål?" in page and "Nyt?" in page


def test_a_question_members_discussed_is_not_deleted_by_the_areas_admin_and_another_is(
    secretariat_client, member, area
):
    discussed, quiet = area.questions.order_by("order", "pk")[:2]
    services.comment_add(author=member, body="Godt spørgsmål.", question=discussed)
    url = f"/admin/focus/focusarea/{area.pk}/change/"
    data = area_form(secretariat_client, area, question_rows={discussed.pk: {"DELETE": "on"}})
    response = secretariat_client.post(url, data)
    assert response.status_code == 200
    assert GuidingQuestion.objects.filter(pk=discussed.pk).exists()

    data = area_form(secretariat_client, area, question_rows={quiet.pk: {"DELETE": "on"}})
    assert secretariat_client.post(url, data).status_code == 302
    assert not GuidingQuestion.objects.filter(pk=quiet.pk).exists()


def test_the_admin_deletes_questions_pages_and_unused_areas_through_the_services(secretariat_client, area):
    question = GuidingQuestion.objects.create(focus_area=area, text="Slet mig?", order=99)
    response = secretariat_client.post(f"/admin/focus/guidingquestion/{question.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not GuidingQuestion.objects.filter(pk=question.pk).exists()

    page = services.page_save(page=SitePage(slug="midlertidig", title="Midlertidig", body="Tekst"))
    response = secretariat_client.post(
        "/admin/focus/sitepage/",
        {"action": "delete_selected", "_selected_action": [page.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not SitePage.objects.filter(pk=page.pk).exists()

    period = services.period_save(
        period=StrategyPeriod(title="Næste", slug="naeste", start_year=2026, end_year=2028)
    )
    unused = services.area_save(
        area=FocusArea(period=period, number=1, title="Nyt", slug="nyt", lead="Lead", body="Tekst")
    )
    response = secretariat_client.get(f"/admin/focus/strategyperiod/{period.pk}/change/")
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = {
        "title": period.title,
        "slug": period.slug,
        "start_year": period.start_year,
        "end_year": period.end_year,
        "status": period.status,
        "intro": "Ny indledning med **fed**.",
        **management(prefix, 1, 1),
        f"{prefix}-0-id": unused.pk,
        f"{prefix}-0-period": period.pk,
        f"{prefix}-0-number": 1,
        f"{prefix}-0-title": unused.title,
        f"{prefix}-0-slug": unused.slug,
        f"{prefix}-0-lead": unused.lead,
        f"{prefix}-0-body": unused.body,
        f"{prefix}-0-DELETE": "on",
    }
    response = secretariat_client.post(f"/admin/focus/strategyperiod/{period.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert not FocusArea.objects.filter(pk=unused.pk).exists()
    assert "<strong>fed</strong>" in StrategyPeriod.objects.get(pk=period.pk).intro_html
