"""Nothing a member writes is lost when the session runs out while they write.

As it really happens: the CSRF check is enforced, the member logs in through the login form
and opens the form, the session then ends (two hours idle, or the session row is gone), and
the member presses "send". The CSRF cookie outlives the session, so the POST reaches the
view as a visitor's: it must land on the login page, keep the text, and give it back on the
form after login -- prefilled, with a message, and never sent on its own.
"""

import html
import re
import time
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from circles.models import Circle, Meeting, MeetingNote
from focus import selectors, services
from focus.models import Case, Comment, FocusArea
from komdir.lib import kept
from komdir.middleware import SEEN_AT_KEY
from tests.circles.conftest import future, make_meeting
from tests.factories import PASSWORD
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db

KEPT_MESSAGE = "Du blev logget ud. Vi har gemt det, du skrev — tjek og send igen."
TEXT = "Vores erfaringer med ældreplejen: «tre år» & 100 % på plads <ingen html>"


def csrf(client) -> str:
    return client.cookies["csrftoken"].value


def log_in(client, user, next_url="") -> object:
    login_url = "/accounts/login/" + (f"?next={quote(next_url, safe='/')}" if next_url else "")
    client.get(login_url)
    response = client.post(
        login_url, {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf(client)}
    )
    assert response.status_code == 302, response.content[:300]
    return response


def end_session(client, how: str) -> None:
    if how == "idle":
        session = client.session
        session[SEEN_AT_KEY] = int(time.time()) - 3 * 60 * 60
        session.save()
    else:
        Session.objects.all().delete()


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def form_cases(member, circle_lead, area):
    """(user, form path, posted fields, the text that must come back, count of what is created)."""
    case = make_case(member, area, title="Min case", public=False)
    meeting = make_meeting(actor=circle_lead, circle=Circle.objects.get(slug="nordjylland"))
    comment = services.comment_add(author=member, body="Første kommentar", case=case)
    when = future(20)
    return {
        "case create": (
            member,
            "/cases/ny/",
            {"title": "Ny case", "summary": "Kort", "body": TEXT, "focus_area": area.pk, "action": "publish"},
            Case.objects.count,
        ),
        "case edit": (
            member,
            f"/cases/{case.pk}/rediger/",
            {
                "title": "Min case",
                "summary": "Kort",
                "body": TEXT,
                "focus_area": area.pk,
                "version": case.version,
                "action": "save",
            },
            lambda: Case.objects.filter(body=TEXT).count(),
        ),
        "comment on a case": (
            member,
            f"/kommentarer/ny/case/{case.pk}/",
            {"body": TEXT, "submission_token": "a" * 32},
            Comment.objects.count,
        ),
        "reply": (
            member,
            f"/kommentarer/{comment.pk}/svar/",
            {"body": TEXT, "submission_token": "b" * 32},
            Comment.objects.count,
        ),
        "comment edit": (
            member,
            f"/kommentarer/{comment.pk}/rediger/",
            {"body": TEXT},
            lambda: Comment.objects.filter(body=TEXT).count(),
        ),
        "meeting create": (
            circle_lead,
            "/kredse/nordjylland/moeder/nyt/",
            {
                "title": "Kredsmøde om ældre",
                "starts_at": when.strftime("%Y-%m-%dT10:00"),
                "ends_at": when.strftime("%Y-%m-%dT12:00"),
                "location": "Rådhuset",
                "agenda": TEXT,
            },
            Meeting.objects.count,
        ),
        "meeting edit": (
            circle_lead,
            f"/moeder/{meeting.pk}/rediger/",
            {
                "title": "Kredsmøde",
                "starts_at": when.strftime("%Y-%m-%dT10:00"),
                "ends_at": when.strftime("%Y-%m-%dT12:00"),
                "location": "Rådhuset",
                "agenda": TEXT,
            },
            lambda: Meeting.objects.filter(agenda=TEXT).count(),
        ),
        "note": (
            circle_lead,
            f"/moeder/{meeting.pk}/referat/",
            {"body": TEXT, "visibility": "circle", "base_revision": 0},
            MeetingNote.objects.count,
        ),
        "profile": (
            member,
            "/medlemmer/mig/rediger/",
            {"first_name": "Anne", "last_name": "Jensen", "title": "Direktør", "bio": TEXT},
            lambda: type(member).objects.filter(profile__bio=TEXT).count(),
        ),
    }


KINDS = [
    "case create",
    "case edit",
    "comment on a case",
    "reply",
    "comment edit",
    "meeting create",
    "meeting edit",
    "note",
    "profile",
]


