"""Every `next=` in the portal, the admin and allauth leads only to our own host.

The payloads are the usual open-redirect tricks (protocol-relative, backslashes, missing
slashes, encodings, whitespace and control characters, javascript:, userinfo). Each answer
is resolved the way a browser resolves a Location header, including a `next` it carries on.
"""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import caches

from focus.models import FocusArea
from tests.conftest import TOTP_SECRET, current_totp_code
from tests.factories import PASSWORD

HOST = "testserver"

PAYLOADS = [
    "https://evil.example/phish",
    "http://evil.example",
    "HTTPS://EVIL.EXAMPLE/",
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "https:///evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "//\\evil.example",
    "https:evil.example",
    "http:evil.example",
    "https:/evil.example",
    "http:\\\\evil.example",
    "https:\\/evil.example",
    "/%2F/evil.example",
    "//evil.example%2F%2E%2E",
    "//evil.example/%2F..",
    " //evil.example",
    "\t//evil.example",
    "\x00//evil.example",
    "\x01https://evil.example",
    "\x1f//evil.example",
    "\u3000//evil.example",
    "/\t/evil.example",
    "/\r/evil.example",
    "//evil.example\t",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    f"https://{HOST}@evil.example",
    f"//{HOST}@evil.example",
    f"https://{HOST}:80@evil.example/",
    f"https://{HOST}.evil.example",
    f"https://evil.example#@{HOST}",
    f"https://evil.example?@{HOST}",
    f"https://evil.example\\@{HOST}",
    f"//evil.example\\@{HOST}",
    "https://evil.example%2F@" + HOST,
    "ftp://evil.example",
    "https://xn--80ak6aa92e.com",
    "//127.0.0.1:9999/",
    "https://[::1]:9999/",
]

# What a browser does with a Location value before it resolves it (WHATWG URL parsing).
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def browser_target(location: str, base: str) -> tuple[str, str]:
    url = location.strip(_C0_AND_SPACE)
    url = re.sub(r"[\t\n\r]", "", url)
    url = url.replace("\\", "/")
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https") and not url[len(scheme) + 1 :].startswith("//"):
        # "https:evil.example" with a base of another scheme reaches the host evil.example.
        url = f"{scheme}://" + url[len(scheme) + 1 :].lstrip("/")
    resolved = urljoin(base, url)
    parts = urlsplit(resolved)
    return parts.scheme.lower(), (parts.hostname or "").lower()


def assert_stays_home(response, payload: str, *, base: str = f"http://{HOST}/"):
    assert response.status_code in (301, 302, 303), (payload, response.status_code)
    location = response["Location"]
    scheme, host = browser_target(location, base)
    assert scheme in ("http", "https") and host == HOST, (payload, location)
    # A redirect to another of our pages may carry the payload on as its own `next`.
    nested = parse_qs(urlsplit(location).query).get("next", [])
    for value in nested:
        scheme, host = browser_target(value, urljoin(base, location))
        assert scheme in ("http", "https") and host == HOST, (payload, location)


def forget_rate_limits():
    # Fifty logins in a row from one address are rate limited, as they should be.
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def staff_with_two_factor_client(client, secretariat):
    response = client.post("/accounts/login/", {"login": secretariat.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302
    return client


# --- The admin -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_login_after_two_factor_stays_on_our_host(staff_with_two_factor_client):
    for payload in PAYLOADS:
        response = staff_with_two_factor_client.get("/admin/login/", {"next": payload})
        assert_stays_home(response, payload)


@pytest.mark.django_db
def test_admin_login_before_two_factor_passes_on_only_our_host(client, secretariat):
    client.force_login(secretariat)  # logged in, but this session has not passed two-factor
    for payload in PAYLOADS:
        assert_stays_home(client.get("/admin/login/", {"next": payload}), payload)


@pytest.mark.django_db
def test_admin_login_for_a_visitor_passes_on_only_our_host(client):
    for payload in PAYLOADS:
        assert_stays_home(client.get("/admin/login/", {"next": payload}), payload)


@pytest.mark.django_db
def test_admin_logout_stays_on_our_host(client, secretariat):
    for payload in PAYLOADS:
        client.force_login(secretariat)
        assert_stays_home(client.post("/admin/logout/", {"next": payload}), payload)


@pytest.mark.django_db
def test_the_whole_admin_login_with_two_factor_ends_on_our_host(client, secretariat):
    """The issue's report: /admin/login/?next=https://evil.example/phish, password, TOTP code."""
    payload = "https://evil.example/phish"
    response = client.get("/admin/login/", {"next": payload})
    login_url = response["Location"]
    assert_stays_home(response, payload)
    next_value = parse_qs(urlsplit(login_url).query).get("next", [""])[0]
    response = client.post(login_url, {"login": secretariat.email, "password": PASSWORD, "next": next_value})
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": current_totp_code()})
    assert_stays_home(response, payload)
    assert client.get("/admin/").status_code == 200


# --- allauth --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_login_stays_on_our_host(client, member):
    for payload in PAYLOADS:
        client.logout()
        forget_rate_limits()
        response = client.post(
            "/accounts/login/", {"login": member.email, "password": PASSWORD, "next": payload}
        )
        assert_stays_home(response, payload)


@pytest.mark.django_db
def test_logout_stays_on_our_host(client, member):
    for payload in PAYLOADS:
        client.force_login(member)
        assert_stays_home(client.post("/accounts/logout/", {"next": payload}), payload)


@pytest.mark.django_db
def test_password_reauthentication_stays_on_our_host(client, member):
    client.force_login(member)
    for payload in PAYLOADS:
        forget_rate_limits()
        response = client.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": payload})
        assert_stays_home(response, payload)


@pytest.mark.django_db
def test_two_factor_reauthentication_stays_on_our_host(client, member):
    TOTP.activate(member, TOTP_SECRET)
    client.force_login(member)
    payload = "//evil.example"
    response = client.post("/accounts/2fa/reauthenticate/", {"code": current_totp_code(), "next": payload})
    assert_stays_home(response, payload)


# --- The portal's own views ----------------------------------------------------------------


@pytest.mark.django_db
def test_language_switch_stays_on_our_host(client):
    for payload in PAYLOADS:
        assert_stays_home(client.post("/i18n/setlang/", {"language": "da", "next": payload}), payload)
        assert_stays_home(client.get("/i18n/setlang/", {"next": payload}), payload)


@pytest.mark.django_db
def test_follow_button_stays_on_our_host(member_client):
    area = FocusArea.objects.order_by("pk").first()
    for payload in PAYLOADS:
        response = member_client.post(f"/foelg/area/{area.pk}/", {"active": "1", "next": payload})
        assert_stays_home(response, payload)


@pytest.mark.django_db
def test_follow_button_for_a_visitor_passes_on_only_our_host(client):
    area = FocusArea.objects.order_by("pk").first()
    for payload in PAYLOADS:
        response = client.post(f"/foelg/area/{area.pk}/", {"active": "1", "next": payload})
        assert_stays_home(response, payload)


@pytest.mark.django_db
def test_a_page_of_our_own_is_still_where_next_leads(staff_with_two_factor_client, member, client):
    response = staff_with_two_factor_client.get("/admin/login/", {"next": "/admin/members/user/?q=a"})
    assert response["Location"] == "/admin/members/user/?q=a"
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD, "next": "/cases/"}
    )
    assert response["Location"] == "/cases/"
