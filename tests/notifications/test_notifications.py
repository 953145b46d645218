"""Who gets which e-mail, preferences, unsubscribe links, follows, the digest and "Mit overblik"."""

from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles.models import Circle, NoteVisibility
from circles.services import meeting_create, note_save
from focus import services
from focus.models import FocusArea
from komdir.notifications import selectors as notification_selectors
from komdir.notifications import services as notification_services
from komdir.notifications.models import Follow, FollowKind, NotificationSettings
from komdir.notifications.tasks import send_notice
from komdir.overview.models import DigestLog
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.fixture
def nordjylland(db):
    return Circle.objects.get(slug="nordjylland")


def make_case(author, area, *, title="Hverdagsrehabilitering", publish=True, public=False):
    return services.case_create(
        author=author,
        focus_area=area,
        title=title,
        summary="Resumé.",
        body="Tekst.",
        publish=publish,
        is_public=public,
    )


def make_meeting(lead, circle, title="Kredsmøde i Aalborg"):
    start = timezone.now() + timedelta(days=5)
    return meeting_create(
        actor=lead, circle=circle, title=title, starts_at=start, ends_at=start + timedelta(hours=2)
    )


def recipients(mailoutbox) -> list[str]:
    return sorted(addr for mail in mailoutbox for addr in mail.to)


# --- immediate notices ----------------------------------------------------------------------


def test_a_reply_mails_the_author_of_the_comment(
    member, other_member, area, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.comment_add(author=member, focus_area=area, body="Hvad gør I?")
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=other_member, parent=first, body="Vi gør sådan her.")
    assert recipients(mailoutbox) == [member.email]
    mail = mailoutbox[0]
    assert "har svaret på din kommentar" in mail.subject
    assert "Vi gør sådan her." in mail.body
    assert mail.alternatives and mail.alternatives[0][1] == "text/html"
    assert mail.extra_headers["List-Unsubscribe"].startswith("<http")
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/afmeld/" in mail.body


def test_a_comment_on_my_case_mails_me_but_not_my_own(
    member, other_member, area, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case(member, area)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=member, case=case, body="Min egen tilføjelse.")
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=other_member, case=case, body="Spændende case!")
    assert recipients(mailoutbox) == [member.email]
    assert "Ny kommentar til din case" in mailoutbox[0].subject


def test_a_reply_on_my_case_to_my_comment_mails_me_once(
    member, other_member, area, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case(member, area)
    first = services.comment_add(author=member, case=case, body="Spørgsmål?")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=other_member, parent=first, body="Svar.")
    assert recipients(mailoutbox) == [member.email]


