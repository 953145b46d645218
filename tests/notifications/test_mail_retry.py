"""A mail the server refuses is tried again, and after the last attempt logged for the
secretariat; the member's page works all the while. The backend is a real mail backend that
fails the first N sends (tests/mailbackends.py)."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from circles.models import Circle, MembershipRole
from circles.services import meeting_create, membership_set
from komdir.notifications.tasks import RETRY_DELAYS, send_notice
from tests.factories import make_member
from tests.mailbackends import FlakyEmailBackend


@pytest.fixture
def flaky_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.mailbackends.FlakyEmailBackend"}}
    FlakyEmailBackend.attempts = 0

    def fail(times: int):
        FlakyEmailBackend.failures_left = times

    yield fail
    FlakyEmailBackend.failures_left = 0


def plan_meeting(client, lead):
    start = timezone.localtime() + timedelta(days=7)
    client.force_login(lead)
    return client.post(
        "/kredse/nordjylland/moeder/nyt/",
        {
            "title": "Kredsmøde",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )


@pytest.mark.django_db
def test_a_notice_the_server_refuses_twice_is_delivered_on_a_later_attempt(
    client, circle_lead, other_member, flaky_mail, mailoutbox, django_capture_on_commit_callbacks
):
    flaky_mail(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = plan_meeting(client, circle_lead)
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[other_member.email]]
    assert FlakyEmailBackend.attempts == 3


@pytest.mark.django_db
def test_a_notice_that_keeps_failing_is_logged_as_an_error_and_the_page_still_works(
    client, circle_lead, other_member, flaky_mail, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    flaky_mail(1000)
    with (
        caplog.at_level(logging.WARNING, logger="komdir.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = plan_meeting(client, circle_lead)
    assert response.status_code == 302
    assert mailoutbox == []
    assert FlakyEmailBackend.attempts == len(RETRY_DELAYS) + 1
    errors = [r for r in caplog.records if r.name == "komdir.mail" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert "notice=circle_meeting" in message and f"user={other_member.pk}" in message
    assert other_member.email not in message  # user ids in logs, never addresses


@pytest.fixture
def database_queue(settings):
    # Changing TASKS resets django.tasks' backends (django.tasks.signals).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_tries_again_later_and_then_delivers(database_queue, flaky_mail, mailoutbox):
    from django_tasks_db.models import DBTaskResult

    lead = make_member(municipality_name="Hjørring", email="formand@kommune.test")
    circle = Circle.objects.get(slug="nordjylland")
    membership_set(user=lead, circle=circle, role=MembershipRole.LEAD)
    member = make_member(municipality_name="Aalborg", email="medlem@kommune.test")
    start = timezone.now() + timedelta(days=7)
    meeting_create(
        actor=lead, circle=circle, title="Kredsmøde", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    assert DBTaskResult.objects.count() == 1

    flaky_mail(1)
    before = timezone.now()
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert mailoutbox == []
    # The refused mail waits as a new task, a minute or more ahead, for its second attempt.
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.args_kwargs["kwargs"]["attempt"] == 2
    assert waiting.run_after >= before + RETRY_DELAYS[0]

    call_command("db_worker", "--batch", "--no-startup-delay")
    assert mailoutbox == []  # not before its time

    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert [m.to for m in mailoutbox] == [[member.email]]


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_gives_up_after_the_last_attempt_and_records_the_failure(
    database_queue, flaky_mail, mailoutbox, caplog, secretariat_client
):
    from django_tasks_db.models import DBTaskResult

    lead = make_member(municipality_name="Hjørring", email="formand@kommune.test")
    member = make_member(municipality_name="Aalborg", email="medlem@kommune.test")
    circle = Circle.objects.get(slug="nordjylland")
    membership_set(user=lead, circle=circle, role=MembershipRole.LEAD)
    start = timezone.now() + timedelta(days=7)
    meeting = meeting_create(
        actor=lead, circle=circle, title="Kredsmøde", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    DBTaskResult.objects.all().delete()
    # The last attempt, as the queue would run it after the earlier ones failed.
    send_notice.enqueue(
        kind="circle_meeting", object_id=meeting.pk, user_id=member.pk, attempt=len(RETRY_DELAYS) + 1
    )
    flaky_mail(1)
    with caplog.at_level(logging.WARNING, logger="komdir.mail"):
        call_command("db_worker", "--batch", "--no-startup-delay")
    assert mailoutbox == []
    (result,) = DBTaskResult.objects.all()
    assert result.status == "FAILED"  # shown as failed among the task results in admin
    assert "SMTPServerDisconnected" in result.traceback
    assert any(r.name == "komdir.mail" and r.levelno == logging.ERROR for r in caplog.records)
    # The secretariat (not a superuser) finds the failed mail among the task results in admin.
    page = secretariat_client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert page.status_code == 200
    assert str(result.pk) in page.content.decode()
