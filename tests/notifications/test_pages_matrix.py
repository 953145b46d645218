"""Who may open the pages of this issue: visitor, member, circle lead, secretariat."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/overblik/", "/medlemmer/mig/notifikationer/", "/soeg/?q=velf%C3%A6rd"]


@pytest.mark.parametrize("url", PAGES)
def test_visitor(client, url):
    response = client.get(url)
    if url.startswith("/soeg/"):
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_member(member_client, url):
    assert member_client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_circle_lead(client, circle_lead, url):
    client.force_login(circle_lead)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_secretariat(secretariat_client, url):
    assert secretariat_client.get(url).status_code == 200


def test_follow_needs_post(member_client, db):
    from focus.models import FocusArea

    area = FocusArea.objects.filter(period__status="current").first()
    assert member_client.get(f"/foelg/area/{area.pk}/").status_code == 405
