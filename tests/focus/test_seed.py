"""The seed text is the content of record: compare the database with the source document."""

import re
from pathlib import Path

import pytest

from focus.models import FocusArea, GuidingQuestion, StrategyPeriod

SEED = (Path(__file__).resolve().parents[1] / "data" / "seed_fokusomraader_2023-2025.txt").read_text()


def normalise(text: str) -> str:
    return " ".join(text.split())


def seed_questions() -> list[str]:
    return [normalise(line.lstrip(" •")) for line in SEED.splitlines() if line.strip().startswith("•")]


def seed_area_titles() -> list[str]:
    return [m.group(2).strip() for m in re.finditer(r"Fokusområde (\d): (.+)", SEED)]


@pytest.mark.django_db
def test_seed_has_one_current_period_with_three_areas():
    period = StrategyPeriod.objects.get(status="current")
    assert period.title == "Fokusområder 2023-2025"
    assert period.areas.count() == 3


@pytest.mark.django_db
def test_every_focus_area_title_matches_the_seed_text():
    titles = list(FocusArea.objects.order_by("number").values_list("title", flat=True))
    assert titles == seed_area_titles()
    assert len(titles) == 3


@pytest.mark.django_db
def test_all_nine_guiding_questions_are_present_word_for_word():
    questions = [
        normalise(q.text)
        for q in GuidingQuestion.objects.select_related("focus_area").order_by("focus_area__number", "order")
    ]
    expected = seed_questions()
    assert len(expected) == 9
    assert questions == expected


@pytest.mark.django_db
def test_area_texts_are_word_for_word_from_the_seed():
    seed = normalise(SEED)
    for area in FocusArea.objects.all():
        assert normalise(area.lead) in seed
        for paragraph in area.body.split("\n\n"):
            assert normalise(paragraph) in seed, paragraph[:60]


@pytest.mark.django_db
def test_purpose_is_on_the_about_page_word_for_word():
    from focus.models import SitePage

    about = normalise(SitePage.objects.get(slug="om-komdir").body)
    start = SEED.index("KOMDIR er et forum")
    end = SEED.index("I perioden 2023-2025", start)
    for paragraph in SEED[start:end].split("\n\n"):
        if paragraph.strip():
            assert normalise(paragraph) in about
