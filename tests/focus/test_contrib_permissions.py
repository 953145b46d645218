"""The permission matrix for cases, comments and reports: every role against every page and action."""

from urllib.parse import quote

import pytest

from focus import policies, services
from focus.models import Case, Comment, Report
from tests.focus.conftest import make_case

ROLES = ["visitor", "author", "other_member", "circle_lead", "secretariat"]
LOGIN = "login"  # a visitor on a members' page is sent to log in, with the page as next=


def assert_status(response, expected, path: str, *context) -> None:
    """`expected` is a status code, or LOGIN: exactly the login page with next=path."""
    if expected == LOGIN:
        assert response.status_code == 302, (response.status_code, *context)
        assert response["Location"] == f"/accounts/login/?next={quote(path, safe='/')}", context
    else:
        assert response.status_code == expected, (response.status_code, *context)


def refused(role: str, *, sees: bool = False):
    """What a members' page answers a role that may not do it: a visitor is asked to log in; a
    member gets 403 when they see the object, 404 when they may not even see it."""
    if role == "visitor":
        return LOGIN
    return 403 if sees else 404


@pytest.fixture
def as_role(client, member, other_member, circle_lead, secretariat):
    users = {
        "visitor": None,
        "author": member,
        "other_member": other_member,
        "circle_lead": circle_lead,
        "secretariat": secretariat,
    }

    def login(role):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        return client, users[role]

    return login


# expected status of the case page, per case kind and role
CASE_PAGE = {
    "public": {"visitor": 200, "author": 200, "other_member": 200, "circle_lead": 200, "secretariat": 200},
    "members": {"visitor": LOGIN, "author": 200, "other_member": 200, "circle_lead": 200, "secretariat": 200},
    "draft": {"visitor": LOGIN, "author": 200, "other_member": 404, "circle_lead": 404, "secretariat": 404},
    "hidden": {"visitor": LOGIN, "author": 404, "other_member": 404, "circle_lead": 404, "secretariat": 200},
}


@pytest.fixture
def cases(public_case, members_case, draft_case, hidden_case):
    return {"public": public_case, "members": members_case, "draft": draft_case, "hidden": hidden_case}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_case_page_and_case_list_follow_the_matrix(as_role, cases, role):
    client, _user = as_role(role)
    listing = client.get("/cases/").content.decode()
    for kind, case in cases.items():
        expected = CASE_PAGE[kind][role]
        url = case.get_absolute_url()
        assert_status(client.get(url), expected, url, kind, role)
        # the case list shows published cases only; drafts live under "Mine kladder"
        in_list = expected == 200 and kind != "draft"
        assert (case.get_absolute_url() in listing) is in_list, (kind, role)


@pytest.mark.django_db
def test_hidden_case_is_marked_for_the_secretariat(client, secretariat, hidden_case):
    client.force_login(secretariat)
    html = client.get(hidden_case.get_absolute_url()).content.decode()
    assert "Skjult af sekretariatet" in html
    assert "Personfølsomme oplysninger" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_author_edits_a_case(as_role, cases, role):
    client, _user = as_role(role)
    for kind in ("public", "members", "draft"):
        case = cases[kind]
        url = f"/cases/{case.pk}/rediger/"
        expected = refused(role, sees=CASE_PAGE[kind][role] == 200)
        assert_status(client.get(url), 200 if role == "author" else expected, url, kind, role)
        response = client.post(
            f"/cases/{case.pk}/rediger/",
            {
                "title": "Overtaget",
                "summary": "x",
                "body": "x",
                "focus_area": case.focus_area_id,
                "action": "save",
            },
        )
        if role != "author":
            assert_status(response, expected, url, kind, role)
    for case in Case.objects.exclude(author__email="medlem@kommune.test"):
        pytest.fail(f"unexpected case {case}")
    if role != "author":
        assert not Case.objects.filter(title="Overtaget").exists()


