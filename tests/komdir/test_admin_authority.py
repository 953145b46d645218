"""Who may change whose account in the admin.

Only a superuser changes anything of a superuser or of a staff member (e-mail addresses,
two-factor, password, flags); the secretariat manages members' e-mail addresses and
two-factor, and every such change is in the audit log. No one reads a two-factor secret.
"""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import Client

from members.services import SECRETARIAT_GROUP, secretariat_group_sync
from tests.conftest import TOTP_SECRET, current_totp_code
from tests.factories import PASSWORD, UserFactory

ATTACKER = "overtager@evil.example"
MEMBER_SECRET = "KRSXG5CTMVRXEZLU"


def two_factor_client(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302, response.content[:300]
    return client


@pytest.fixture
def boss(db):
    user = UserFactory(email="chef@komdir.test", is_staff=True, is_superuser=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def colleague(db):
    """Another member of the secretariat who is not a superuser."""
    secretariat_group_sync()
    user = UserFactory(email="kollega@komdir.test", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture(params=["superuser", "staff"])
def protected(request, boss, colleague):
    """An account only a superuser may change: a superuser, or a staff member."""
    return boss if request.param == "superuser" else colleague


@pytest.fixture
def member_with_totp(member):
    TOTP.activate(member, MEMBER_SECRET)
    return member


def unchanged_account(user, *, email: str):
    user.refresh_from_db()
    assert user.email == email
    assert user.check_password(PASSWORD)
    assert user.is_active
    address = EmailAddress.objects.get(user=user)
    assert address.email == email and address.verified and address.primary
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()


# --- Taking over a superuser or a colleague -------------------------------------------------


@pytest.mark.django_db
def test_secretary_cannot_take_over_a_protected_account_and_reset_its_password(
    secretariat_client, protected, client, mailoutbox
):
    email = protected.email
    address = EmailAddress.objects.get(user=protected)
    totp = Authenticator.objects.get(user=protected, type=Authenticator.Type.TOTP)

    # 1. Change their e-mail address to one the secretary reads.
    response = secretariat_client.post(
        f"/admin/account/emailaddress/{address.pk}/change/",
        {"user": protected.pk, "email": ATTACKER, "verified": "on", "primary": "on"},
    )
    assert response.status_code == 403
    # 2. Delete their two-factor device.
    response = secretariat_client.post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    # 3. Delete their address.
    response = secretariat_client.post(f"/admin/account/emailaddress/{address.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    # 4. Ask for a password reset to the secretary's address.
    client.post("/accounts/password/reset/", {"email": ATTACKER})

    unchanged_account(protected, email=email)
    assert not any("/password/reset/key/" in message.body for message in mailoutbox)


@pytest.mark.django_db
def test_secretary_cannot_give_a_protected_account_an_address_of_her_own(secretariat_client, protected):
    response = secretariat_client.post(
        "/admin/account/emailaddress/add/",
        {"user": protected.pk, "email": ATTACKER, "verified": "on", "primary": "on"},
    )
    assert response.status_code == 200
    assert "Kun en superbruger" in response.content.decode()
    unchanged_account(protected, email=protected.email)


@pytest.mark.django_db
def test_secretary_cannot_move_a_members_address_to_a_protected_account(
    secretariat_client, protected, member
):
    address = EmailAddress.objects.get(user=member)
    secretariat_client.post(
        f"/admin/account/emailaddress/{address.pk}/change/",
        {"user": protected.pk, "email": "flyttet@evil.example", "verified": "on", "primary": ""},
    )
    address.refresh_from_db()
    assert address.user_id == member.pk
    unchanged_account(protected, email=protected.email)


@pytest.mark.django_db
def test_changelist_actions_leave_protected_accounts_alone(secretariat_client, protected):
    address = EmailAddress.objects.get(user=protected)
    extra = EmailAddress.objects.create(user=protected, email="ekstra@komdir.test", verified=False)
    totp = Authenticator.objects.get(user=protected, type=Authenticator.Type.TOTP)

    secretariat_client.post(
        "/admin/account/emailaddress/",
        {"action": "delete_selected", "_selected_action": [address.pk, extra.pk], "post": "yes"},
    )
    secretariat_client.post(
        "/admin/account/emailaddress/", {"action": "make_verified", "_selected_action": [extra.pk]}
    )
    secretariat_client.post(
        "/admin/mfa/authenticator/",
        {"action": "delete_selected", "_selected_action": [totp.pk], "post": "yes"},
    )

    assert EmailAddress.objects.filter(pk__in=[address.pk, extra.pk]).count() == 2
    extra.refresh_from_db()
    assert not extra.verified
    assert Authenticator.objects.filter(pk=totp.pk).exists()


@pytest.mark.django_db
def test_nobody_adds_or_edits_an_authenticator_in_the_admin(secretariat_client, boss, member):
    totp = Authenticator.objects.get(user=boss)
    planted = {"user": member.pk, "type": "totp", "data": json.dumps({"secret": TOTP_SECRET})}
    assert secretariat_client.post("/admin/mfa/authenticator/add/", planted).status_code == 403
    assert secretariat_client.post(f"/admin/mfa/authenticator/{totp.pk}/change/", planted).status_code == 403
    assert not Authenticator.objects.filter(user=member).exists()

    boss_client = two_factor_client(boss)
    assert boss_client.post("/admin/mfa/authenticator/add/", planted).status_code == 403
    assert not Authenticator.objects.filter(user=member).exists()


# --- Staff accounts: only a superuser manages them --------------------------------------------


@pytest.mark.django_db
def test_secretary_cannot_set_a_colleagues_password_or_change_or_deactivate_them(
    secretariat_client, colleague
):
    response = secretariat_client.post(
        f"/admin/members/user/{colleague.pk}/password/",
        {"password1": "overtaget-konto-1234", "password2": "overtaget-konto-1234"},
    )
    assert response.status_code == 403
    response = secretariat_client.post(
        f"/admin/members/user/{colleague.pk}/change/",
        {"email": ATTACKER, "first_name": "X", "last_name": "Y", "is_active": "on"},
    )
    assert response.status_code == 403
    secretariat_client.post(
        "/admin/members/user/", {"action": "deactivate", "_selected_action": [colleague.pk]}
    )
    unchanged_account(colleague, email="kollega@komdir.test")
    assert colleague.first_name != "X"
    # The change page stays readable, without a form to post.
    page = secretariat_client.get(f"/admin/members/user/{colleague.pk}/change/")
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()


@pytest.mark.django_db
def test_secretary_cannot_change_her_own_staff_account_in_the_admin(secretariat_client, secretariat):
    response = secretariat_client.post(
        f"/admin/members/user/{secretariat.pk}/password/",
        {"password1": "ny-kode-uden-gammel-1234", "password2": "ny-kode-uden-gammel-1234"},
    )
    assert response.status_code == 403
    secretariat.refresh_from_db()
    assert secretariat.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_superuser_sets_a_colleagues_password_and_it_is_logged(boss, colleague):
    boss_client = two_factor_client(boss)
    response = boss_client.post(
        f"/admin/members/user/{colleague.pk}/password/",
        {"password1": "ny-og-lang-kode-1234", "password2": "ny-og-lang-kode-1234"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("ny-og-lang-kode-1234")
    assert LogEntry.objects.filter(user=boss, object_id=str(colleague.pk), action_flag=CHANGE).exists()


@pytest.mark.django_db
def test_a_superuser_removes_a_colleagues_two_factor_and_changes_her_address(boss, colleague):
    boss_client = two_factor_client(boss)
    totp = Authenticator.objects.get(user=colleague)
    response = boss_client.post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=colleague).exists()
    address = EmailAddress.objects.get(user=colleague)
    response = boss_client.post(
        f"/admin/account/emailaddress/{address.pk}/change/",
        {"user": colleague.pk, "email": "ny.kollega@komdir.test", "verified": "on", "primary": "on"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.email == "ny.kollega@komdir.test"


# --- What the secretariat does for members, audited -------------------------------------------


@pytest.mark.django_db
def test_secretary_changes_a_members_address_and_the_audit_log_says_what(
    secretariat_client, secretariat, member
):
    old = member.email
    address = EmailAddress.objects.get(user=member)
    response = secretariat_client.post(
        f"/admin/account/emailaddress/{address.pk}/change/",
        {"user": member.pk, "email": "ny.adresse@kommune.test", "verified": "on", "primary": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "ny.adresse@kommune.test"
    assert EmailAddress.objects.get(pk=address.pk).email == "ny.adresse@kommune.test"
    entry = LogEntry.objects.get(
        user=secretariat, object_id=str(member.pk), action_flag=CHANGE, content_type__model="user"
    )
    assert f"{old} → ny.adresse@kommune.test" in entry.get_change_message()
    history = secretariat_client.get(f"/admin/members/user/{member.pk}/history/").content.decode()
    assert "ny.adresse@kommune.test" in history


@pytest.mark.django_db
def test_secretary_adds_and_deletes_a_members_address_and_both_are_logged(
    secretariat_client, secretariat, member
):
    response = secretariat_client.post(
        "/admin/account/emailaddress/add/",
        {"user": member.pk, "email": "privat@kommune.test", "verified": "on", "primary": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    extra = EmailAddress.objects.get(email="privat@kommune.test")
    assert extra.user == member and extra.verified
    response = secretariat_client.post(f"/admin/account/emailaddress/{extra.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(pk=extra.pk).exists()
    messages = [
        e.get_change_message()
        for e in LogEntry.objects.filter(
            user=secretariat, object_id=str(member.pk), content_type__model="user"
        ).order_by("pk")
    ]
    assert any("privat@kommune.test" in m and "tilføjet" in m for m in messages), messages
    assert any("privat@kommune.test" in m and "slettet" in m for m in messages), messages


@pytest.mark.django_db
def test_secretary_removes_a_members_two_factor_and_it_is_logged(
    secretariat_client, secretariat, member_with_totp
):
    member = member_with_totp
    RecoveryCodes.activate(member)
    totp = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP)
    response = secretariat_client.post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    # Recovery codes without the app they back up are useless: they go too.
    assert not Authenticator.objects.filter(user=member).exists()
    entry = LogEntry.objects.filter(
        user=secretariat, object_id=str(member.pk), action_flag=CHANGE, content_type__model="user"
    ).get()
    assert "Totrinsbekræftelse fjernet" in entry.get_change_message()
    assert LogEntry.objects.filter(
        user=secretariat, object_id=str(totp.pk), action_flag=DELETION, content_type__model="authenticator"
    ).exists()


# --- No one reads a two-factor secret ---------------------------------------------------------


def _secret_values(user) -> list[str]:
    values = []
    for authenticator in Authenticator.objects.filter(user=user):
        values += [str(v) for v in authenticator.data.values() if isinstance(v, str) and len(v) >= 8]
    return values


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["secretariat", "superuser"])
def test_admin_pages_never_show_a_two_factor_secret(who, secretariat_client, boss, member_with_totp):
    RecoveryCodes.activate(member_with_totp)
    secrets = _secret_values(member_with_totp)
    assert MEMBER_SECRET in secrets and len(secrets) >= 2
    viewer = secretariat_client if who == "secretariat" else two_factor_client(boss)
    totp, codes = (
        Authenticator.objects.get(user=member_with_totp, type=t)
        for t in (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)
    )
    pages = [
        "/admin/mfa/authenticator/",
        f"/admin/mfa/authenticator/?q={member_with_totp.email}",
        f"/admin/mfa/authenticator/{totp.pk}/change/",
        f"/admin/mfa/authenticator/{codes.pk}/change/",
        f"/admin/mfa/authenticator/{totp.pk}/delete/",
        f"/admin/mfa/authenticator/{totp.pk}/history/",
        f"/admin/members/user/{member_with_totp.pk}/change/",
    ]
    for url in pages:
        response = viewer.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in secrets:
            assert secret not in page, url
        assert 'name="data"' not in page, url
    listing = viewer.get("/admin/mfa/authenticator/").content.decode()
    assert "TOTP" in listing or "Godkendelsesapp" in listing


@pytest.mark.django_db
def test_a_secret_cannot_be_guessed_through_changelist_filters(secretariat_client, member_with_totp):
    # ?data__contains= would answer "found" / "not found" for each guessed prefix.
    for url in (
        f"/admin/mfa/authenticator/?data__contains={MEMBER_SECRET[:4]}",
        f"/admin/mfa/authenticator/?data__icontains={MEMBER_SECRET}",
        "/admin/members/user/?password__startswith=md5",
        "/admin/members/invitation/?token_digest__startswith=a",
        "/admin/account/emailaddress/?user__password__startswith=md5",
        "/admin/mfa/authenticator/?user__password__startswith=md5",
        "/admin/admin/logentry/?user__password__startswith=md5",
        "/admin/members/invitation/?created_by__password__startswith=md5",
        "/admin/circles/calendartoken/?token__startswith=a",
    ):
        response = secretariat_client.get(url)
        assert response.status_code == 400, url


# --- The group's permissions ------------------------------------------------------------------


@pytest.mark.django_db
def test_group_sync_gives_the_secretariat_no_way_to_add_or_edit_authenticators():
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    # A database that was migrated before carries the old, too wide grant.
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=["account", "mfa"]))
    secretariat_group_sync()
    granted = set(group.permissions.filter(content_type__app_label="mfa").values_list("codename", flat=True))
    assert granted == {"view_authenticator", "delete_authenticator"}
    assert group.permissions.filter(codename="change_emailaddress").exists()


@pytest.mark.django_db
def test_a_members_login_address_stays_until_another_is_made_primary(secretariat_client, member):
    primary = EmailAddress.objects.get(user=member)
    response = secretariat_client.post(f"/admin/account/emailaddress/{primary.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    secretariat_client.post(
        f"/admin/account/emailaddress/{primary.pk}/change/",
        {"email": primary.email, "verified": "on", "primary": ""},
    )
    primary.refresh_from_db()
    assert primary.primary

    response = secretariat_client.post(
        "/admin/account/emailaddress/add/",
        {"user": member.pk, "email": "ny.login@kommune.test", "verified": "on", "primary": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    primary.refresh_from_db()
    assert member.email == "ny.login@kommune.test" and not primary.primary
    assert (
        Client()
        .post("/accounts/login/", {"login": "ny.login@kommune.test", "password": PASSWORD})
        .status_code
        == 302
    )


@pytest.mark.django_db
def test_a_members_login_cannot_become_another_members_address(secretariat_client, member, other_member):
    primary = EmailAddress.objects.get(user=member)
    EmailAddress.objects.filter(user=other_member).update(verified=False)
    response = secretariat_client.post(
        f"/admin/account/emailaddress/{primary.pk}/change/", {"email": other_member.email, "verified": "on"}
    )
    assert response.status_code == 200
    assert "En anden bruger logger allerede ind med denne e-mail." in response.content.decode()
    member.refresh_from_db()
    assert member.email == "medlem@kommune.test"
