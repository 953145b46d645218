import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from focus import services
from focus.models import FocusArea, GuidingQuestion, PeriodStatus, StrategyPeriod


@pytest.mark.django_db
def test_home_shows_purpose_current_period_and_the_three_areas(client):
    html = client.get("/").content.decode()
    assert "Fokusområder 2023-2025" in html
    for area in FocusArea.objects.all():
        assert area.title in html
        assert area.lead in html
        assert area.get_absolute_url() in html
    assert "KOMDIR er et forum for kommunale topchefer" in html


@pytest.mark.django_db
def test_focus_area_page_shows_full_text_and_its_guiding_questions(client):
    area = FocusArea.objects.get(number=3)
    response = client.get(area.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and area.title in html
    assert "Kommunerne skal møde civilsamfundsaktører med tillid og respekt" in html
    for question in area.questions.all():
        assert question.text in html
    assert "KOMDIR er blandt andet nysgerrig på følgende" in html


@pytest.mark.django_db
def test_unknown_area_or_period_is_404(client):
    assert client.get("/perioder/2023-2025/findes-ikke/").status_code == 404
    assert client.get("/perioder/1999-2001/").status_code == 404


def _new_period(title="Fokusområder 2026-2029", slug="2026-2029"):
    period = services.period_save(
        period=StrategyPeriod(title=title, slug=slug, start_year=2026, end_year=2029, intro="Ny periode.")
    )
    area = services.area_save(
        area=FocusArea(
            period=period, number=1, title="Ny retning", slug="ny-retning", lead="Lead.", body="Tekst."
        )
    )
    GuidingQuestion.objects.create(focus_area=area, text="Hvad nu?", order=1)
    return period


@pytest.mark.django_db
def test_archived_period_stays_browsable_and_is_marked(client):
    old = StrategyPeriod.objects.get(slug="2023-2025")
    new = _new_period()
    services.period_make_current(period=new)
    old.refresh_from_db()
    assert old.status == PeriodStatus.ARCHIVED
    response = client.get(old.get_absolute_url())
    assert response.status_code == 200
    assert "arkiveret" in response.content.decode()
    area = old.areas.first()
    assert client.get(area.get_absolute_url()).status_code == 200
    home = client.get("/").content.decode()
    assert "Fokusområder 2026-2029" in home
    listing = client.get("/perioder/").content.decode()
    assert "Fokusområder 2023-2025" in listing and "Fokusområder 2026-2029" in listing


@pytest.mark.django_db
def test_draft_period_is_not_shown_to_anyone(client):
    draft = _new_period()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Fokusområder 2026-2029" not in client.get("/perioder/").content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_home_and_area_query_counts_do_not_grow_with_content(client, settings):
    settings.KOMDIR_FRAGMENT_CACHE = False  # the full rendering, as on a first view
    area = FocusArea.objects.get(number=1)
    home_before = _count_queries(client, "/")
    area_before = _count_queries(client, area.get_absolute_url())
    for i in range(50):
        GuidingQuestion.objects.create(focus_area=area, text=f"Ekstra spørgsmål {i}?", order=10 + i)
    assert _count_queries(client, "/") == home_before
    assert _count_queries(client, area.get_absolute_url()) == area_before
    assert home_before <= 6 and area_before <= 6


@pytest.mark.django_db
def test_period_make_current_refuses_a_period_without_areas():
    from django.core.exceptions import ValidationError

    empty = services.period_save(
        period=StrategyPeriod(title="Tom", slug="tom", start_year=2030, end_year=2031)
    )
    with pytest.raises(ValidationError):
        services.period_make_current(period=empty)
    assert StrategyPeriod.objects.get(slug="2023-2025").status == PeriodStatus.CURRENT
