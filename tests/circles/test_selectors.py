import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from circles import selectors, services
from circles.decisions.selectors import notes_and_decisions_for_area
from circles.models import NoteVisibility
from tests.circles.conftest import make_meeting, make_note


def _area_notes(area, viewer) -> list[int]:
    return [item.note_id for item in notes_and_decisions_for_area(area=area, viewer=viewer)["notes"]]


def test_note_list_for_area_respects_circle_visibility(
    member, other_member, secretariat, circle_only_note, members_note, area
):
    assert _area_notes(area, member) == [members_note.pk]
    assert _area_notes(area, other_member) == [circle_only_note.pk, members_note.pk]
    assert len(_area_notes(area, secretariat)) == 2
    assert _area_notes(area, AnonymousUser()) == []


def test_note_list_for_area_leaves_out_drafts_and_other_areas(other_member, circle_lead, nordjylland, area):
    from focus.models import FocusArea

    other_area = FocusArea.objects.exclude(pk=area.pk).first()
    draft_meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-3)
    make_note(actor=circle_lead, meeting=draft_meeting, areas=[area], publish=False)
    elsewhere = make_meeting(actor=circle_lead, circle=nordjylland, days=-4, title="Andet")
    make_note(actor=circle_lead, meeting=elsewhere, areas=[other_area], visibility=NoteVisibility.MEMBERS)
    assert _area_notes(area, other_member) == []


def test_area_notes_include_renders_only_what_it_is_given(
    django_assert_num_queries, member, members_note, circle_only_note, area
):
    items = notes_and_decisions_for_area(area=area, viewer=member)
    with django_assert_num_queries(0):
        html = render_to_string("circles/includes/area_notes.html", items)
    assert "Drøftet i kredsene" in html
    assert members_note.get_absolute_url() in html
    assert circle_only_note.get_absolute_url() not in html
    assert "Drøftet i kredsene" not in render_to_string("circles/includes/area_notes.html", {"notes": []})


def test_meeting_list_upcoming_for_has_own_circle_and_association_wide(
    member, circle_lead, nordjylland, hovedstaden, secretariat
):
    own = make_meeting(actor=secretariat, circle=hovedstaden, days=3, title="Eget")
    make_meeting(actor=circle_lead, circle=nordjylland, days=2, title="Andres")
    event = make_meeting(actor=secretariat, circle=None, days=5, title="Generalforsamling")
    make_meeting(actor=secretariat, circle=hovedstaden, days=-3, title="Fortid")
    cancelled = make_meeting(actor=secretariat, circle=hovedstaden, days=4, title="Aflyst")
    services.meeting_cancel(actor=secretariat, meeting=cancelled)
    assert selectors.meeting_list_upcoming_for(viewer=member, limit=5) == [own, event]
    assert selectors.meeting_list_upcoming_for(viewer=member, limit=1) == [own]
    assert selectors.meeting_list_upcoming_for(viewer=AnonymousUser(), limit=5) == []


@pytest.mark.parametrize("n", [1, 30])
def test_meeting_list_upcoming_for_is_two_queries(
    django_assert_num_queries, member, secretariat, hovedstaden, n
):
    for i in range(n):
        make_meeting(actor=secretariat, circle=hovedstaden if i % 2 else None, days=i + 1, title=f"M{i}")
    member = type(member).objects.get(pk=member.pk)
    with django_assert_num_queries(2):
        meetings = selectors.meeting_list_upcoming_for(viewer=member, limit=50)
        [m.circle for m in meetings]
