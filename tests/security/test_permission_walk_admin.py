"""The admin's key writes, walked for a secretary who is not a superuser and for a superuser.

Rule (issue 13): only a superuser may change anything of a superuser or of another staff member
(their account, password, e-mail addresses, two-factor); the secretariat manages members'
accounts, e-mail addresses and two-factor. A refused write answers FORBIDDEN (Django's admin
answers 403 when has_change_permission / has_delete_permission say no) and changes nothing: the
walk compares every table's row count and the target's rows before and after. A permitted write
is DONE: a redirect (not to the login) and the change is there.

Each write runs in a savepoint that is rolled back, so every role meets the same world. Forms
are read as the superuser sees them and sent back with one field changed, as a browser would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.test import Client

from members.models import User
from members.services import SECRETARIAT_GROUP
from tests.conftest import TOTP_SECRET, current_totp_code
from tests.factories import PASSWORD, make_member
from tests.security.test_permission_walk import DONE, FORBIDDEN, LOGIN, Outcome, post_in_savepoint

ROLES = ("visitor", "member", "secretary", "superuser")
TARGETS = ("member", "staff", "superuser")


def A(visitor, member, secretary, superuser) -> dict[str, Outcome]:  # noqa: N802
    return dict(zip(ROLES, (visitor, member, secretary, superuser), strict=True))


# Only a superuser touches staff and superusers; the secretariat manages members.
EXPECTED = {
    "member": A(LOGIN, LOGIN, DONE, DONE),
    "staff": A(LOGIN, LOGIN, FORBIDDEN, DONE),
    "superuser": A(LOGIN, LOGIN, FORBIDDEN, DONE),
}


class _FormFields(HTMLParser):
    """The fields a browser would submit from the page's main admin form."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None


def _form_data(reader: Client, url: str, **changes) -> dict:
    response = reader.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _FormFields()
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = [value]
    return {"_save": "Gem", **data}


@dataclass(frozen=True)
class AdminPost:
    url: Callable[[dict, str], str]
    data: Callable[[dict, str, Client], dict]
    effect: Callable[[dict, str], object]


def _user_url(w, target, suffix):
    return f"/admin/members/user/{w[target].pk}/{suffix}/"


def _secondary(w, target) -> EmailAddress:
    return EmailAddress.objects.get(user=w[target], primary=False)


WRITES: dict[str, AdminPost] = {
    "change the account": AdminPost(
        lambda w, t: _user_url(w, t, "change"),
        lambda w, t, reader: _form_data(reader, _user_url(w, t, "change"), first_name="Overtaget"),
        lambda w, t: list(User.objects.filter(pk=w[t].pk).values_list("first_name", "email", "is_active")),
    ),
    "set the password": AdminPost(
        lambda w, t: _user_url(w, t, "password"),
        lambda w, t, reader: {
            "password1": "Ny-hest-42-kapret",
            "password2": "Ny-hest-42-kapret",
            "usable_password": "true",
        },
        lambda w, t: list(User.objects.filter(pk=w[t].pk).values_list("password")),
    ),
    "change an e-mail address": AdminPost(
        lambda w, t: f"/admin/account/emailaddress/{_secondary(w, t).pk}/change/",
        lambda w, t, reader: _form_data(
            reader,
            f"/admin/account/emailaddress/{_secondary(w, t).pk}/change/",
            email=f"kapret-{t}@evil.example",
        ),
        lambda w, t: list(
            EmailAddress.objects.filter(user=w[t]).order_by("pk").values_list("email", "verified", "primary")
        ),
    ),
    "delete an e-mail address": AdminPost(
        lambda w, t: f"/admin/account/emailaddress/{_secondary(w, t).pk}/delete/",
        lambda w, t, reader: {"post": "yes"},
        lambda w, t: EmailAddress.objects.filter(user=w[t]).count(),
    ),
    "delete the two-factor device": AdminPost(
        lambda w, t: f"/admin/mfa/authenticator/{Authenticator.objects.get(user=w[t]).pk}/delete/",
        lambda w, t, reader: {"post": "yes"},
        lambda w, t: Authenticator.objects.filter(user=w[t]).count(),
    ),
}


def _with_second_address_and_totp(user: User) -> User:
    EmailAddress.objects.create(user=user, email=f"privat.{user.email}", verified=True, primary=False)
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, TOTP_SECRET)
    return user


def _staff_client(user: User) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    assert client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()}).status_code == 302
    return client


@pytest.fixture
def admin_world(db, settings, tmp_path, secretariat):
    settings.MEDIA_ROOT = tmp_path / "media"
    superuser = make_member(municipality_name="Roskilde", email="superbruger@kommune.test")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save(update_fields=["is_staff", "is_superuser"])
    TOTP.activate(superuser, TOTP_SECRET)
    # The targets: a member, another secretary (staff, not superuser) and another superuser.
    target_staff = make_member(municipality_name="Vejle", email="sekretaer.to@kommune.test")
    target_staff.is_staff = True
    target_staff.save(update_fields=["is_staff"])
    target_staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    target_super = make_member(municipality_name="Vejle", email="formand.super@kommune.test")
    target_super.is_staff = target_super.is_superuser = True
    target_super.save(update_fields=["is_staff", "is_superuser"])
    targets = {
        "member": _with_second_address_and_totp(
            make_member(municipality_name="Aalborg", email="maal@kommune.test")
        ),
        "staff": _with_second_address_and_totp(target_staff),
        "superuser": _with_second_address_and_totp(target_super),
    }
    member = make_member(municipality_name="Odense", email="medlem@kommune.test")
    clients = {"visitor": Client(), "member": Client()}
    clients["member"].force_login(member)
    clients["secretary"] = _staff_client(secretariat)
    clients["superuser"] = _staff_client(superuser)
    return targets, clients


def _walk(admin_world, targets, capture) -> list[str]:
    w, clients = admin_world
    reader = clients["superuser"]
    wrong = []
    for label, write in WRITES.items():
        for target in targets:
            url = write.url(w, target)
            for role in ROLES:
                expected = EXPECTED[target][role]
                data = write.data(w, target, reader)
                response, changed, rows_changed, mails = post_in_savepoint(
                    clients[role],
                    url,
                    data,
                    lambda e=write.effect, t=target: e(w, t),
                    capture,
                )
                where = f"POST {label} of a {target} ({url}) as {role}"
                if not expected.matches(response):
                    got = f"{response.status_code} {response.get('Location', '')}".strip()
                    wrong.append(f"{where}: {got}, expected {expected}")
                if expected is DONE:
                    if not changed:
                        wrong.append(f"{where}: answered {response.status_code} but the write did not happen")
                elif changed:
                    wrong.append(f"{where}: refused, yet the target's rows changed")
                elif rows_changed or mails:
                    wrong.append(f"{where}: refused, yet rows or mail changed")
    return wrong


@pytest.mark.django_db
def test_the_secretariat_manages_members_accounts_addresses_and_two_factor_in_admin(
    admin_world, django_capture_on_commit_callbacks
):
    wrong = _walk(admin_world, ["member"], django_capture_on_commit_callbacks)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_only_a_superuser_changes_a_staff_members_or_a_superusers_account_in_admin(
    admin_world, django_capture_on_commit_callbacks
):
    wrong = _walk(admin_world, ["staff", "superuser"], django_capture_on_commit_callbacks)
    assert not wrong, "\n".join(wrong)
