"""Minutes that end in decisions and actions: they follow the note's visibility; the lead shares a
draft with the participants for comments, approves and publishes it; actions reach their owner's
overview and digest until done; overdue ones reach the lead; a focus area lists its decisions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles import services as circle_services
from circles.decisions import services
from circles.decisions.models import ActionItem, Decision, NoteComment
from circles.models import Meeting, MeetingNote, NoteVisibility
from komdir.privacy.services import account_delete
from tests.circles.conftest import make_meeting, make_note, pdf_file
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(circle_lead, nordjylland):
    """A meeting held two days ago in Kreds Nordjylland, with an agenda."""
    return make_meeting(actor=circle_lead, circle=nordjylland, days=-2)


@pytest.fixture
def draft(circle_lead, held, other_member):
    circle_services.attendance_set(user=other_member, meeting=held, response="yes")
    return make_note(actor=circle_lead, meeting=held, publish=False, body="Udkast: vi aftalte noget.")


def _share(client, note, days=3):
    until = (timezone.localdate() + timedelta(days=days)).isoformat()
    return client.post(f"/referater/{note.pk}/del/", {"until": until}, follow=True)


def test_a_new_note_starts_from_the_agenda(client, circle_lead, held):
    client.force_login(circle_lead)
    page = client.get(f"/moeder/{held.pk}/referat/").content.decode()
    assert "## Velkomst" in page


def test_the_lead_shares_the_draft_participants_comment_and_others_cannot_see_it(
    client, circle_lead, other_member, draft, mailoutbox, django_capture_on_commit_callbacks
):
    not_there = make_member(municipality_name="Aalborg", email="ikke.med@kommune.test")
    client.force_login(not_there)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = _share(client, draft)
    assert "Udkastet er delt med mødets deltagere." in response.content.decode()
    assert [m.to for m in mailoutbox] == [[other_member.email]]
    assert "Udkast til referat til kommentering" in mailoutbox[0].subject
    # A participant reads the draft and comments; someone who was not there still gets 404.
    client.force_login(other_member)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Udkast: vi aftalte noget." in page and "Din kommentar til udkastet" in page
    response = client.post(
        f"/referater/{draft.pk}/kommentarer/", {"body": "Husk punktet om rekruttering."}, follow=True
    )
    assert "Din kommentar er gemt." in response.content.decode()
    assert NoteComment.objects.get().author == other_member
    client.force_login(not_there)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.post(f"/referater/{draft.pk}/kommentarer/", {"body": "Hej"}).status_code == 404
    assert NoteComment.objects.count() == 1
    # The draft is in no list: not on the circle's page for the participant either.
    client.force_login(other_member)
    assert draft.get_absolute_url() not in client.get("/kredse/nordjylland/").content.decode()


def test_after_the_date_no_more_comments(client, circle_lead, other_member, draft):
    client.force_login(circle_lead)
    _share(client, draft)
    MeetingNote.objects.filter(pk=draft.pk).update(shared_until=timezone.now() - timedelta(minutes=1))
    client.force_login(other_member)
    response = client.post(f"/referater/{draft.pk}/kommentarer/", {"body": "For sent <b>her</b>"})
    page = response.content.decode()
    assert response.status_code == 400 and "Fristen for kommentarer er udløbet" in page
    assert "For sent &lt;b&gt;her&lt;/b&gt;" in page  # what was typed comes back
    assert not NoteComment.objects.exists()


def test_approving_publishes_and_the_note_says_who_approved_it_and_the_action_reaches_its_owner(
    client, circle_lead, other_member, draft
):
    client.force_login(circle_lead)
    client.post(
        f"/referater/{draft.pk}/handlinger/",
        {"text": "Saml tre eksempler", "owner": other_member.pk, "due_date": "2099-01-31"},
    )
    action = ActionItem.objects.get()
    client.force_login(other_member)
    _share_first = client.get("/overblik/").content.decode()
    assert "Saml tre eksempler" not in _share_first  # not before the note is approved
    client.force_login(circle_lead)
    client.post(
        f"/moeder/{draft.meeting_id}/referat/",
        {
            "body": draft.body,
            "visibility": "circle",
            "base_revision": draft.revisions.order_by("-pk")[0].pk,
            "publish": "1",
        },
    )
    note = MeetingNote.objects.get(pk=draft.pk)
    assert note.is_published and note.approved_by == circle_lead
    page = client.get(note.get_absolute_url()).content.decode()
    assert f"Godkendt af {circle_lead.get_full_name()} den" in page
    client.force_login(other_member)
    overview = client.get("/overblik/").content.decode()
    assert "Saml tre eksempler" in overview and "Dine handlinger" in overview
    response = client.post(
        f"/handlinger/{action.pk}/udfoert/", {"done": "1", "next": "/overblik/"}, follow=True
    )
    assert "Handlingen er markeret som udført." in response.content.decode()
    assert ActionItem.objects.get().is_done and ActionItem.objects.get().done_by == other_member
    assert "Saml tre eksempler" not in client.get("/overblik/").content.decode()


def test_an_owner_must_be_able_to_read_the_note(client, circle_lead, member, held):
    note = make_note(actor=circle_lead, meeting=held, visibility=NoteVisibility.CIRCLE)
    client.force_login(circle_lead)
    response = client.post(f"/referater/{note.pk}/handlinger/", {"text": "Noget vigtigt", "owner": member.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Noget vigtigt" in page  # what was typed comes back
    assert not ActionItem.objects.exists()


def test_a_circle_only_notes_decisions_and_actions_are_404_to_other_circles(
    client, circle_lead, member, other_member, held, area
):
    note = make_note(actor=circle_lead, meeting=held, visibility=NoteVisibility.CIRCLE)
    decision = services.decision_add(
        actor=circle_lead, note=note, text="Fortrolig beslutning", focus_areas=[area]
    )
    action = services.action_add(actor=circle_lead, note=note, text="Fortrolig handling", owner=other_member)
    client.force_login(member)  # Kreds Hovedstaden
    assert client.post(f"/beslutninger/{decision.pk}/slet/").status_code == 404
    assert client.post(f"/handlinger/{action.pk}/udfoert/", {"done": "1"}).status_code == 404
    assert client.post(f"/handlinger/{action.pk}/slet/").status_code == 404
    assert "Fortrolig beslutning" not in client.get(area.get_absolute_url()).content.decode()
    assert Decision.objects.count() == 1 and not ActionItem.objects.get().is_done
    client.force_login(other_member)  # the circle sees the decision on the focus area's page
    page = client.get(area.get_absolute_url()).content.decode()
    assert "Besluttet i kredsene" in page and "Fortrolig beslutning" in page


def test_overdue_actions_reach_the_lead_and_the_digest_lists_the_owners_own(
    client, circle_lead, other_member, held, mailoutbox
):
    note = make_note(actor=circle_lead, meeting=held, visibility=NoteVisibility.CIRCLE)
    services.action_add(
        actor=circle_lead,
        note=note,
        text="Forsinket opgave",
        owner=other_member,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(circle_lead)
    page = client.get("/overblik/").content.decode()
    assert "Overskredne handlinger i dine kredse" in page and "Forsinket opgave" in page
    call_command("send_weekly_digest")
    digest = next(m for m in mailoutbox if m.to == [other_member.email])
    assert "Dine handlinger" in digest.body and "Forsinket opgave" in digest.body


def test_only_the_owner_or_the_lead_marks_an_action_done(client, circle_lead, other_member, held):
    note = make_note(actor=circle_lead, meeting=held, visibility=NoteVisibility.MEMBERS)
    action = services.action_add(actor=circle_lead, note=note, text="Opgave", owner=other_member)
    bystander = make_member(municipality_name="Aalborg", email="tilskuer@kommune.test")
    client.force_login(bystander)
    assert client.post(f"/handlinger/{action.pk}/udfoert/", {"done": "1"}).status_code == 403
    assert not ActionItem.objects.get().is_done


def test_the_note_page_costs_the_same_with_1_and_50_decisions_and_actions(
    client, circle_lead, other_member, held, area
):
    note = make_note(actor=circle_lead, meeting=held, visibility=NoteVisibility.MEMBERS)
    services.decision_add(actor=circle_lead, note=note, text="Beslutning 0", focus_areas=[area])
    services.action_add(actor=circle_lead, note=note, text="Handling 0", owner=other_member)
    for viewer in (circle_lead, other_member):
        client.force_login(viewer)
        client.get(note.get_absolute_url())
        with CaptureQueriesContext(connection) as small:
            client.get(note.get_absolute_url())
        viewer.small = len(small.captured_queries)
    for i in range(1, 50):
        services.decision_add(actor=circle_lead, note=note, text=f"Beslutning {i}", focus_areas=[area])
        services.action_add(actor=circle_lead, note=note, text=f"Handling {i}", owner=other_member)
    for viewer in (circle_lead, other_member):
        client.force_login(viewer)
        client.get(note.get_absolute_url())
        with CaptureQueriesContext(connection) as large:
            client.get(note.get_absolute_url())
        assert len(large.captured_queries) == viewer.small <= 12, viewer


def test_the_meeting_is_held_fixture_is_in_the_past(held):
    assert Meeting.objects.get(pk=held.pk).starts_at < timezone.now()


def test_a_participant_who_left_the_circle_no_longer_reads_the_shared_draft(
    client, circle_lead, other_member, secretariat, nordjylland, draft
):
    client.force_login(circle_lead)
    _share(client, draft)
    membership = other_member.circle_memberships.get(circle=nordjylland)
    circle_services.membership_remove(actor=secretariat, membership=membership)
    client.force_login(other_member)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_share_date_is_the_last_day_to_comment_on_the_page_and_in_the_mail(
    client, circle_lead, other_member, draft, mailoutbox, django_capture_on_commit_callbacks
):
    last_day = timezone.localdate() + timedelta(days=3)
    client.force_login(circle_lead)
    with django_capture_on_commit_callbacks(execute=True):
        _share(client, draft, days=3)
    told = re.compile(rf"til og med (\w+ )?{last_day.day}\. ")
    assert told.search(" ".join(mailoutbox[0].body.split()))
    client.force_login(other_member)
    assert told.search(client.get(draft.get_absolute_url()).content.decode())
    client.force_login(circle_lead)
    assert f'value="{last_day.isoformat()}"' in client.get(draft.get_absolute_url()).content.decode()


def test_a_shared_drafts_papers_are_read_by_its_participants_and_no_one_else(
    client, circle_lead, other_member, draft
):
    attachment = circle_services.attachment_add(actor=circle_lead, note=draft, file=pdf_file("udkast.pdf"))
    not_there = make_member(municipality_name="Aalborg", email="ikke.med@kommune.test")
    client.force_login(other_member)
    assert client.get(f"/bilag/{attachment.pk}/").status_code == 404  # not shared yet
    client.force_login(circle_lead)
    _share(client, draft)
    client.force_login(other_member)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f"/bilag/{attachment.pk}/" in page
    response = client.get(f"/bilag/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(not_there)
    assert client.get(f"/bilag/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize("take_them", [False, True])
def test_a_deleted_account_leaves_its_draft_comments_as_former_member_unless_taken_along(
    take_them, client, circle_lead, other_member, draft
):
    client.force_login(circle_lead)
    _share(client, draft)
    draft.refresh_from_db()
    services.note_comment_add(author=other_member, note=draft, body="Min kommentar")
    account_delete(user=other_member, actor=other_member, delete_contributions=take_them)
    page = client.get(draft.get_absolute_url()).content.decode()
    if take_them:
        assert not NoteComment.objects.exists() and "Min kommentar" not in page
    else:
        assert "Min kommentar" in page and "Tidligere medlem" in page and other_member.email not in page
