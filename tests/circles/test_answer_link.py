"""Answering from the e-mail: the link in an invitation or reminder lets the member answer without
logging in; opening it changes nothing, the button does; a tampered, finished or someone else's
link answers 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from circles import services
from circles.models import Attendance, Meeting
from tests.circles.conftest import make_meeting
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def _link(mail) -> str:
    return re.search(r"http://[^\s]+/svar/[^\s/]+/", mail.body).group(0).split("testserver")[-1]


def test_the_invitation_carries_a_link_that_answers_without_login(
    circle_lead, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make_meeting(actor=circle_lead, circle=nordjylland, capacity=1)
    mail = next(m for m in mailoutbox if m.to == [other_member.email])
    path = _link(mail).replace("http://testserver", "")
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and meeting.title in page.content.decode()
    assert not Attendance.objects.filter(user=other_member).exists()  # opening is not answering
    response = visitor.post(path, {"response": "yes"}, follow=True)
    assert "Tak. Dit svar er gemt." in response.content.decode()
    assert Attendance.objects.get(user=other_member).response == "yes"
    visitor.post(path, {"response": "no"})
    assert Attendance.objects.get(user=other_member).response == "no"


def test_a_tampered_or_finished_or_departed_link_is_404(circle_lead, other_member, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    url = services.answer_url(user=other_member, meeting=meeting)
    path = "/svar/" + url.rsplit("/svar/", 1)[1]
    client = Client()
    assert client.get(path).status_code == 200
    assert client.get(path.replace(path[-6:-1], "xxxxx")).status_code == 404
    other_member.is_active = False
    other_member.save(update_fields=["is_active"])
    assert client.post(path, {"response": "yes"}).status_code == 404
    other_member.is_active = True
    other_member.save(update_fields=["is_active"])
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert client.get(path).status_code == 404
    assert not Attendance.objects.exists()


def test_a_link_for_a_circle_the_member_left_is_404(circle_lead, secretariat, nordjylland):
    person = make_member(municipality_name="Aalborg", email="flyttet@kommune.test")
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    path = "/svar/" + services.answer_url(user=person, meeting=meeting).rsplit("/svar/", 1)[1]
    membership = person.circle_memberships.get(circle=nordjylland)
    services.membership_remove(actor=secretariat, membership=membership)
    assert Client().post(path, {"response": "yes"}).status_code == 404
    assert not Attendance.objects.exists()
