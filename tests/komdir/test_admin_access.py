import pytest

from tests.factories import UserFactory


@pytest.mark.django_db
def test_visitor_is_sent_to_the_portal_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_member_who_is_not_staff_gets_404(member_client):
    response = member_client.get("/admin/", follow=True)
    assert response.status_code == 404


@pytest.mark.django_db
def test_staff_without_two_factor_is_refused_and_sent_to_set_it_up(client, password):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.post("/accounts/login/", {"login": staff.email, "password": password})
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/")
    assert "/2fa/" in response.redirect_chain[-1][0] or "reauthenticate" in response.redirect_chain[-1][0]
    assert client.get("/admin/members/user/").status_code == 302


@pytest.mark.django_db
def test_staff_with_totp_must_give_the_code_before_the_admin_opens(client, secretariat, password):
    response = client.post("/accounts/login/", {"login": secretariat.email, "password": password})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_staff_with_password_and_totp_reaches_the_admin(secretariat_client):
    response = secretariat_client.get("/admin/")
    assert response.status_code == 200
    assert "Sekretariatets værktøjer" in response.content.decode()
    for url in ("/admin/members/invitation/", "/admin/focus/focusarea/", "/admin/circles/circle/"):
        assert secretariat_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_secretariat_edits_a_guiding_question_and_the_site_shows_it(secretariat_client, client):
    from focus.models import GuidingQuestion

    question = GuidingQuestion.objects.order_by("pk").first()
    url = f"/admin/focus/guidingquestion/{question.pk}/change/"
    response = secretariat_client.post(
        url, {"focus_area": question.focus_area_id, "text": "Hvordan gør vi det endnu bedre?", "order": 1}
    )
    assert response.status_code == 302
    assert (
        "Hvordan gør vi det endnu bedre?"
        in client.get(question.focus_area.get_absolute_url()).content.decode()
    )
