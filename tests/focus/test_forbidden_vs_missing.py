"""One rule for the whole portal when a write is refused.

What a user may not see answers 404 ("Siden findes ikke"), so nothing is revealed; what they
may see but not do answers 403 with a Danish page in the portal's layout; never a 500. A focus
service that refuses raises an error Django already answers with 403, so a caller that forgot
to check first still gives the member a page, not a crash.
"""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.urls import include, path

from focus import services
from focus.models import Case, Comment, Report
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db

FORBIDDEN_TEXT = "Du har ikke adgang til at gøre dette"


def _assert_forbidden(response):
    assert response.status_code == 403, response.status_code
    html = response.content.decode()
    assert FORBIDDEN_TEXT in html
    # The portal's own layout (header, skip link), not Django's bare "403 Forbidden".
    assert "Gå til sidens indhold" in html
    assert "<h1>403 Forbidden</h1>" not in html


def _assert_missing(response):
    assert response.status_code == 404, response.status_code
    assert "Siden findes ikke" in response.content.decode()


@pytest.fixture
def others_case(other_member, area):
    return make_case(other_member, area, title="Andens case", public=True)


def test_editing_someone_elses_visible_case_is_403_and_changes_nothing(client, member, others_case):
    client.force_login(member)
    _assert_forbidden(client.get(f"/cases/{others_case.pk}/rediger/"))
    response = client.post(
        f"/cases/{others_case.pk}/rediger/",
        {
            "title": "Overtaget",
            "summary": "x",
            "body": "x",
            "focus_area": others_case.focus_area_id,
            "version": others_case.version,
            "action": "save",
        },
    )
    _assert_forbidden(response)
    others_case.refresh_from_db()
    assert others_case.title == "Andens case" and others_case.version == 1
    assert not others_case.revisions.exists()


def test_editing_someone_elses_draft_is_404(client, member, other_member, area):
    draft = make_case(other_member, area, title="Andens kladde", publish=False)
    client.force_login(member)
    _assert_missing(client.get(f"/cases/{draft.pk}/rediger/"))
    _assert_missing(client.post(f"/cases/{draft.pk}/rediger/", {"title": "Overtaget"}))
    draft.refresh_from_db()
    assert draft.title == "Andens kladde"


def test_a_hidden_case_is_404_for_its_author_and_403_for_the_secretariat_who_sees_it(
    client, member, secretariat, hidden_case
):
    client.force_login(member)
    _assert_missing(client.get(f"/cases/{hidden_case.pk}/rediger/"))
    client.force_login(secretariat)
    # The secretariat sees hidden cases but edits them in admin, not in the portal's form.
    _assert_forbidden(client.get(f"/cases/{hidden_case.pk}/rediger/"))


def test_editing_and_deleting_someone_elses_comment_is_403(client, member, other_member, public_case):
    comment = services.comment_add(author=other_member, body="Original", case=public_case)
    client.force_login(member)
    for suffix in ("rediger", "slet"):
        _assert_forbidden(client.get(f"/kommentarer/{comment.pk}/{suffix}/"))
    _assert_forbidden(client.post(f"/kommentarer/{comment.pk}/rediger/", {"body": "Ændret"}))
    _assert_forbidden(client.post(f"/kommentarer/{comment.pk}/slet/"))
    comment.refresh_from_db()
    assert comment.body == "Original" and not comment.is_deleted and comment.version == 1


def test_replying_to_a_reply_is_403_and_to_an_invisible_comment_404(
    client, member, other_member, public_case, secretariat
):
    top = services.comment_add(author=member, body="Top", case=public_case)
    reply = services.comment_add(author=other_member, body="Svar", parent=top)
    hidden = services.content_hide(
        obj=services.comment_add(author=other_member, body="Skjult", case=public_case),
        actor=secretariat,
        reason="Test.",
    )
    client.force_login(member)
    _assert_forbidden(client.post(f"/kommentarer/{reply.pk}/svar/", {"body": "Svar på svar"}))
    _assert_missing(client.post(f"/kommentarer/{hidden.pk}/svar/", {"body": "Svar på skjult"}))
    assert not Comment.objects.filter(parent__in=[reply, hidden]).exists()