@pytest.mark.django_db
def test_hidden_case_cannot_be_edited_even_by_its_author(client, member, hidden_case):
    client.force_login(member)
    assert client.get(f"/cases/{hidden_case.pk}/rediger/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_create_case_and_my_drafts(as_role, draft_case, role):
    client, _user = as_role(role)
    create = client.get("/cases/ny/")
    drafts = client.get("/cases/mine-kladder/")
    if role == "visitor":
        assert create.status_code == 302 and "/accounts/login/" in create["Location"]
        assert drafts.status_code == 302
        return
    assert create.status_code == 200
    assert drafts.status_code == 200
    assert ("Min kladde" in drafts.content.decode()) is (role == "author")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_comments_are_for_members_only(as_role, member, area, question, members_case, public_case, role):
    services.comment_add(author=member, body="Medlemskommentar om casen", case=public_case)
    services.comment_add(author=member, body="Medlemskommentar om området", focus_area=area)
    services.comment_add(author=member, body="Medlemskommentar om spørgsmålet", question=question)
    client, _user = as_role(role)
    case_html = client.get(public_case.get_absolute_url()).content.decode()
    area_html = client.get(area.get_absolute_url()).content.decode()
    member_view = role != "visitor"
    assert ("Medlemskommentar om casen" in case_html) is member_view
    assert ("Medlemskommentar om området" in area_html) is member_view
    assert ("Medlemskommentar om spørgsmålet" in area_html) is member_view
    before = Comment.objects.count()
    for url in (
        f"/kommentarer/ny/case/{public_case.pk}/",
        f"/kommentarer/ny/area/{area.pk}/",
        f"/kommentarer/ny/question/{question.pk}/",
    ):
        response = client.post(url, {"body": f"Ny fra {role}"})
        if member_view:
            assert response.status_code == 302, (url, role)
            assert not response["Location"].startswith("/accounts/login/")
        else:
            assert_status(response, LOGIN, url, role)
    assert Comment.objects.count() == before + (3 if member_view else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_comments_on_drafts_and_hidden_cases_are_refused(as_role, draft_case, hidden_case, role):
    """404 for whoever may not see the case; 403 for whoever sees it (the author their draft, the
    secretariat the hidden case) but may not comment on it."""
    client, _user = as_role(role)
    for kind, case in (("draft", draft_case), ("hidden", hidden_case)):
        url = f"/kommentarer/ny/case/{case.pk}/"
        expected = refused(role, sees=CASE_PAGE[kind][role] == 200)
        assert_status(client.post(url, {"body": "x"}), expected, url, kind, role)
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_author_edits_and_deletes_a_comment(as_role, member, public_case, role):
    comment = services.comment_add(author=member, body="Original", case=public_case)
    client, _user = as_role(role)
    own = role == "author"
    # Members see the comment (403 when it is not theirs); a visitor is asked to log in.
    for url in (f"/kommentarer/{comment.pk}/rediger/", f"/kommentarer/{comment.pk}/slet/"):
        assert_status(client.get(url), 200 if own else refused(role, sees=True), url, role)
    client.post(f"/kommentarer/{comment.pk}/rediger/", {"body": "Ændret"})
    comment.refresh_from_db()
    assert (comment.body == "Ændret") is own
    client.post(f"/kommentarer/{comment.pk}/slet/")
    comment.refresh_from_db()
    assert comment.is_deleted is own


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_any_member_can_report_a_case_or_a_comment(as_role, member, public_case, role):
    comment = services.comment_add(author=member, body="Kommentar", case=public_case)
    client, _user = as_role(role)
    allowed = role != "visitor"
    for url, reason in (
        (f"/indberet/case/{public_case.pk}/", "Forkerte oplysninger"),
        (f"/indberet/comment/{comment.pk}/", "Upassende"),
    ):
        response = client.post(url, {"reason": reason})
        if allowed:
            assert response.status_code == 302
            assert not response["Location"].startswith("/accounts/login/")
        else:
            assert_status(response, LOGIN, url, role)
    assert Report.objects.count() == (2 if allowed else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_hidden_comments_disappear_for_members_and_stay_marked_for_the_secretariat(
    as_role, member, other_member, secretariat, public_case, area, role
):
    hidden = services.comment_add(author=other_member, body="Skjult kommentartekst", case=public_case)
    reply = services.comment_add(author=member, body="Svar til skjult kommentar", parent=hidden)
    area_hidden = services.comment_add(author=other_member, body="Skjult områdekommentar", focus_area=area)
    for comment in (hidden, area_hidden):
        services.content_hide(obj=comment, actor=secretariat, reason="Krænkende")
    client, _user = as_role(role)
    case_html = client.get(public_case.get_absolute_url()).content.decode()
    area_html = client.get(area.get_absolute_url()).content.decode()
    home_html = client.get("/").content.decode()
    seen = role == "secretariat"
    for text in ("Skjult kommentartekst", "Svar til skjult kommentar"):
        assert (text in case_html) is seen, (text, role)
        assert text not in home_html
    assert ("Skjult områdekommentar" in area_html) is seen
    if seen:
        assert "Skjult af sekretariatet" in case_html
    for pk in (hidden.pk, reply.pk):
        url = f"/indberet/comment/{pk}/"
        assert_status(client.get(url), 200 if seen else refused(role), url, role)


@pytest.mark.django_db
def test_permission_functions_agree_with_visible_to(member, other_member, secretariat, cases):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), member, other_member, secretariat):
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        for case in cases.values():
            assert policies.cases.can_view(user, case) is (case.pk in visible), (user, case)


@pytest.mark.django_db
def test_visitor_sees_only_public_cases_on_home_and_area_pages(client, cases, area):
    home = client.get("/").content.decode()
    area_html = client.get(area.get_absolute_url()).content.decode()
    for kind, case in cases.items():
        assert (case.get_absolute_url() in home) is (kind == "public"), kind
        assert (case.get_absolute_url() in area_html) is (kind == "public"), kind


@pytest.mark.django_db
def test_services_refuse_writes_the_permissions_forbid(member, other_member, draft_case, public_case, area):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.PermissionDenied):
        services.case_publish(case=draft_case, actor=other_member)
    with pytest.raises(services.PermissionDenied):
        services.comment_add(author=other_member, body="x", case=draft_case)
    with pytest.raises(services.PermissionDenied):
        services.content_hide(obj=public_case, actor=member, reason="Nej")
    comment = services.comment_add(author=member, body="x", case=public_case)
    with pytest.raises(services.PermissionDenied):
        services.comment_edit(comment=comment, editor=other_member, body="y")
    with pytest.raises(services.PermissionDenied):
        services.comment_delete(comment=comment, actor=other_member)
    with pytest.raises(services.PermissionDenied):
        make_case(AnonymousUser(), area)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_member_may_reply_once_but_not_to_a_reply(as_role, member, other_member, public_case, role):
    top = services.comment_add(author=member, body="Top", case=public_case)
    reply = services.comment_add(author=other_member, body="Svar", parent=top)
    client, _user = as_role(role)
    member_view = role != "visitor"
    url = f"/kommentarer/{top.pk}/svar/"
    assert_status(client.get(url), 200 if member_view else LOGIN, url, role)
    response = client.post(url, {"body": f"Svar fra {role}"})
    if member_view:
        assert response.status_code == 302
        assert not response["Location"].startswith("/accounts/login/")
    else:
        assert_status(response, LOGIN, url, role)
    # One level of replies: members see the reply but may not answer it (403).
    url = f"/kommentarer/{reply.pk}/svar/"
    assert_status(client.post(url, {"body": "Svar på svar"}), refused(role, sees=True), url, role)
    assert Comment.objects.filter(parent=top).count() == (2 if member_view else 1)
    assert not Comment.objects.filter(parent=reply).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_unknown_targets_are_404_and_adding_a_comment_has_a_form_page(as_role, public_case, role):
    client, _user = as_role(role)
    url = f"/indberet/period/{public_case.pk}/"
    assert_status(client.get(url), refused(role), url, role)
    url = f"/kommentarer/ny/period/{public_case.pk}/"
    assert_status(client.post(url, {"body": "x"}), refused(role), url, role)
    # The page where kept text comes back after a login or a stale form (see komdir.lib.kept).
    url = f"/kommentarer/ny/case/{public_case.pk}/"
    assert_status(client.get(url), LOGIN if role == "visitor" else 200, url, role)