def test_notes_published_in_my_circle_mail_the_circle_only(
    circle_lead, member, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = make_meeting(circle_lead, nordjylland)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note_save(actor=circle_lead, meeting=meeting, body="Kladde.", visibility=NoteVisibility.CIRCLE)
    assert mailoutbox == []  # a draft is news to nobody
    with django_capture_on_commit_callbacks(execute=True):
        note_save(
            actor=circle_lead,
            meeting=meeting,
            body="Referat.",
            visibility=NoteVisibility.CIRCLE,
            publish=True,
        )
    # other_member (Aalborg) is in Nordjylland; member (København) is not; the lead wrote it.
    assert recipients(mailoutbox) == [other_member.email]
    assert "Nyt referat" in mailoutbox[0].subject


def test_a_new_meeting_mails_the_circle_with_the_ics_attached(
    circle_lead, member, other_member, nordjylland, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(circle_lead, nordjylland)
    assert recipients(mailoutbox) == [other_member.email]
    (part,) = mailoutbox[0].attachments
    assert part.get_filename().endswith(".ics") and part.get_content_type() == "text/calendar"
    assert b"BEGIN:VEVENT" in part.get_payload(decode=True)


def test_nobody_gets_mail_about_a_note_they_may_not_read(circle_lead, member, nordjylland, mailoutbox):
    meeting = make_meeting(circle_lead, nordjylland)
    note = note_save(
        actor=circle_lead, meeting=meeting, body="Fortroligt.", visibility=NoteVisibility.CIRCLE, publish=True
    )
    mailoutbox.clear()
    # Even following the circle explicitly, a member of another circle gets nothing about it.
    notification_services.follow_set(
        user=member, kind=FollowKind.CIRCLE, object_id=nordjylland.pk, active=True
    )
    send_notice.enqueue(kind="circle_note", object_id=note.pk, user_id=member.pk)
    assert mailoutbox == []


def test_no_mail_about_a_comment_hidden_before_sending(member, other_member, secretariat, area, mailoutbox):
    case = make_case(member, area)
    comment = services.comment_add(author=other_member, case=case, body="Upassende.")
    services.content_hide(obj=comment, actor=secretariat, reason="Upassende.")
    send_notice.enqueue(kind="case_comment", object_id=comment.pk, user_id=member.pk)
    assert mailoutbox == []


def test_preferences_turn_notices_off(
    member, member_client, other_member, area, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case(member, area)
    response = member_client.post(
        "/medlemmer/mig/notifikationer/", {"mail_replies": "on", "weekly_digest": "on"}
    )
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(user=member)
    assert prefs.mail_replies and prefs.weekly_digest and not prefs.mail_case_comments
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=other_member, case=case, body="Ingen mail om denne.")
    assert mailoutbox == []


def test_preferences_page_shows_the_defaults(member_client):
    content = member_client.get("/medlemmer/mig/notifikationer/").content.decode()
    assert content.count("checked") == 5


# --- unsubscribe --------------------------------------------------------------------------


def test_unsubscribe_link_turns_off_one_kind(client, member):
    token = notification_services.unsubscribe_token(user=member, preference="mail_replies")
    response = client.get(f"/afmeld/{token}/")
    assert response.status_code == 200
    assert not NotificationSettings.objects.filter(user=member).exists()  # GET changes nothing
    response = client.post(f"/afmeld/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    prefs = NotificationSettings.objects.get(user=member)
    assert not prefs.mail_replies
    assert prefs.mail_case_comments and prefs.weekly_digest


def test_unsubscribe_all(client, member):
    token = notification_services.unsubscribe_token(user=member, preference=notification_services.ALL)
    client.post(f"/afmeld/{token}/")
    prefs = NotificationSettings.objects.get(user=member)
    assert not any(
        getattr(prefs, f)
        for f in ("mail_replies", "mail_case_comments", "mail_circle_notes", "weekly_digest")
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: signing.dumps({"u": 1, "p": "weekly_digest"}, salt="other-salt"),
        lambda t: "ikke-et-token",
    ],
)
def test_a_tampered_unsubscribe_link_changes_nothing(client, member, other_member, tamper):
    token = tamper(notification_services.unsubscribe_token(user=member, preference="weekly_digest"))
    assert client.get(f"/afmeld/{token}/").status_code == 404
    assert client.post(f"/afmeld/{token}/").status_code == 404
    assert not NotificationSettings.objects.exists()


def test_an_unsubscribe_link_cannot_be_moved_to_another_member(client, member, other_member):
    token = notification_services.unsubscribe_token(user=member, preference="weekly_digest")
    payload, signature = token.rsplit(":", 1)
    forged = signing.dumps({"u": other_member.pk, "p": "weekly_digest"}, salt="x", compress=True)
    forged = forged.rsplit(":", 1)[0] + ":" + signature
    assert client.post(f"/afmeld/{forged}/").status_code == 404
    assert not NotificationSettings.objects.exists()


def test_unsubscribe_mail_flow_end_to_end(
    member, other_member, area, client, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case(member, area)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=other_member, case=case, body="Første.")
    url = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path, {"List-Unsubscribe": "One-Click"})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=other_member, case=case, body="Anden.")
    assert mailoutbox == []


# --- follows ------------------------------------------------------------------------------


