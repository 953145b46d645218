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
    # Rate limits, TOTP replay protection and page fragments live in the caches; tests must not
    # share them. Every alias, as configured when the test starts and when it ends.
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


SEED_MIGRATIONS = [
    "members.migrations.0002_load_municipalities",
    "circles.migrations.0003_one_circle_per_region",
    "focus.migrations.0002_seed_strategy_2023_2025",
]


@pytest.fixture(autouse=True)
def _seed_content_in_transactional_tests(request):
    """Transactional tests (live_server, on_commit worker tests) flush the database when they
    end, taking the data migrations' rows with them; load the content of record again, as a
    fresh database has it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    from members.models import Municipality

    if not Municipality.objects.exists():
        for module in SEED_MIGRATIONS:
            importlib.import_module(module).load(apps, None)


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


def current_totp_code(secret: str = TOTP_SECRET, margin: float = 5.0) -> str:
    """The TOTP code of the current period, waiting for the next period when fewer than
    `margin` seconds are left, so a slow run never submits a code that expires in flight."""
    import time

    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.2)
    counter = int(time.time()) // period
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