@pytest.mark.parametrize("how", ["idle", "session gone"])
@pytest.mark.parametrize("kind", KINDS)
def test_text_posted_after_the_session_ended_comes_back_on_the_form_after_login(
    browser, member, circle_lead, area, kind, how
):
    user, path, fields, created = form_cases(member, circle_lead, area)[kind]
    log_in(browser, user)
    assert browser.get(path).status_code == 200
    before = created()
    end_session(browser, how)

    response = browser.post(path, {**fields, "csrfmiddlewaretoken": csrf(browser)})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(path, safe='/')}"
    assert created() == before
    response = log_in(browser, user, next_url=path)
    assert response["Location"] == path
    page = browser.get(path)
    assert page.status_code == 200
    content = page.content.decode()
    assert KEPT_MESSAGE in content
    assert html.escape(TEXT, quote=False) in content or html.escape(TEXT) in content
    # Given back to check, never sent for the member.
    assert created() == before
    # Once only: the next visit to the form starts from the saved state again.
    again = browser.get(path).content.decode()
    assert KEPT_MESSAGE not in again


def test_a_case_draft_kept_over_login_keeps_its_choices(browser, member, area):
    question = area.questions.order_by("order").first()
    log_in(browser, member)
    browser.get("/cases/ny/")
    end_session(browser, "idle")
    browser.post(
        "/cases/ny/",
        {
            "title": "Med valg",
            "summary": "Kort",
            "body": TEXT,
            "focus_area": area.pk,
            "questions": [question.pk],
            "is_public": "on",
            "tags": "ældre, rekruttering",
            "csrfmiddlewaretoken": csrf(browser),
        },
    )
    log_in(browser, member, next_url="/cases/ny/")
    content = browser.get("/cases/ny/").content.decode()
    assert re.search(rf'<option value="{area.pk}"[^>]*selected', content)
    assert re.search(rf'value="{question.pk}"[^>]*checked|checked[^>]*value="{question.pk}"', content)
    assert re.search(r'name="is_public"[^>]*checked|checked[^>]*name="is_public"', content)
    assert 'value="ældre, rekruttering"' in content


def test_kept_text_is_not_given_to_someone_else_on_the_same_browser(browser, member, other_member, area):
    log_in(browser, member)
    browser.get("/cases/ny/")
    end_session(browser, "idle")
    browser.post("/cases/ny/", {"title": "Hemmelig", "body": TEXT, "csrfmiddlewaretoken": csrf(browser)})
    log_in(browser, other_member, next_url="/cases/ny/")
    content = browser.get("/cases/ny/").content.decode()
    assert "Hemmelig" not in content
    assert KEPT_MESSAGE not in content


def test_a_post_without_text_keeps_nothing(browser, member, area):
    case = make_case(member, area, public=False)
    browser.get("/accounts/login/")
    path = f"/kommentarer/ny/case/{case.pk}/"
    response = browser.post(path, {"body": "   ", "csrfmiddlewaretoken": csrf(browser)})
    assert response["Location"] == f"/accounts/login/?next={quote(path, safe='/')}"
    assert kept.SESSION_KEY not in browser.session


def test_files_tokens_and_passwords_are_never_kept(browser, member, area):
    log_in(browser, member)
    browser.get("/cases/ny/")
    end_session(browser, "idle")
    browser.post(
        "/cases/ny/",
        {"title": "T", "body": TEXT, "password": "hemmeligt", "csrfmiddlewaretoken": csrf(browser)},
    )
    stored = next(iter(browser.session[kept.SESSION_KEY].values()))["fields"]
    assert stored == {"title": ["T"], "body": [TEXT]}


# --- The same form sent twice makes one thing ----------------------------------------------

ALREADY_SENT = "Du har allerede sendt formularen, så vi har ikke gemt den igen. Her er det, du sendte."
TOKEN = re.compile(r'name="submission_token" value="([0-9a-f]{32})"')


def token_from(client, path: str) -> str:
    match = TOKEN.search(client.get(path).content.decode())
    assert match, f"no submission token on {path}"
    return match.group(1)


@pytest.mark.parametrize("action", ["publish", "draft"])
def test_a_case_form_sent_twice_makes_one_case(member_client, area, action):
    token = token_from(member_client, "/cases/ny/")
    fields = {
        "title": "Én gang",
        "summary": "Kort",
        "body": TEXT,
        "focus_area": area.pk,
        "action": action,
        "submission_token": token,
    }
    first = member_client.post("/cases/ny/", fields)
    # Back after "Offentliggør" and send again, or a double click: the same form view's token.
    second = member_client.post("/cases/ny/", fields, follow=True)
    case = Case.objects.get()
    assert first["Location"] == case.get_absolute_url()
    assert second.redirect_chain == [(case.get_absolute_url(), 302)]
    assert ALREADY_SENT in second.content.decode()


