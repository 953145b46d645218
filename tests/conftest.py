import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group

from circles.models import Circle, MembershipRole
from circles.services import membership_set
from members.services import SECRETARIAT_GROUP, secretariat_group_sync
from tests.factories import PASSWORD, UserFactory, make_member

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _fast_and_static(settings):
    # PBKDF2 runs 1.5 M iterations; tests do not need that. No collectstatic in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and TOTP replay protection live in the cache; tests must not share them.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def member(db):
    return make_member(municipality_name="København", email="medlem@kommune.test")


@pytest.fixture
def other_member(db):
    return make_member(municipality_name="Aalborg", email="andet.medlem@kommune.test")


@pytest.fixture
def circle_lead(db):
    user = make_member(municipality_name="Hjørring", email="formand@kommune.test")
    membership_set(user=user, circle=Circle.objects.get(slug="nordjylland"), role=MembershipRole.LEAD)
    return user


@pytest.fixture
def secretariat(db):
    secretariat_group_sync()
    user = UserFactory(email="sekretariat@kommune.test", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    TOTP.activate(user, TOTP_SECRET)
    return user


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    import time

    from allauth.mfa import app_settings

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def secretariat_client(client, secretariat):
    """A client logged in through the real login form with password and TOTP code."""
    response = client.post("/accounts/login/", {"login": secretariat.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302, response.content[:500]
    return client
