"""`seed_demo` is all or nothing: a run that fails halfway leaves nothing behind and can run again."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from circles.models import Attachment, Meeting, MeetingNote
from focus import services as focus_services
from focus.models import Case, Comment, FocusArea
from komdir.demo.contributions import CASES
from members.models import User
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", "--password", "demo-adgangskode-1", *args, stdout=out)
    return out.getvalue()


def demo_rows() -> dict[str, int]:
    demo_users = User.objects.filter(email__endswith="@komdir.test")
    return {
        "users": demo_users.count(),
        "addresses": EmailAddress.objects.filter(email__endswith="@komdir.test").count(),
        "authenticators": Authenticator.objects.filter(user__in=demo_users).count(),
        "cases": Case.objects.filter(author__in=demo_users).count(),
        "comments": Comment.objects.filter(author__in=demo_users).count(),
        "meetings": Meeting.objects.count(),
        "notes": MeetingNote.objects.count(),
        "attachments": Attachment.objects.count(),
    }


def test_a_seed_failing_in_the_demo_content_leaves_nothing_and_runs_again(media):
    # A member already wrote a case with the title of a demo case that demo comments point at:
    # the demo accounts and first cases are written before the comments fail on it.
    title = CASES[0][3]
    member = make_member(municipality_name="Vejle", email="skrev.foerst@kommune.test")
    conflicting = focus_services.case_create(
        author=member,
        focus_area=FocusArea.objects.get(period__status="current", number=1),
        title=title,
        summary="Samme titel.",
        body="Tekst.",
        publish=True,
    )
    before = demo_rows()

    with pytest.raises(Case.MultipleObjectsReturned):
        seed()

    assert demo_rows() == before, "nothing of the failed run is left"
    assert files_in(media) == []
    Case.objects.filter(pk=conflicting.pk).delete()
    assert "Demodata er klar" in seed()
    first = demo_rows()
    assert first["users"] > 0 and first["cases"] > 0 and first["comments"] > 0 and first["meetings"] > 0
    seed()
    assert demo_rows() == first, "seed_demo stays idempotent"


def test_a_seed_failing_after_the_attachments_leaves_no_files(media):
    # A member's verified address is the one the large data set gives its first bench member:
    # the failure comes after the demo meetings and their attachment files were written.
    member = make_member(municipality_name="Vejle", email="har.to.adresser@kommune.test")
    EmailAddress.objects.create(user=member, email="bench0001@komdir.test", verified=True, primary=False)
    before = demo_rows()

    with pytest.raises(IntegrityError):
        seed("--scale", "large", "--scale-factor", "0.004")

    assert demo_rows() == before
    assert files_in(media) == [], "the attachment files of the rolled-back run are removed"
    EmailAddress.objects.filter(user=member, email="bench0001@komdir.test").delete()
    assert "Demodata er klar" in seed("--scale", "large", "--scale-factor", "0.004")
    assert Attachment.objects.exists()
    assert len(files_in(media)) == Attachment.objects.count()


def test_a_bad_totp_secret_is_refused_before_anything_is_written(media):
    before = demo_rows()
    with pytest.raises(CommandError, match="base32"):
        seed("--totp-secret", "ikke-base32!")
    assert demo_rows() == before