@pytest.mark.parametrize("action", ["publish", "draft"])
def test_back_after_sending_a_case_and_sending_again_makes_one_case(member_client, area, action):
    """Back loads the form afresh (pages are never cached), so it carries a new token, while the
    browser puts the typed text back into the fields."""
    fields = {"title": "Én gang", "summary": "Kort", "body": TEXT, "focus_area": area.pk, "action": action}
    first = member_client.post(
        "/cases/ny/", fields | {"submission_token": token_from(member_client, "/cases/ny/")}
    )
    again = fields | {"submission_token": token_from(member_client, "/cases/ny/")}
    second = member_client.post("/cases/ny/", again, follow=True)
    case = Case.objects.get()
    assert first["Location"] == case.get_absolute_url()
    assert second.redirect_chain == [(case.get_absolute_url(), 302)]
    assert ALREADY_SENT in second.content.decode()


def test_two_case_forms_make_two_cases(member_client, area):
    for title in ("Første", "Anden"):
        token = token_from(member_client, "/cases/ny/")
        member_client.post(
            "/cases/ny/",
            {"title": title, "summary": "K", "body": "B", "focus_area": area.pk, "submission_token": token},
        )
    assert Case.objects.count() == 2


@pytest.mark.parametrize("where", ["case", "area", "question", "reply", "reply page"])
def test_a_comment_sent_twice_makes_one_comment_on_every_path(member_client, member, area, where):
    case = make_case(member, area, public=False)
    question = area.questions.order_by("order").first()
    top = services.comment_add(author=member, body="Top", case=case)
    page, post = {
        "case": (case.get_absolute_url(), f"/kommentarer/ny/case/{case.pk}/"),
        "area": (f"/droeftelse/area/{area.pk}/", f"/kommentarer/ny/area/{area.pk}/"),
        "question": (f"/droeftelse/question/{question.pk}/", f"/kommentarer/ny/question/{question.pk}/"),
        "reply": (case.get_absolute_url(), f"/kommentarer/{top.pk}/svar/"),
        "reply page": (f"/kommentarer/{top.pk}/svar/", f"/kommentarer/{top.pk}/svar/"),
    }[where]
    token = token_from(member_client, page)
    before = Comment.objects.count()
    first = member_client.post(post, {"body": TEXT, "submission_token": token})
    second = member_client.post(post, {"body": TEXT, "submission_token": token}, follow=True)
    assert Comment.objects.count() == before + 1
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert ALREADY_SENT in second.content.decode()


@pytest.mark.parametrize("where", ["case", "area", "question", "reply", "reply page"])
def test_back_after_sending_a_comment_and_sending_again_makes_one_comment_on_every_path(
    member_client, member, area, where
):
    """Back loads the form page afresh (never cached): a new token, and the browser puts the
    typed text back. The same text from the same author to the same target is the same comment."""
    case = make_case(member, area, public=False)
    question = area.questions.order_by("order").first()
    top = services.comment_add(author=member, body="Top", case=case)
    page, post = {
        "case": (case.get_absolute_url(), f"/kommentarer/ny/case/{case.pk}/"),
        "area": (f"/droeftelse/area/{area.pk}/", f"/kommentarer/ny/area/{area.pk}/"),
        "question": (f"/droeftelse/question/{question.pk}/", f"/kommentarer/ny/question/{question.pk}/"),
        "reply": (case.get_absolute_url(), f"/kommentarer/{top.pk}/svar/"),
        "reply page": (f"/kommentarer/{top.pk}/svar/", f"/kommentarer/{top.pk}/svar/"),
    }[where]
    before = Comment.objects.count()
    first = member_client.post(post, {"body": TEXT, "submission_token": token_from(member_client, page)})
    again = {"body": TEXT, "submission_token": token_from(member_client, page)}
    second = member_client.post(post, again, follow=True)
    assert Comment.objects.count() == before + 1
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert ALREADY_SENT in second.content.decode()