def test_authors_and_commenters_follow_cases_automatically(
    member, other_member, area, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(member, area)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=other_member, case=case, body="Hej.")
    assert notification_selectors.is_following(member, kind=FollowKind.CASE, obj=case)
    assert Follow.objects.filter(
        user=other_member, kind=FollowKind.CASE, object_id=case.pk, active=True
    ).exists()


def test_members_follow_their_own_circle(other_member, nordjylland):
    assert notification_selectors.is_following(other_member, kind=FollowKind.CIRCLE, obj=nordjylland)


def test_follow_and_unfollow_with_one_click(
    member_client, member, area, other_member, django_capture_on_commit_callbacks
):
    url = area.get_absolute_url()
    page = member_client.get(url).content.decode()
    assert f'action="/foelg/area/{area.pk}/"' in page
    response = member_client.post(f"/foelg/area/{area.pk}/", {"active": "1", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert Follow.objects.get(user=member, kind="area", object_id=area.pk).active
    member_client.post(f"/foelg/area/{area.pk}/", {"active": "0", "next": "https://evil.example/"})
    assert not Follow.objects.get(user=member, kind="area", object_id=area.pk).active


def test_the_page_shows_the_new_follow_at_once(member_client, area):
    """The follow button sits in the page's cached fragment: a follow must refresh it."""
    url = area.get_absolute_url()
    assert "Stop med at følge" not in member_client.get(url).content.decode()
    member_client.post(f"/foelg/area/{area.pk}/", {"active": "1", "next": url})
    assert "Stop med at følge" in member_client.get(url).content.decode()
    member_client.post(f"/foelg/area/{area.pk}/", {"active": "0", "next": url})
    assert "Stop med at følge" not in member_client.get(url).content.decode()


def test_an_unfollowed_case_stays_unfollowed(
    member, other_member, area, member_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(member, area)
    member_client.post(f"/foelg/case/{case.pk}/", {"active": "0"})
    member.__dict__.pop("_komdir_followed", None)
    assert not notification_selectors.is_following(member, kind=FollowKind.CASE, obj=case)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=member, case=case, body="Stadig min case.")
    member.__dict__.pop("_komdir_followed", None)
    assert not notification_selectors.is_following(member, kind=FollowKind.CASE, obj=case)


def test_following_what_one_may_not_see_is_404(client, member, other_member, area):
    draft = make_case(member, area, publish=False)
    client.force_login(other_member)
    assert client.post(f"/foelg/case/{draft.pk}/", {"active": "1"}).status_code == 404
    assert client.post("/foelg/bogus/1/", {"active": "1"}).status_code == 404
    assert not Follow.objects.filter(user=other_member).exists()


def test_visitors_cannot_follow(client, area):
    response = client.post(f"/foelg/area/{area.pk}/", {"active": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


# --- weekly digest --------------------------------------------------------------------------


def test_digest_tells_what_is_new_and_is_not_sent_twice(member, other_member, area, mailoutbox):
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    make_case(other_member, area, title="Ny case i et fulgt område")
    call_command("send_weekly_digest")
    to_member = [m for m in mailoutbox if m.to == [member.email]]
    assert len(to_member) == 1
    assert "Ny case i et fulgt område" in to_member[0].body
    assert to_member[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sent = len(mailoutbox)
    make_case(other_member, area, title="Endnu en case samme uge")
    call_command("send_weekly_digest")
    assert len(mailoutbox) == sent
    assert DigestLog.objects.filter(user=member).count() == 1


def test_digest_respects_the_preference(member, other_member, area, mailoutbox):
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    notification_services.settings_update(user=member, weekly_digest=False)
    make_case(other_member, area)
    call_command("send_weekly_digest")
    assert member.email not in recipients(mailoutbox)


def test_digest_never_shows_what_the_member_may_not_read(
    circle_lead, member, other_member, nordjylland, area, mailoutbox
):
    notification_services.follow_set(
        user=member, kind=FollowKind.CIRCLE, object_id=nordjylland.pk, active=True
    )
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    secret = make_meeting(circle_lead, nordjylland, title="Lukket møde")
    note_save(
        actor=circle_lead, meeting=secret, body="Fortroligt.", visibility=NoteVisibility.CIRCLE, publish=True
    )
    open_meeting = make_meeting(circle_lead, nordjylland, title="Åbent møde")
    note_save(
        actor=circle_lead,
        meeting=open_meeting,
        body="Åbent.",
        visibility=NoteVisibility.MEMBERS,
        publish=True,
    )
    make_case(other_member, area, title="Kladde i området", publish=False)
    call_command("send_weekly_digest")
    body = next(m.body for m in mailoutbox if m.to == [member.email])
    assert "Åbent møde" in body
    assert f"/referater/{secret.note.pk}" not in body and secret.note.get_absolute_url() not in body
    assert "Kladde i området" not in body


def test_a_new_week_sends_again(member, other_member, area, mailoutbox):
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    make_case(other_member, area, title="Uge et")
    call_command("send_weekly_digest")
    DigestLog.objects.filter(user=member).update(week=timezone.localdate() - timedelta(days=7))
    make_case(other_member, area, title="Uge to")
    mailoutbox.clear()
    call_command("send_weekly_digest")
    body = next(m.body for m in mailoutbox if m.to == [member.email])
    assert "Uge to" in body and "Uge et" not in body


# --- Mit overblik ---------------------------------------------------------------------------


def test_login_lands_on_the_overview(client, member, password):
    response = client.post("/accounts/login/", {"login": member.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/overblik/"


def test_overview_is_for_members_only(client):
    response = client.get("/overblik/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_overview_shows_what_is_new_in_what_i_follow(
    member_client, member, other_member, circle_lead, area, nordjylland
):
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    mine = make_case(member, area, title="Min egen case")
    make_case(member, area, title="Min kladde", publish=False)
    make_case(other_member, area, title="Ny case fra Aalborg")
    services.comment_add(author=other_member, case=mine, body="Kommentar til din case")
    meeting = make_meeting(circle_lead, nordjylland, title="Lukket kredsmøde")
    note_save(
        actor=circle_lead, meeting=meeting, body="Fortroligt.", visibility=NoteVisibility.CIRCLE, publish=True
    )
    content = member_client.get("/overblik/").content.decode()
    assert "Ny case fra Aalborg" in content
    assert "Kommentar til din case" in content
    assert "Min kladde" in content
    assert meeting.note.get_absolute_url() not in content
    # A second visit still shows it: news stay until seen where they live or marked read.
    content = member_client.get("/overblik/").content.decode()
    assert "Ny case fra Aalborg" in content


def _overview_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/overblik/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_overview_query_count_is_the_same_for_1_and_50_items(
    client, settings, member, circle_lead, nordjylland, area
):
    settings.KOMDIR_FRAGMENT_CACHE = False  # the full rendering, as on a first view
    notification_services.follow_set(user=member, kind=FollowKind.FOCUS_AREA, object_id=area.pk, active=True)
    notification_services.follow_set(
        user=member, kind=FollowKind.CIRCLE, object_id=nordjylland.pk, active=True
    )
    writer = make_member(municipality_name="Aalborg", email="skribent@kommune.test")

    def add(n):
        case = make_case(writer, area, title=f"Case {n}")
        services.comment_add(author=writer, focus_area=area, body=f"Kommentar {n}")
        make_case(member, area, title=f"Kladde {n}", publish=False)
        meeting = make_meeting(circle_lead, nordjylland, title=f"Møde {n}")
        note_save(
            actor=circle_lead,
            meeting=meeting,
            body="Referat.",
            visibility=NoteVisibility.MEMBERS,
            publish=True,
        )
        return case

    def visit():
        NotificationSettings.objects.filter(user=member).update(
            overview_read_at=timezone.now() - timedelta(days=1)
        )
        client.force_login(member)
        return _overview_queries(client)

    add(0)
    visit()  # warm-up: process-wide caches (content types, translations) fill on a first request
    one = visit()
    for n in range(1, 50):
        add(n)
    fifty = visit()
    assert one == fifty
    assert fifty <= 12
