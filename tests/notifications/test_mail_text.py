"""Plain-text mail is plain: subjects and text bodies carry what members wrote as they wrote it.

HTML escaping belongs to the HTML part only; in a subject or a text/plain body `&lt;b&gt;` is
noise. Mail sent outside a request (notices from tasks, the digest) links to KOMDIR_SITE_URL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from circles.models import Circle
from circles.services import meeting_create
from focus import services
from focus.models import FocusArea
from komdir.notifications import services as notification_services
from komdir.notifications.models import FollowKind
from tests.factories import make_member

pytestmark = pytest.mark.django_db

TRICKY = '<b>Æ & "Ø"</b>'
ESCAPED = "&lt;b&gt;Æ &amp; &quot;Ø&quot;&lt;/b&gt;"
SITE = "https://portal.komdir.test"


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE


def html_part(mail) -> str:
    return next(content for content, mimetype in mail.alternatives if mimetype == "text/html")


def assert_plain_and_html_escaped(mail, text: str = TRICKY) -> None:
    assert "&lt;" not in mail.body and "&amp;" not in mail.body and "&quot;" not in mail.body
    assert "&lt;" not in mail.subject and "&amp;" not in mail.subject and "&quot;" not in mail.subject
    html = html_part(mail)
    assert text not in html, "the HTML part stays escaped"


def test_a_comment_notice_has_the_case_title_and_comment_as_written(
    member, area, mailoutbox, django_capture_on_commit_callbacks
):
    commenter = make_member(
        municipality_name="Aalborg",
        email="kommentator@kommune.test",
        first_name="Ø'le",
        last_name="<i>Bæk</i>",
    )
    case = services.case_create(
        author=member, focus_area=area, title=TRICKY, summary="Resumé.", body="Tekst.", publish=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=commenter, case=case, body=f"Svar om {TRICKY}")
    [mail] = mailoutbox
    assert mail.subject == f'[KOMDIR] Ny kommentar til din case "{TRICKY}"'
    assert f'har kommenteret din case "{TRICKY}"' in mail.body
    assert f"Svar om {TRICKY}" in mail.body
    assert "Ø'le <i>Bæk</i>" in mail.body
    assert_plain_and_html_escaped(mail)
    assert ESCAPED in html_part(mail)


def test_a_reply_notice_has_the_authors_name_as_written(
    member, area, mailoutbox, django_capture_on_commit_callbacks
):
    replier = make_member(
        municipality_name="Aalborg", email="svarer@kommune.test", first_name="Ø'le", last_name='"B&B"'
    )
    first = services.comment_add(author=member, focus_area=area, body="Hvad gør I?")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=replier, parent=first, body=TRICKY)
    [mail] = mailoutbox
    assert mail.subject == '[KOMDIR] Ø\'le "B&B" har svaret på din kommentar'
    assert TRICKY in mail.body
    assert_plain_and_html_escaped(mail)


def test_a_meeting_notice_has_the_title_as_written_and_links_to_the_site(
    circle_lead, other_member, mailoutbox, django_capture_on_commit_callbacks, site_url
):
    start = timezone.now() + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_create(
            actor=circle_lead,
            circle=Circle.objects.get(slug="nordjylland"),
            title=TRICKY,
            location="Rådhuset & annekset",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
    [mail] = mailoutbox
    assert TRICKY in mail.subject
    assert "Rådhuset & annekset" in mail.body
    assert f"{SITE}{meeting.get_absolute_url()}" in mail.body
    assert_plain_and_html_escaped(mail)


def test_the_digest_is_plain_text_and_links_to_the_configured_site(
    member, other_member, area, mailoutbox, site_url
):
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    case = services.case_create(
        author=other_member, focus_area=area, title=TRICKY, summary="Resumé.", body="Tekst.", publish=True
    )
    call_command("send_weekly_digest")
    [mail] = [m for m in mailoutbox if m.to == [member.email]]
    assert f"- {TRICKY} (" in mail.body
    assert f"{SITE}{case.get_absolute_url()}" in mail.body
    assert f"{SITE}/overblik/" in mail.body
    assert mail.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/afmeld/")
    assert_plain_and_html_escaped(mail)
    assert f'href="{SITE}{case.get_absolute_url()}"' in html_part(mail)
