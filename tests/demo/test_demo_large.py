"""The large benchmark data set (`seed_demo --scale large`), built at a reduced scale factor."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from circles.models import Meeting, MeetingNote
from focus.models import Case, Comment
from komdir.demo.large import FULL, _bench_users, seed_large

pytestmark = pytest.mark.django_db

FACTOR = 0.01  # 3 members, 50 cases, 1,000 comments, 20 meetings


def _counts():
    users = _bench_users()
    return {
        "members": users.count(),
        "cases": Case.objects.filter(author__in=users).count(),
        "comments": Comment.objects.filter(author__in=users).count(),
        "meetings": Meeting.objects.filter(title__startswith="Benchmarkmøde").count(),
    }


def test_counts_match_the_scale_and_a_second_run_adds_nothing():
    expected = {key: round(value * FACTOR) for key, value in FULL.items()}
    seed_large(password="pw-large-1", stdout=io.StringIO(), scale_factor=FACTOR)
    assert _counts() == expected
    seed_large(password="pw-large-1", stdout=io.StringIO(), scale_factor=FACTOR)
    assert _counts() == expected


def test_derived_fields_are_filled_and_consistent():
    seed_large(password="pw-large-1", stdout=io.StringIO(), scale_factor=FACTOR)
    users = _bench_users()
    assert not Case.objects.filter(author__in=users, body_html="").exists()
    assert not Comment.objects.filter(author__in=users, body_html="").exists()
    assert not MeetingNote.objects.filter(meeting__title__startswith="Benchmarkmøde", body_html="").exists()
    assert not Meeting.objects.filter(title__startswith="Benchmarkmøde", agenda_html="").exists()
    # A comment on a case belongs to the case's area; a reply shares its parent's target.
    assert not Comment.objects.filter(case__isnull=False).exclude(focus_area=F("case__focus_area")).exists()
    replies = Comment.objects.filter(author__in=users, parent__isnull=False)
    assert replies.exists()
    assert not replies.exclude(case=F("parent__case")).exclude(case__isnull=True).exists()
    # Every case's comment count is what "most discussed" sorts on: visible comments only.
    visible = Count("comments", filter=Q(comments__deleted_at__isnull=True, comments__hidden_at__isnull=True))
    counted = Case.objects.filter(author__in=users).annotate(visible=visible)
    assert counted.filter(comment_count__gt=0).exists()
    assert not counted.exclude(comment_count=F("visible")).exists()
    # Every case's municipality is its author's; published cases have a publication date.
    for case in Case.objects.filter(author__in=users).select_related("author__profile"):
        assert case.municipality_id == case.author.profile.municipality_id
        assert (case.published_at is not None) == (case.status == "published")
    # Past meetings have published notes; every bench member can log in with the password.
    assert MeetingNote.objects.filter(meeting__title__startswith="Benchmarkmøde", status="published").exists()
    assert users.first().check_password("pw-large-1")


def test_seed_demo_scale_large_option():
    out = io.StringIO()
    call_command("seed_demo", "--scale", "large", "--scale-factor", "0.004", "--force", stdout=out)
    assert "Stort datasæt" in out.getvalue()
    assert _counts()["cases"] == 20
