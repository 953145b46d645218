"""Production path: mail is queued in django-tasks-db's table and sent by `db_worker`."""

import pytest
from django.core.management import call_command

from focus import services
from focus.models import FocusArea
from tests.factories import make_member


@pytest.fixture
def database_queue(settings):
    # Changing TASKS resets django.tasks' backends (django.tasks.signals).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_comment_notice_goes_through_the_database_queue(database_queue, mailoutbox):
    from django_tasks_db.models import DBTaskResult

    author = make_member(municipality_name="København", email="forfatter@kommune.test")
    commenter = make_member(municipality_name="Aalborg", email="kommentator@kommune.test")
    area = FocusArea.objects.get(period__status="current", number=1)
    case = services.case_create(
        author=author, focus_area=area, title="Kø-test", summary="Resumé.", body="Tekst.", publish=True
    )
    services.comment_add(author=commenter, case=case, body="Via køen.")
    assert mailoutbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert [m.to for m in mailoutbox] == [[author.email]]
