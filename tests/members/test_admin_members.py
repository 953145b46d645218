"""The secretariat's member admin: deactivation, privileges, audit log, export, query budgets."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members import services
from members.models import Level, User
from members.services import SECRETARIAT_GROUP
from tests.conftest import TOTP_SECRET, current_totp_code
from tests.factories import PASSWORD, UserFactory, make_member, municipality


def user_sessions(user) -> int:
    return sum(1 for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(user.pk))


def logged_in_client(user):
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/medlemmer/").status_code == 200
    return client


def change_form_data(client, url) -> dict:
    """What the browser would post back unchanged from the admin change form."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        forms += list(formset.forms)
    for form in forms:
        for field in form:
            if field.field.disabled:
                continue
            value = field.value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
                continue
            data[field.html_name] = value
    return data


# --- Deactivation ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_deactivating_a_member_ends_their_sessions_at_once_and_keeps_their_comments(secretariat, member):
    from focus.models import Comment, FocusArea
    from focus.services import comment_add

    comment = comment_add(
        author=member, body="En erfaring fra København.", focus_area=FocusArea.objects.first()
    )
    their_client = logged_in_client(member)
    other = make_member(municipality_name="Vejle", email="bliver@vejle.dk")
    other_client = logged_in_client(other)
    assert user_sessions(member) == 1

    services.member_deactivate(member=member, actor=secretariat)

    member.refresh_from_db()
    assert member.is_active is False
    assert user_sessions(member) == 0
    response = their_client.get("/medlemmer/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert other_client.get("/medlemmer/").status_code == 200, "other members stay logged in"
    assert Comment.objects.filter(pk=comment.pk, author=member).exists()
    # The member cannot log in again.
    response = Client().post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert user_sessions(member) == 0


@pytest.mark.django_db
def test_deactivation_frees_the_statutes_seat(secretariat):
    top = make_member(municipality_name="Aarhus", level=Level.TOP, email="top@aarhus.dk")
    with pytest.raises(services.InvitationError):
        services._check_statutes(municipality=municipality("Aarhus"), level=Level.TOP)
    services.member_deactivate(member=top, actor=secretariat)
    services._check_statutes(municipality=municipality("Aarhus"), level=Level.TOP)


@pytest.mark.django_db
def test_members_and_circle_leads_cannot_deactivate(member, other_member, circle_lead):
    for actor in (other_member, circle_lead, member):
        with pytest.raises(services.ValidationError):
            services.member_deactivate(member=member, actor=actor)
    member.refresh_from_db()
    assert member.is_active


@pytest.mark.django_db
def test_admin_action_deactivates_ends_sessions_and_logs_it(secretariat_client, secretariat, member):
    logged_in_client(member)
    response = secretariat_client.post(
        "/admin/members/user/", {"action": "deactivate", "_selected_action": [member.pk]}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert user_sessions(member) == 0
    entry = LogEntry.objects.get(user=secretariat, object_id=str(member.pk), action_flag=CHANGE)
    assert "Deaktiveret" in entry.get_change_message()
    history = secretariat_client.get(f"/admin/members/user/{member.pk}/history/")
    assert "Deaktiveret" in history.content.decode()


@pytest.mark.django_db
def test_unticking_active_in_the_change_form_also_ends_sessions(secretariat_client, member):
    logged_in_client(member)
    url = f"/admin/members/user/{member.pk}/change/"
    data = change_form_data(secretariat_client, url)
    data.pop("is_active")
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert not member.is_active
    assert user_sessions(member) == 0


# --- Privileges -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_non_superuser_staff_cannot_give_staff_superuser_groups_or_permissions(secretariat_client, member):
    from django.contrib.auth.models import Permission

    url = f"/admin/members/user/{member.pk}/change/"
    page = secretariat_client.get(url).content.decode()
    assert 'name="is_staff"' not in page and 'name="is_superuser"' not in page
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page

    data = change_form_data(secretariat_client, url)
    data.update(
        is_staff="on",
        is_superuser="on",
        groups=[str(Group.objects.get(name=SECRETARIAT_GROUP).pk)],
        user_permissions=[str(Permission.objects.get(codename="change_user").pk)],
        first_name="Mette",
    )
    response = secretariat_client.post(url, data)
    assert response.status_code in (302, 403)
    member.refresh_from_db()
    assert member.is_staff is False and member.is_superuser is False
    assert not member.groups.exists() and not member.user_permissions.exists()


@pytest.mark.django_db
def test_non_superuser_staff_cannot_create_a_staff_account(secretariat_client):
    response = secretariat_client.post(
        "/admin/members/user/add/",
        {
            "email": "ny.chef@kommune.test",
            "first_name": "Ny",
            "last_name": "Chef",
            "password1": "en-lang-og-god-adgangskode",
            "password2": "en-lang-og-god-adgangskode",
            "is_staff": "on",
            "is_superuser": "on",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="ny.chef@kommune.test")
    assert not user.is_staff and not user.is_superuser


@pytest.mark.django_db
def test_non_superuser_staff_cannot_change_a_superuser_or_their_password(secretariat_client):
    boss = UserFactory(email="chef@komdir.test", is_staff=True, is_superuser=True)
    response = secretariat_client.post(
        f"/admin/members/user/{boss.pk}/password/",
        {"password1": "overtaget-konto-1234", "password2": "overtaget-konto-1234"},
    )
    assert response.status_code == 403
    response = secretariat_client.post(
        f"/admin/members/user/{boss.pk}/change/", {"email": boss.email, "first_name": "X", "last_name": "Y"}
    )
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.check_password(PASSWORD) and boss.first_name != "X"
    with pytest.raises(services.ValidationError):
        services.member_deactivate(member=boss, actor=User.objects.get(email="sekretariat@kommune.test"))


@pytest.mark.django_db
def test_a_superuser_can_give_staff(client, member):
    from allauth.mfa.totp.internal.auth import TOTP

    boss = UserFactory(email="chef@komdir.test", is_staff=True, is_superuser=True)
    TOTP.activate(boss, TOTP_SECRET)
    client.post("/accounts/login/", {"login": boss.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    url = f"/admin/members/user/{member.pk}/change/"
    data = change_form_data(client, url)
    data["is_staff"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_staff
    assert (
        "Sekretariat (Nej → Ja)"
        in LogEntry.objects.filter(object_id=str(member.pk)).get().get_change_message()
    )


# --- Audit ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_change_is_logged_with_who_and_what_and_shown_on_the_history_page(
    secretariat_client, secretariat, member
):
    url = f"/admin/members/user/{member.pk}/change/"
    old_name = member.first_name
    data = change_form_data(secretariat_client, url)
    data["first_name"] = "Mette"
    data["profile-0-phone"] = "+45 12 34 56 78"
    response = secretariat_client.post(url, data)
    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(member.pk), action_flag=CHANGE)
    assert entry.user == secretariat
    message = entry.get_change_message()
    assert f"Fornavn ({old_name} → Mette)" in message
    assert "Telefon (— → +45 12 34 56 78)" in message
    history = secretariat_client.get(f"/admin/members/user/{member.pk}/history/").content.decode()
    assert "Mette" in history and secretariat.email in history or secretariat.get_full_name() in history

    audit = secretariat_client.get("/admin/admin/logentry/")
    assert audit.status_code == 200
    assert "Mette" in audit.content.decode()


@pytest.mark.django_db
def test_invitation_actions_are_logged(secretariat_client, secretariat):
    invitation = services.invitation_create(
        created_by=secretariat,
        email="ny@kommune.test",
        first_name="Nina",
        last_name="Nyborg",
        level=Level.DIRECTOR,
        municipality=municipality("Aalborg"),
    )
    for action, text in (("resend", "Sendt igen"), ("revoke", "Tilbagekaldt")):
        response = secretariat_client.post(
            "/admin/members/invitation/", {"action": action, "_selected_action": [invitation.pk]}
        )
        assert response.status_code == 302
        assert LogEntry.objects.filter(object_id=str(invitation.pk), change_message__contains=text).exists()


# --- Export ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_list_exports_as_csv_without_those_who_left(
    secretariat_client, secretariat, member, other_member
):
    left = make_member(municipality_name="Vejle", email="stoppet@vejle.dk")
    services.member_deactivate(member=left, actor=secretariat)
    member.first_name = "=HYPERLINK(1)"
    member.save(update_fields=["first_name"])

    response = secretariat_client.get("/admin/members/user/eksport/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Fornavn;Efternavn;E-mail" in body.splitlines()[0]
    assert "medlem@kommune.test" in body and "andet.medlem@kommune.test" in body
    assert "Kreds Hovedstaden" in body and "København" in body
    assert "stoppet@vejle.dk" not in body
    assert "'=HYPERLINK(1)" in body, "formulas are neutralised for Excel"
    assert "sekretariat@kommune.test" not in body


@pytest.mark.django_db
def test_export_is_closed_to_members(member_client):
    assert member_client.get("/admin/members/user/eksport/", follow=True).status_code == 404


# --- Query budgets --------------------------------------------------------------------------


def changelist_queries(client, url) -> int:
    # Warm up first: a session touched on the first request of a login is not the page's cost.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add_members(n: int, start: int = 0):
    for i in range(start, start + n):
        make_member(municipality_name="Vejle", email=f"m{i}@vejle.dk")


@pytest.mark.django_db
def test_user_changelist_has_constant_queries(secretariat_client):
    url = "/admin/members/user/?is_active__exact=1&is_staff__exact=0"
    add_members(1)
    one = changelist_queries(secretariat_client, url)
    add_members(49, start=1)
    fifty = changelist_queries(secretariat_client, url)
    assert one == fifty
    assert fifty <= 12


@pytest.mark.django_db
def test_invitation_changelist_has_constant_queries(secretariat_client, secretariat):
    names = [
        "Vejle",
        "Aalborg",
        "Aarhus",
        "Odense",
        "Køge",
        "Herning",
        "Holbæk",
        "Esbjerg",
        "Kolding",
        "Viborg",
    ]

    def invite(i):
        services.invitation_create(
            created_by=secretariat,
            email=f"i{i}@kommune.test",
            first_name="I",
            last_name=str(i),
            level=Level.DIRECTOR,
            municipality=municipality(names[i % len(names)]),
            override_statutes=True,
        )

    invite(0)
    one = changelist_queries(secretariat_client, "/admin/members/invitation/")
    for i in range(1, 50):
        invite(i)
    fifty = changelist_queries(secretariat_client, "/admin/members/invitation/")
    assert one == fifty


@pytest.mark.django_db
def test_municipality_region_and_audit_changelists_have_constant_queries(secretariat_client):
    one = changelist_queries(secretariat_client, "/admin/members/municipality/?q=Vejle")
    many = changelist_queries(secretariat_client, "/admin/members/municipality/")
    assert one == many
    one = changelist_queries(secretariat_client, "/admin/members/region/?q=Hovedstaden")
    many = changelist_queries(secretariat_client, "/admin/members/region/")
    assert one == many

    member = make_member(municipality_name="Vejle", email="logget@vejle.dk")
    secretariat_client.post("/admin/members/user/", {"action": "deactivate", "_selected_action": [member.pk]})
    one = changelist_queries(secretariat_client, "/admin/admin/logentry/")
    add_members(49)
    secretariat_client.post(
        "/admin/members/user/",
        {
            "action": "deactivate",
            "_selected_action": list(User.objects.filter(is_staff=False).values_list("pk", flat=True)),
        },
    )
    assert LogEntry.objects.count() >= 50
    fifty = changelist_queries(secretariat_client, "/admin/admin/logentry/")
    assert one == fifty
