"""The rest of circles' admin writes through the services, with the portal's result: a meeting
moved or cancelled in admin mails the same calendar entry; memberships set in admin give (and
take) the same rights; an answer noted for a member obeys who may answer; a revoked calendar
address stops working."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from circles import selectors, services
from circles.models import (
    Attendance,
    AttendanceResponse,
    CalendarToken,
    Circle,
    CircleMembership,
    MembershipRole,
)
from tests.circles.conftest import future, make_meeting
from tests.circles.test_admin_services import management, meeting_admin_data, recipients
from tests.circles.test_meeting_changes import ics_parts, only_event

pytestmark = pytest.mark.django_db


# --- a meeting moved or cancelled in admin: the same mail and calendar entry as in the portal ----


def test_a_meeting_moved_in_admin_mails_the_updated_calendar_entry_as_the_portal_does(
    secretariat_client, circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    mailoutbox.clear()
    new_start = future(14, 9)
    data = meeting_admin_data(nordjylland, title=meeting.title, location="Aalborg Rådhus, sal 2")
    data |= {
        "starts_at_0": new_start.strftime("%Y-%m-%d"),
        "starts_at_1": new_start.strftime("%H:%M:%S"),
        "ends_at_0": (new_start + timedelta(hours=2)).strftime("%Y-%m-%d"),
        "ends_at_1": (new_start + timedelta(hours=2)).strftime("%H:%M:%S"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/admin/circles/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.previous_location == "Rådhuset"
    assert recipients(mailoutbox) == sorted([circle_lead.email, other_member.email])
    for mail in mailoutbox:
        ((content_type, calendar),) = ics_parts(mail)
        assert "method=PUBLISH" in content_type.replace('"', "")
        event = only_event(calendar)
        assert event["SEQUENCE"] == 1 and event.decoded("DTSTART") == new_start
        assert str(event["LOCATION"]) == "Aalborg Rådhus, sal 2"


def test_a_meeting_cancelled_in_admin_mails_a_cancel_as_the_portal_does(
    secretariat_client, circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            "/admin/circles/meeting/", {"action": "cancel_meetings", "_selected_action": [meeting.pk]}
        )
    assert recipients(mailoutbox) == sorted([circle_lead.email, other_member.email])
    for mail in mailoutbox:
        ((content_type, calendar),) = ics_parts(mail)
        assert "method=CANCEL" in content_type.replace('"', "")
        assert str(only_event(calendar)["STATUS"]) == "CANCELLED"


# --- memberships set in admin give and take the rights the service gives -----------------------


def _circle_admin_data(circle: Circle, memberships, **extra) -> dict:
    data = {
        "name": circle.name,
        "slug": circle.slug,
        "region": circle.region_id or "",
        "description": circle.description,
        **management("memberships", len(memberships), len(memberships)),
    }
    for i, membership in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": membership.pk,
            f"memberships-{i}-circle": circle.pk,
            f"memberships-{i}-user": membership.user_id,
            f"memberships-{i}-role": membership.role,
            f"memberships-{i}-joined_at_0": timezone.localtime(membership.joined_at).strftime("%Y-%m-%d"),
            f"memberships-{i}-joined_at_1": timezone.localtime(membership.joined_at).strftime("%H:%M:%S"),
        }
    return data | extra


def test_a_lead_added_in_the_circles_admin_reads_and_manages_the_circle(
    secretariat_client, member, nordjylland, circle_only_note
):
    assert selectors.note_get(pk=circle_only_note.pk, viewer=member) is None
    existing = list(CircleMembership.objects.filter(circle=nordjylland).order_by("pk"))
    data = _circle_admin_data(nordjylland, existing)
    n = len(existing)
    data |= management("memberships", n + 1, n) | {
        f"memberships-{n}-circle": nordjylland.pk,
        f"memberships-{n}-user": member.pk,
        f"memberships-{n}-role": MembershipRole.LEAD,
        f"memberships-{n}-joined_at_0": "2026-01-01",
        f"memberships-{n}-joined_at_1": "10:00:00",
    }
    response = secretariat_client.post(f"/admin/circles/circle/{nordjylland.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    reader = type(member).objects.get(pk=member.pk)
    assert selectors.note_get(pk=circle_only_note.pk, viewer=reader) == circle_only_note
    assert selectors.note_get_for_edit(pk=circle_only_note.pk, viewer=reader) == circle_only_note


def test_a_membership_removed_in_admin_takes_the_circle_only_notes_away(
    secretariat_client, other_member, nordjylland, circle_only_note
):
    membership = CircleMembership.objects.get(user=other_member, circle=nordjylland)
    data = _circle_admin_data(
        nordjylland, list(CircleMembership.objects.filter(circle=nordjylland).order_by("pk"))
    )
    index = next(key for key, value in data.items() if key.endswith("-id") and value == membership.pk)
    data[index.replace("-id", "-DELETE")] = "on"
    response = secretariat_client.post(f"/admin/circles/circle/{nordjylland.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    reader = type(other_member).objects.get(pk=other_member.pk)
    assert selectors.note_get(pk=circle_only_note.pk, viewer=reader) is None


def test_a_second_membership_of_the_same_circle_is_refused_on_the_form(
    secretariat_client, other_member, nordjylland
):
    response = secretariat_client.post(
        "/admin/circles/circlemembership/add/",
        {
            "circle": nordjylland.pk,
            "user": other_member.pk,
            "role": MembershipRole.MEMBER,
            "joined_at_0": "2026-01-01",
            "joined_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert CircleMembership.objects.filter(user=other_member, circle=nordjylland).count() == 1


def test_a_circle_made_in_admin_is_made_by_the_service(secretariat_client):
    response = secretariat_client.post(
        "/admin/circles/circle/add/",
        {
            "name": "Kreds Bornholm",
            "slug": "bornholm",
            "region": "",
            "description": "Øen.",
            **management("memberships"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Circle.objects.get(slug="bornholm").name == "Kreds Bornholm"


# --- an answer noted in admin: who may answer still decides ------------------------------------


def _attendance_admin_data(meeting, user, response=AttendanceResponse.YES) -> dict:
    return {"meeting": meeting.pk, "user": user.pk, "response": response}


def test_an_answer_noted_in_admin_is_the_answer_the_member_would_give(
    secretariat_client, circle_lead, other_member, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    response = secretariat_client.post(
        "/admin/circles/attendance/add/", _attendance_admin_data(meeting, other_member)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    noted = Attendance.objects.get(meeting=meeting, user=other_member)
    assert noted.response == AttendanceResponse.YES
    # The member changing it in the portal changes that one answer.
    services.attendance_set(user=other_member, meeting=meeting, response=AttendanceResponse.NO)
    assert list(Attendance.objects.filter(meeting=meeting).values_list("pk", "response")) == [
        (noted.pk, AttendanceResponse.NO)
    ]


def test_no_answer_is_noted_in_admin_for_a_cancelled_meeting(
    secretariat_client, circle_lead, other_member, nordjylland
):
    meeting = services.meeting_cancel(
        actor=circle_lead, meeting=make_meeting(actor=circle_lead, circle=nordjylland)
    )
    response = secretariat_client.post(
        "/admin/circles/attendance/add/", _attendance_admin_data(meeting, other_member)
    )
    assert response.status_code == 200
    assert "Medlemmet kan ikke svare på dette møde" in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_no_answer_is_noted_in_admin_for_a_member_outside_the_circle(
    secretariat_client, circle_lead, member, nordjylland
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    response = secretariat_client.post(
        "/admin/circles/attendance/add/", _attendance_admin_data(meeting, member)
    )
    assert response.status_code == 200
    assert not Attendance.objects.filter(meeting=meeting).exists()


# --- a calendar address revoked in admin stops working ---------------------------------------


def test_a_calendar_address_revoked_in_admin_stops_working(client, secretariat_client, member):
    token = services.calendar_token_get_or_create(user=member)
    assert client.get(token.get_feed_url()).status_code == 200
    response = secretariat_client.post(f"/admin/circles/calendartoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not CalendarToken.objects.filter(pk=token.pk).exists()
    assert client.get(token.get_feed_url()).status_code == 404
