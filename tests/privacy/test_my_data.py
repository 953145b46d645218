"""GDPR self-service: a member downloads everything held about them, and deletes their account."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from circles import services as circle_services
from circles.models import Attendance, CalendarToken, Circle, CircleMembership, MembershipRole
from focus import services as focus_services
from focus.models import Case, Comment, FocusArea, SitePage
from komdir.privacy import selectors as privacy_selectors
from komdir.privacy import services as privacy_services
from members.models import Invitation, Profile, User
from tests.factories import PASSWORD, make_member


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.fixture
def rich_member(member, other_member, area, settings, tmp_path):
    """A member with a bit of everything: a case with history, comments, a reply to them,
    attendance, a calendar feed and a circle lead role with notes."""
    settings.MEDIA_ROOT = tmp_path
    circle = Circle.objects.get(slug="hovedstaden")
    circle_services.membership_set(user=member, circle=circle, role=MembershipRole.LEAD)
    case = focus_services.case_create(
        author=member, focus_area=area, title="Min case", summary="Resumé.", body="Første.", publish=True
    )
    focus_services.case_update(
        case=case, editor=member, focus_area=area, title="Min case", summary="Resumé.", body="Anden."
    )
    comment = focus_services.comment_add(author=member, body="Min kommentar.", case=case)
    focus_services.comment_edit(comment=comment, editor=member, body="Min rettede kommentar.")
    focus_services.comment_add(author=other_member, body="Et svar.", parent=comment)
    start = timezone.now() + timedelta(days=3)
    meeting = circle_services.meeting_create(
        actor=member, circle=circle, title="Kredsmøde", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    circle_services.attendance_set(user=member, meeting=meeting, response="yes")
    circle_services.note_save(actor=member, meeting=meeting, body="Mit referat.", visibility="circle")
    circle_services.calendar_token_get_or_create(user=member)
    Invitation.objects.create(
        email=member.email,
        first_name=member.first_name,
        last_name=member.last_name,
        level=2,
        municipality=member.profile.municipality,
        token_digest="x" * 64,
        expires_at=timezone.now(),
        accepted_at=timezone.now(),
        user=member,
    )
    return member


@pytest.mark.django_db
def test_the_export_holds_everything_about_the_member_and_no_secrets(client, rich_member):
    client.force_login(rich_member)
    response = client.get("/medlemmer/mig/data/eksport.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == rich_member.email
    assert data["profile"]["municipality"] == "København"
    assert [c["body"] for c in data["cases"]] == ["Anden."]
    assert [h["body"] for h in data["cases"][0]["history"]] == ["Første."]
    assert [c["body"] for c in data["comments"]] == ["Min rettede kommentar."]
    assert [h["body"] for h in data["comments"][0]["history"]] == ["Min kommentar."]
    assert [n["body"] for n in data["notes"]] == ["Mit referat."]
    assert [a["response"] for a in data["attendance"]] == ["yes"]
    assert data["invitations"][0]["email"] == rich_member.email
    assert any(c["role"] == "lead" for c in data["circles"])
    assert data["calendar_feed"] is not None
    assert "follows" in data and "preferences" in data
    raw = response.content.decode()
    assert rich_member.password not in raw
    assert CalendarToken.objects.get(user=rich_member).token not in raw
    # Nothing about anyone else: the other member's reply is not the member's data.
    assert "Et svar." not in raw


@pytest.mark.django_db
def test_my_data_page_and_export_are_for_the_logged_in_member_only(client, member):
    for url in ("/medlemmer/mig/data/", "/medlemmer/mig/data/eksport.json"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(member)
    page = client.get("/medlemmer/mig/data/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hent mine data" in html and "Slet min konto" in html and "privatlivspolitik" in html


@pytest.mark.django_db
def test_deleting_the_account_removes_personal_data_and_keeps_contributions(client, rich_member):
    pk, old_email = rich_member.pk, rich_member.email
    Authenticator.objects.create(user=rich_member, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(rich_member)
    other_session = Client()
    other_session.force_login(rich_member)
    response = client.post("/medlemmer/mig/data/", {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Din konto og dine personoplysninger er slettet." in response.content.decode()
    user = User.objects.get(pk=pk)
    assert user.get_full_name() == "Tidligere medlem"
    assert user.email.endswith("@anonymiseret.invalid") and old_email not in user.email
    assert not user.is_active and not user.has_usable_password()
    profile = Profile.objects.get(user=user)
    assert (profile.title, profile.phone, profile.bio, profile.municipality_id) == ("", "", "", None)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not CircleMembership.objects.filter(user=user).exists()
    assert not Attendance.objects.filter(user=user).exists()
    assert not CalendarToken.objects.filter(user=user).exists()
    assert not Invitation.objects.filter(email__iexact=old_email).exists()
    assert not [s for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(pk)]
    assert other_session.get("/medlemmer/").status_code == 302
    # Contributions stay, under "Tidligere medlem".
    case = Case.objects.get(author=user)
    assert case.hidden_at is None
    reader = Client()
    reader.force_login(make_member(municipality_name="Aarhus", email="laeser@kommune.test"))
    page = reader.get(case.get_absolute_url()).content.decode()
    assert "Min rettede kommentar." in page and "Tidligere medlem" in page
    assert old_email not in page
    # The old address can be invited and used again.
    assert not User.objects.filter(email__iexact=old_email).exists()


@pytest.mark.django_db
def test_deleting_the_account_with_contributions_soft_deletes_them(client, rich_member, area):
    client.force_login(rich_member)
    data = {"password": PASSWORD, "confirm": "on", "delete_contributions": "on"}
    assert client.post("/medlemmer/mig/data/", data).status_code == 302
    case = Case.objects.get(author_id=rich_member.pk)
    assert case.hidden_at is not None
    assert case.body == "Anden."  # soft: the secretariat can still see what happened
    assert all(c.deleted_at is not None for c in Comment.objects.filter(author_id=rich_member.pk))
    reader = Client()
    reader.force_login(make_member(municipality_name="Aarhus", email="laeser2@kommune.test"))
    assert reader.get(case.get_absolute_url()).status_code == 404
    assert "Min case" not in reader.get("/cases/").content.decode()
    # Other members' replies survive.
    assert Comment.objects.filter(body="Et svar.", deleted_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_wrong_password_deletes_nothing_and_says_so(client, member):
    client.force_login(member)
    response = client.post("/medlemmer/mig/data/", {"password": "forkert-adgangskode", "confirm": "on"})
    assert response.status_code == 400
    assert "Adgangskoden er forkert." in response.content.decode()
    member.refresh_from_db()
    assert member.is_active and member.email == "medlem@kommune.test"


@pytest.mark.django_db
def test_without_the_confirmation_nothing_is_deleted(client, member):
    client.force_login(member)
    assert client.post("/medlemmer/mig/data/", {"password": PASSWORD}).status_code == 400
    member.refresh_from_db()
    assert member.is_active


@pytest.mark.django_db
def test_only_the_member_may_delete_their_own_account(member, other_member):
    with pytest.raises(privacy_services.AccountDeleteError):
        privacy_services.account_delete(user=member, actor=other_member)
    member.refresh_from_db()
    assert member.is_active


@pytest.mark.django_db
def test_retention_anonymises_members_who_left_long_ago(member, other_member, secretariat, capsys):
    from members import services as member_services

    long_ago = timezone.now() - timedelta(days=800)
    for user in (member, other_member):
        member_services.member_deactivate(member=user, actor=_superuser(secretariat))
    # The clock runs from the departure (departed_at), not from the last login.
    User.objects.filter(pk=member.pk).update(last_login=long_ago, date_joined=long_ago, departed_at=long_ago)
    a_month_ago = timezone.now() - timedelta(days=30)
    User.objects.filter(pk=other_member.pk).update(last_login=a_month_ago, departed_at=a_month_ago)
    call_command("anonymise_departed", "--dry-run")
    assert "1 departed member(s) would be anonymised" in capsys.readouterr().out
    member.refresh_from_db()
    assert member.first_name != "Tidligere"
    call_command("anonymise_departed")
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert member.get_full_name() == "Tidligere medlem" and privacy_selectors.is_anonymised(member)
    assert not privacy_selectors.is_anonymised(other_member)
    call_command("anonymise_departed", "--days", "10")
    other_member.refresh_from_db()
    assert privacy_selectors.is_anonymised(other_member)
    # Active members are never touched.
    assert not privacy_selectors.is_anonymised(User.objects.get(pk=secretariat.pk))


def _superuser(user):
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


@pytest.mark.django_db
def test_the_privacy_page_states_what_is_kept_and_why(client):
    page = SitePage.objects.get(slug="privatlivspolitik")
    assert "Tidligere medlem" in page.body and "Mine data" in page.body
    html = client.get("/side/privatlivspolitik/").content.decode()
    assert "Tidligere medlem" in html and "24 måneder" in html


@pytest.mark.django_db
def test_a_member_finds_where_they_are_logged_in_from_my_data_and_logs_out_elsewhere(client, member):
    other_device = Client()
    other_device.force_login(member)
    client.force_login(member)
    page = client.get("/medlemmer/mig/data/").content.decode()
    assert 'href="/accounts/sessions/"' in page and "Se og afslut dine sessioner" in page
    sessions = client.get("/accounts/sessions/")
    assert sessions.status_code == 200
    assert sessions.content.decode().count("Nuværende") == 1
    client.post("/accounts/sessions/")
    # The other device is logged out; this one stays.
    assert other_device.get("/overblik/")["Location"].startswith("/accounts/login/")
    assert client.get("/overblik/").status_code == 200
