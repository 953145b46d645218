"""The whole strategy-period change, done in the admin by the secretariat (password + TOTP)."""

import pytest

from focus.models import PeriodStatus, StrategyPeriod


def inline_prefixes(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return {
        inline.formset.model._meta.model_name: inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
    }


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.django_db
def test_secretariat_creates_the_next_period_makes_it_current_and_the_old_stays_browsable(
    secretariat_client, client
):
    old = StrategyPeriod.objects.get(status=PeriodStatus.CURRENT)

    # 1. The next period with its focus areas.
    add_url = "/admin/focus/strategyperiod/add/"
    areas = inline_prefixes(secretariat_client, add_url)["focusarea"]
    data = {
        "title": "Fokusområder 2026-2028",
        "slug": "fokusomraader-2026-2028",
        "start_year": "2026",
        "end_year": "2028",
        "status": PeriodStatus.DRAFT,
        "intro": "Den nye periode.",
        **management(areas, 1),
        f"{areas}-0-number": "1",
        f"{areas}-0-title": "Velfærd med færre hænder",
        f"{areas}-0-slug": "velfaerd-med-faerre-haender",
        f"{areas}-0-lead": "Sådan løser vi opgaverne med færre medarbejdere.",
        f"{areas}-0-body": "Brødtekst.",
    }
    response = secretariat_client.post(add_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    new = StrategyPeriod.objects.get(slug="fokusomraader-2026-2028")
    area = new.areas.get()

    # 2. Its guiding questions, on the focus area's page.
    area_url = f"/admin/focus/focusarea/{area.pk}/change/"
    questions = inline_prefixes(secretariat_client, area_url)["guidingquestion"]
    response = secretariat_client.post(
        area_url,
        {
            "period": new.pk,
            "number": "1",
            "title": area.title,
            "slug": area.slug,
            "lead": area.lead,
            "body": area.body,
            **management(questions, 2),
            f"{questions}-0-order": "1",
            f"{questions}-0-text": "Hvordan bruger vi teknologi klogt?",
            f"{questions}-1-order": "2",
            f"{questions}-1-text": "Hvad kan vi holde op med?",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert area.questions.count() == 2

    # 3. Make it current: the old one is archived.
    response = secretariat_client.post(
        "/admin/focus/strategyperiod/", {"action": "make_current", "_selected_action": [new.pk]}
    )
    assert response.status_code == 302
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.status == PeriodStatus.CURRENT
    assert old.status == PeriodStatus.ARCHIVED

    # 4. Visitors see the new period on the front page and can still read the archived one.
    secretariat_client.logout()
    assert "Velfærd med færre hænder" in client.get("/").content.decode()
    archived = client.get(old.get_absolute_url())
    assert archived.status_code == 200
    assert client.get("/perioder/").status_code == 200
