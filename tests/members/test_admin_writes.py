"""The member admin writes through members.services: what the secretariat saves in the admin
ends as the same rows, history and sessions as the portal's and the actions' paths."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied

from members import services
from members.models import Level, Municipality, Profile, Region, User
from tests.factories import make_member, municipality
from tests.members.test_admin_members import change_form_data, logged_in_client, user_sessions

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def last_entry(obj) -> LogEntry:
    return LogEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name).latest(
        "pk"
    )


def test_a_profile_saved_in_the_admin_is_the_profile_the_member_saves_in_the_portal(
    secretariat_client, secretariat, member, other_member
):
    services.profile_update(
        member=other_member,
        actor=other_member,
        first_name=other_member.first_name,
        last_name=other_member.last_name,
        title="Direktør for Børn",
        phone="+45 11 22 33 44",
        bio="Om mig.",
    )
    data = change_form_data(secretariat_client, change_url(member))
    data.update({"profile-0-title": "Direktør for Børn", "profile-0-phone": "+45 11 22 33 44"})
    data.update({"profile-0-bio": "Om mig.", "profile-0-level": str(Level.TOP)})
    data["profile-0-municipality"] = str(municipality("Aarhus").pk)
    response = secretariat_client.post(change_url(member), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    fields = ("title", "phone", "bio")
    mine = Profile.objects.get(user=other_member)
    theirs = Profile.objects.get(user=member)
    assert [getattr(theirs, f) for f in fields] == [getattr(mine, f) for f in fields]
    # Municipality and level are the secretariat's: only the admin changes them.
    assert (theirs.municipality.name, theirs.level) == ("Aarhus", Level.TOP)
    message = last_entry(member).get_change_message()
    assert "Telefon (— → +45 11 22 33 44)" in message


def test_an_account_added_in_the_admin_gets_its_profile_and_is_logged(secretariat_client, secretariat):
    response = secretariat_client.post(
        "/admin/members/user/add/",
        {
            "email": "ny@kommune.test",
            "first_name": "Nina",
            "last_name": "Nyborg",
            "password1": "en-lang-og-god-adgangskode",
            "password2": "en-lang-og-god-adgangskode",
            "usable_password": "true",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-title": "Direktør",
            "profile-0-level": str(Level.DIRECTOR),
            "profile-0-municipality": str(municipality("Vejle").pk),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="ny@kommune.test")
    assert user.check_password("en-lang-og-god-adgangskode")
    assert not user.is_staff
    assert user.profile.municipality.name == "Vejle"
    # As member_create and an accepted invitation give it: allauth logs in and mails with it.
    assert list(user.emailaddress_set.values_list("email", "primary", "verified")) == [
        ("ny@kommune.test", True, True)
    ]
    entry = last_entry(user)
    assert (entry.action_flag, entry.user) == (ADDITION, secretariat)


def test_unticking_active_in_the_form_records_the_departure_as_the_action_does(
    secretariat_client, secretariat, member, other_member
):
    logged_in_client(member)
    services.member_deactivate(member=other_member, actor=secretariat)
    data = change_form_data(secretariat_client, change_url(member))
    data.pop("is_active")
    response = secretariat_client.post(change_url(member), data)
    assert response.status_code == 302
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert (member.is_active, other_member.is_active) == (False, False)
    assert member.departed_at is not None and other_member.departed_at is not None
    assert user_sessions(member) == 0
    assert last_entry(member).action_flag == CHANGE


def test_a_municipality_renamed_in_the_admin_is_saved_and_its_history_says_what(secretariat_client):
    town = municipality("Vejle")
    data = {"name": "Vejle Kommune", "code": town.code, "region": str(town.region_id)}
    response = secretariat_client.post(change_url(town), data)
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.name == "Vejle Kommune"
    assert "Navn (Vejle → Vejle Kommune)" in last_entry(town).get_change_message()


def test_a_region_renamed_in_the_admin_is_saved(secretariat_client):
    region = Region.objects.get(code="1084")
    old = region.name
    response = secretariat_client.post(change_url(region), {"name": "Hovedstaden", "code": region.code})
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name == "Hovedstaden"
    assert f"Navn ({old} → Hovedstaden)" in last_entry(region).get_change_message()


def test_the_services_refuse_whoever_the_admin_would_refuse(member, secretariat):
    town = municipality("Vejle")
    town.name = "Et andet navn"
    with pytest.raises(PermissionDenied):
        services.municipality_save(actor=member, municipality=town)
    with pytest.raises(PermissionDenied):
        services.account_privileges_set(actor=secretariat, account=member, groups=[])
    with pytest.raises(PermissionDenied):
        services.profile_set(actor=member, member=make_member(municipality_name="Odense", email="x@y.test"))
    member.is_staff = True
    with pytest.raises(PermissionDenied):
        services.account_save(actor=secretariat, account=member, changed=["first_name"])
    assert Municipality.objects.get(pk=town.pk).name == "Vejle"
    assert not User.objects.get(pk=member.pk).is_staff


def test_an_email_changed_in_the_admin_is_the_address_the_member_logs_in_and_gets_mail_with(
    secretariat_client, member
):
    from allauth.account.models import EmailAddress

    data = change_form_data(secretariat_client, change_url(member))
    data["email"] = "ny.adresse@kommune.test"
    assert secretariat_client.post(change_url(member), data).status_code == 302
    member.refresh_from_db()
    assert member.email == "ny.adresse@kommune.test"
    primary = EmailAddress.objects.get(user=member, primary=True)
    assert (primary.email, primary.verified) == ("ny.adresse@kommune.test", True)
    assert EmailAddress.objects.filter(user=member).count() == 1


def test_an_email_another_account_has_added_is_refused_in_the_admin(secretariat_client, member, other_member):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=other_member, email="anden@kommune.test", verified=True, primary=False)
    data = change_form_data(secretariat_client, change_url(member))
    data["email"] = "anden@kommune.test"
    response = secretariat_client.post(change_url(member), data)
    assert response.status_code == 200
    assert "anden@kommune.test" in response.content.decode()
    member.refresh_from_db()
    assert member.email != "anden@kommune.test"