def test_commenting_on_or_reporting_ones_own_draft_is_403(client, member, draft_case):
    client.force_login(member)
    _assert_forbidden(client.post(f"/kommentarer/ny/case/{draft_case.pk}/", {"body": "x"}))
    _assert_forbidden(client.post(f"/indberet/case/{draft_case.pk}/", {"reason": "x"}))
    assert not Comment.objects.exists() and not Report.objects.exists()


def test_commenting_on_someone_elses_draft_is_404(client, other_member, draft_case):
    client.force_login(other_member)
    _assert_missing(client.post(f"/kommentarer/ny/case/{draft_case.pk}/", {"body": "x"}))
    _assert_missing(client.post(f"/indberet/case/{draft_case.pk}/", {"reason": "x"}))
    assert not Comment.objects.exists() and not Report.objects.exists()


def test_a_visitor_who_may_see_the_case_but_not_edit_it_is_asked_to_log_in(client, others_case):
    path = f"/cases/{others_case.pk}/rediger/"
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


# --- A service's refusal reaches the member as 403, never as a 500 ----------------------------------


def _refusing_caller(request, kind, pk):
    """A caller that forgot to ask the policy first and lets the service decide."""
    if kind == "case":
        services.case_update(
            case=Case.objects.get(pk=pk),
            editor=request.user,
            focus_area=None,
            title="x",
            summary="x",
            body="x",
        )
    elif kind == "publish":
        services.case_publish(case=Case.objects.get(pk=pk), actor=request.user)
    elif kind == "edit":
        services.comment_edit(comment=Comment.objects.get(pk=pk), editor=request.user, body="Overtaget")
    elif kind == "delete":
        services.comment_delete(comment=Comment.objects.get(pk=pk), actor=request.user)
    elif kind == "reply":
        services.comment_add(author=request.user, body="x", parent=Comment.objects.get(pk=pk))
    elif kind == "hide":
        services.content_hide(obj=Case.objects.get(pk=pk), actor=request.user, reason="Nej")
    elif kind == "report":
        services.report_create(reporter=request.user, reason="x", case=Case.objects.get(pk=pk))
    return HttpResponse("skrevet")


urlpatterns = [
    path("test-refusal/<str:kind>/<int:pk>/", _refusing_caller),
    path("", include("komdir.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("kind", ["case", "publish", "edit", "delete", "reply", "hide", "report"])
def test_a_service_refusal_is_a_danish_403_not_a_500(client, member, other_member, area, kind):
    draft = make_case(other_member, area, title="Andens kladde", publish=False)
    published = make_case(other_member, area, title="Andens case")
    top = services.comment_add(author=other_member, body="Top", case=published)
    reply = services.comment_add(author=other_member, body="Svar", parent=top)
    pk = {
        "case": published.pk,
        "publish": draft.pk,
        "edit": top.pk,
        "delete": top.pk,
        "reply": reply.pk,
        "hide": published.pk,
        "report": draft.pk,
    }[kind]
    client.raise_request_exception = False
    client.force_login(member)
    _assert_forbidden(client.get(f"/test-refusal/{kind}/{pk}/"))
    assert Case.objects.get(pk=published.pk).title == "Andens case"
    assert Case.objects.get(pk=draft.pk).is_draft
    assert Comment.objects.filter(body="Overtaget").count() == 0
    assert Comment.objects.get(pk=top.pk).deleted_at is None
    assert Comment.objects.count() == 2 and not Report.objects.exists()


def test_every_focus_refusal_is_the_error_django_answers_with_403():
    assert issubclass(services.PermissionDenied, DjangoPermissionDenied)
