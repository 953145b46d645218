import pytest

from focus.models import SitePage


@pytest.mark.django_db
def test_unknown_page_is_a_danish_404(client):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_500_page_is_danish_and_needs_no_database():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "Der opstod en fejl" in html
    assert 'lang="da"' in html


@pytest.mark.django_db
def test_base_layout_has_skip_link_language_and_footer_links(client):
    html = client.get("/").content.decode()
    assert '<html lang="da">' in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    for slug in ("om-komdir", "privatlivspolitik", "tilgaengelighedserklaering"):
        assert f"/side/{slug}/" in html
    assert 'name="viewport"' in html
    assert "/static/dkfds/css/dkfds.min.css" in html


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["om-komdir", "privatlivspolitik", "tilgaengelighedserklaering"])
def test_footer_pages_show_the_secretariats_text(client, slug):
    page = SitePage.objects.get(slug=slug)
    response = client.get(f"/side/{slug}/")
    assert response.status_code == 200
    assert page.title in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    assert "Gå til sidens indhold" in client.get("/").content.decode()


@pytest.mark.django_db
def test_pages_send_a_nonce_based_csp_without_unsafe_inline(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_portal_is_danish_even_when_the_browser_prefers_english(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="da">' in html
    assert "Gå til sidens indhold" in html