def test_the_same_short_answer_to_two_targets_is_two_comments(member_client, member, area):
    case = make_case(member, area, public=False)
    question = area.questions.order_by("order").first()
    top = services.comment_add(author=member, body="Top", case=case)
    other_top = services.comment_add(author=member, body="Anden", case=case)
    targets = [
        (case.get_absolute_url(), f"/kommentarer/ny/case/{case.pk}/"),
        (f"/droeftelse/area/{area.pk}/", f"/kommentarer/ny/area/{area.pk}/"),
        (f"/droeftelse/question/{question.pk}/", f"/kommentarer/ny/question/{question.pk}/"),
        (case.get_absolute_url(), f"/kommentarer/{top.pk}/svar/"),
        (case.get_absolute_url(), f"/kommentarer/{other_top.pk}/svar/"),
    ]
    for page, post in targets:
        response = member_client.post(
            post, {"body": "Enig.", "submission_token": token_from(member_client, page)}
        )
        assert response.status_code == 302
    assert Comment.objects.filter(body="Enig.").count() == len(targets)


def test_sending_the_same_text_again_after_the_window_is_a_new_comment(member_client, member, area):
    post = f"/kommentarer/ny/area/{area.pk}/"
    member_client.post(post, {"body": "Enig.", "submission_token": "a" * 32})
    Comment.objects.filter(body="Enig.").update(created_at=timezone.now() - selectors.RESUBMIT_WINDOW * 2)
    member_client.post(post, {"body": "Enig.", "submission_token": "b" * 32})
    assert Comment.objects.filter(body="Enig.").count() == 2


def test_the_same_token_with_another_text_is_a_comment_of_its_own(member_client, member, area):
    # Two tabs of a cached page carry the same form token: the second text must not be lost.
    case = make_case(member, area, public=False)
    post = f"/kommentarer/ny/case/{case.pk}/"
    member_client.post(post, {"body": "Fra fane 1", "submission_token": "d" * 32})
    member_client.post(post, {"body": "Fra fane 2", "submission_token": "d" * 32})
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["Fra fane 1", "Fra fane 2"]


def test_a_meeting_form_sent_twice_makes_one_meeting(client, circle_lead):
    client.force_login(circle_lead)
    path = "/kredse/nordjylland/moeder/nyt/"
    token = token_from(client, path)
    when = future(20)
    fields = {
        "title": "Kredsmøde",
        "starts_at": when.strftime("%Y-%m-%dT10:00"),
        "ends_at": when.strftime("%Y-%m-%dT12:00"),
        "submission_token": token,
    }
    client.post(path, fields)
    second = client.post(path, fields, follow=True)
    meeting = Meeting.objects.get()
    assert second.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert ALREADY_SENT in second.content.decode()


def test_a_report_sent_twice_makes_one_report(member_client, member, area):
    from focus.models import Report

    case = make_case(member, area, public=False)
    path = f"/indberet/case/{case.pk}/"
    token = token_from(member_client, path)
    member_client.post(path, {"reason": "Forkert", "submission_token": token})
    second = member_client.post(path, {"reason": "Forkert", "submission_token": token}, follow=True)
    assert Report.objects.count() == 1
    assert ALREADY_SENT in second.content.decode()


# --- A draft needs only a title -------------------------------------------------------------

PUBLISH_NEEDS = (
    "Før casen kan offentliggøres, skal den have et fokusområde, et kort resumé og en beskrivelse."
)


def test_a_draft_can_be_saved_with_only_a_title(member_client, member):
    token = token_from(member_client, "/cases/ny/")
    response = member_client.post(
        "/cases/ny/", {"title": "Kun en titel", "action": "draft", "submission_token": token}
    )
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert case.is_draft and case.title == "Kun en titel" and case.focus_area is None
    assert member_client.get(case.get_absolute_url()).status_code == 200
    assert "Kun en titel" in member_client.get("/cases/mine-kladder/").content.decode()
    assert member_client.get(f"/cases/{case.pk}/rediger/").status_code == 200


def test_publishing_still_needs_everything(member_client, member, area):
    response = member_client.post("/cases/ny/", {"title": "Kun en titel", "action": "publish"})
    assert response.status_code == 200
    content = response.content.decode()
    # summary, body and focus area: in the error summary and at each field
    assert content.count("Dette felt er påkrævet.") == 6
    assert not Case.objects.exists()
    draft = services.case_create(author=member, focus_area=None, title="Kladde")
    response = member_client.post(
        f"/cases/{draft.pk}/rediger/", {"title": "Kladde", "action": "publish", "version": draft.version}
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.is_draft
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.case_publish(case=draft, actor=member)
    assert PUBLISH_NEEDS in str(exc.value)
    # Completed, it publishes.
    member_client.post(
        f"/cases/{draft.pk}/rediger/",
        {
            "title": "Kladde",
            "summary": "Kort",
            "body": "Tekst",
            "focus_area": area.pk,
            "action": "publish",
            "version": draft.version,
        },
    )
    draft.refresh_from_db()
    assert not draft.is_draft
