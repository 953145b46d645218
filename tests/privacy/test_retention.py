"""The retention clock for members who left starts when they leave, as the privacy page promises.

`anonymise_departed` runs every night; a member who left yesterday keeps their name on what
they wrote for 24 months, however long ago they last logged in.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from komdir.privacy import selectors as privacy_selectors
from members import services
from members.models import User
from tests.factories import PASSWORD, make_member

YEARS_AGO = timedelta(days=3 * 365)


def superuser(user: User) -> User:
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


def run_retention() -> str:
    out = io.StringIO()
    call_command("anonymise_departed", stdout=out)
    return out.getvalue()


def left_on(user: User, when) -> None:
    """Move the recorded departure back in time (the clock, not the rules, is what is faked)."""
    User.objects.filter(pk=user.pk).update(departed_at=when)


@pytest.mark.django_db
def test_member_who_left_yesterday_and_last_logged_in_years_ago_is_kept(secretariat):
    member = make_member(municipality_name="Aarhus", email="gik.i.gaar@kommune.test")
    User.objects.filter(pk=member.pk).update(
        last_login=timezone.now() - YEARS_AGO, date_joined=timezone.now() - YEARS_AGO - YEARS_AGO
    )
    services.member_deactivate(member=member, actor=superuser(secretariat))
    left_on(member, timezone.now() - timedelta(days=1))

    assert "0 departed member(s) anonymised" in run_retention()
    member.refresh_from_db()
    assert not privacy_selectors.is_anonymised(member)
    assert member.get_full_name() != "Tidligere medlem"


@pytest.mark.django_db
def test_member_deactivated_today_is_not_anonymised_tonight(secretariat):
    member = make_member(municipality_name="Aarhus", email="gik.i.dag@kommune.test")
    User.objects.filter(pk=member.pk).update(last_login=timezone.now() - YEARS_AGO)
    services.member_deactivate(member=member, actor=superuser(secretariat))
    run_retention()
    member.refresh_from_db()
    assert not privacy_selectors.is_anonymised(member)


@pytest.mark.django_db
def test_member_who_left_25_months_ago_is_anonymised(secretariat):
    member = make_member(municipality_name="Odense", email="gik.for.laenge.siden@kommune.test")
    services.member_deactivate(member=member, actor=superuser(secretariat))
    # They logged in recently before leaving: the departure, not the login, counts.
    User.objects.filter(pk=member.pk).update(last_login=timezone.now() - timedelta(days=25 * 30 + 5))
    left_on(member, timezone.now() - timedelta(days=25 * 30 + 1))

    assert "1 departed member(s) anonymised" in run_retention()
    member.refresh_from_db()
    assert privacy_selectors.is_anonymised(member) and member.get_full_name() == "Tidligere medlem"


@pytest.mark.django_db
def test_departure_is_recorded_by_deactivation_cleared_by_reactivation(secretariat):
    member = make_member(municipality_name="Vejle", email="kommer.igen@kommune.test")
    assert member.departed_at is None
    services.member_deactivate(member=member, actor=secretariat)
    member.refresh_from_db()
    assert member.departed_at is not None
    first = member.departed_at
    # Deactivating again does not restart the clock.
    services.member_deactivate(member=member, actor=secretariat)
    member.refresh_from_db()
    assert member.departed_at == first
    services.member_reactivate(member=member, actor=secretariat)
    member.refresh_from_db()
    assert member.departed_at is None


@pytest.mark.django_db
def test_unticking_active_in_the_admin_records_the_departure(secretariat_client, member):
    from tests.members.test_admin_members import change_form_data

    url = f"/admin/members/user/{member.pk}/change/"
    data = change_form_data(secretariat_client, url)
    data.pop("is_active")
    assert secretariat_client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert not member.is_active and member.departed_at is not None
    data = change_form_data(secretariat_client, url)
    data["is_active"] = "on"
    assert secretariat_client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.is_active and member.departed_at is None


@pytest.mark.django_db
def test_deleting_ones_account_records_the_departure(client, member):
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert client.post("/medlemmer/mig/data/", {"password": PASSWORD, "confirm": "on"}).status_code == 302
    member.refresh_from_db()
    assert privacy_selectors.is_anonymised(member) and member.departed_at is not None
