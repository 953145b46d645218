"""The visibility queryset methods narrow what they are given: `qs.visible_to(user)` keeps every
filter `qs` already carries (a list of one area's published cases stays that list), for every
model a member sees and every kind of reader."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from circles.models import Circle, Meeting, MeetingNote, NoteVisibility
from focus import policies, services
from focus.models import Case, Comment, FocusArea, GuidingQuestion, Report
from members.models import User
from tests.circles.conftest import make_meeting, make_note
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_of_each(member, other_member, circle_lead, secretariat):
    area = FocusArea.objects.browsable().order_by("pk").first()
    cases = [make_case(member, area, title=f"Case {i}", public=True) for i in range(2)]
    comments = [services.comment_add(author=member, body=f"Kommentar {i}", case=cases[i]) for i in range(2)]
    reports = [services.report_create(reporter=other_member, reason="Se her", comment=c) for c in comments]
    circle = Circle.objects.get(slug="nordjylland")
    meetings = [
        make_meeting(actor=circle_lead, circle=circle, title=f"Møde {i}", days=10 + i) for i in range(2)
    ]
    notes = [make_note(actor=circle_lead, meeting=m, visibility=NoteVisibility.MEMBERS) for m in meetings]
    return {
        Case: cases,
        Comment: comments,
        Report: reports,
        Meeting: meetings,
        MeetingNote: notes,
        User: [member, other_member],
    }


READERS = ["visitor", "member", "circle_lead", "secretariat"]


def _reader(request, name):
    return AnonymousUser() if name == "visitor" else request.getfixturevalue(name)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("model", [Case, Comment, Report, Meeting, MeetingNote, User])
def test_visible_to_keeps_the_filters_it_is_given(request, two_of_each, model, reader):
    user = _reader(request, reader)
    first, second = two_of_each[model]
    everything = set(model.objects.visible_to(user).values_list("pk", flat=True))
    narrowed = set(model.objects.filter(pk=first.pk).visible_to(user).values_list("pk", flat=True))
    assert narrowed == everything & {first.pk}
    assert second.pk not in narrowed


@pytest.mark.parametrize("reader", READERS)
def test_the_directory_list_keeps_the_filters_it_is_given(request, two_of_each, reader):
    user = _reader(request, reader)
    first, second = two_of_each[User]
    everything = set(User.objects.listed_to(user).values_list("pk", flat=True))
    narrowed = set(User.objects.filter(pk=first.pk).listed_to(user).values_list("pk", flat=True))
    assert narrowed == everything & {first.pk}


def test_browsable_keeps_the_filters_it_is_given(db):
    first, second = FocusArea.objects.browsable().order_by("pk")[:2]
    assert list(FocusArea.objects.filter(pk=first.pk).browsable()) == [first]
    question = GuidingQuestion.objects.browsable().filter(focus_area=second).first()
    assert list(GuidingQuestion.objects.filter(pk=question.pk).browsable()) == [question]


def test_one_row_is_fetched_only_from_the_rows_it_is_given(two_of_each, member):
    first, second = two_of_each[Case]
    assert policies.cases.get_visible_or_404(member, Case.objects.filter(pk=first.pk), pk=first.pk) == first
    with pytest.raises(Http404):
        policies.cases.get_visible_or_404(member, Case.objects.filter(pk=second.pk), pk=first.pk)
