import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from circles.models import CircleMembership
from members import services
from members.models import Invitation, Level, User
from tests.factories import make_member, municipality

NEW_PASSWORD = "en-lang-og-god-adgangskode"


def invite(secretariat, *, email="ny@kommune.test", town="Aalborg", level=Level.DIRECTOR, **kwargs):
    return services.invitation_create(
        created_by=secretariat,
        email=email,
        first_name="Nina",
        last_name="Nyborg",
        title="Direktør for Kultur",
        level=level,
        municipality=municipality(town),
        **kwargs,
    )


def link_from(mail) -> str:
    match = re.search(r"http://\S+/invitation/([^/\s]+)/", mail.body)
    assert match, mail.body
    return f"/invitation/{match.group(1)}/"


def accept(client, path, **overrides):
    data = {"first_name": "Nina", "last_name": "Nyborg", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(overrides)
    return client.post(path, data)


@pytest.mark.django_db
def test_invitation_is_mailed_after_commit_and_accepting_it_logs_the_member_in(
    client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(secretariat)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ny@kommune.test"]
    assert "inviteret" in mail.subject
    assert mail.alternatives and "text/html" in mail.alternatives[0][1]
    path = link_from(mail)

    page = client.get(path)
    assert page.status_code == 200
    assert "Aalborg" in page.content.decode()

    response = accept(client, path)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="ny@kommune.test")
    assert user.profile.municipality.name == "Aalborg"
    assert user.profile.level == Level.DIRECTOR
    assert user.emailaddress_set.get().verified is True
    assert CircleMembership.objects.get(user=user).circle.slug == "nordjylland"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    home = client.get("/")
    assert home.wsgi_request.user == user
    # The token is never stored in clear text.
    assert path.split("/")[2] not in invitation.token_digest


@pytest.mark.django_db
def test_used_invitation_link_gets_a_clear_page(
    client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(secretariat)
    path = link_from(mailoutbox[0])
    accept(client, path)
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "allerede brugt" in response.content.decode()
    assert accept(client, path).status_code == 410
    assert User.objects.filter(email="ny@kommune.test").count() == 1


@pytest.mark.django_db
def test_expired_invitation_link_gets_a_clear_page(
    client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(secretariat)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    path = link_from(mailoutbox[0])
    response = accept(client, path)
    assert response.status_code == 410
    assert "udløbet" in response.content.decode()
    assert not User.objects.filter(email="ny@kommune.test").exists()


@pytest.mark.django_db
def test_revoked_invitation_link_gets_a_clear_page(
    client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(secretariat)
    services.invitation_revoke(invitation=invitation, actor=secretariat)
    response = client.get(link_from(mailoutbox[0]))
    assert response.status_code == 410
    assert "trukket tilbage" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t + "x", lambda t: "x"]
)
def test_tampered_invitation_link_is_404_with_a_clear_page(
    client, secretariat, mailoutbox, django_capture_on_commit_callbacks, tamper
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(secretariat)
    token = link_from(mailoutbox[0]).split("/")[2]
    response = accept(client, f"/invitation/{tamper(token)}/")
    assert response.status_code == 404
    assert "ikke gyldigt" in response.content.decode()
    assert not User.objects.filter(email="ny@kommune.test").exists()


@pytest.mark.django_db
def test_resend_gives_a_new_link_and_kills_the_old(
    client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(secretariat)
    old = link_from(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, actor=secretariat)
    new = link_from(mailoutbox[1])
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


@pytest.mark.django_db
def test_form_errors_keep_what_was_typed(client, secretariat, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(secretariat)
    path = link_from(mailoutbox[0])
    response = accept(client, path, first_name="Ninette", password2="noget-helt-andet-123")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ninette"' in html
    assert "De to adgangskoder er ikke ens" in html
    short = accept(client, path, password1="kort", password2="kort")
    assert "12" in short.content.decode()
    assert not User.objects.filter(email="ny@kommune.test").exists()


@pytest.mark.django_db
def test_statutes_allow_one_level_1_member_per_municipality(secretariat):
    make_member(municipality_name="Aalborg", level=Level.TOP, email="direktoer@aalborg.test")
    with pytest.raises(ValidationError, match="vedtægternes §3"):
        invite(secretariat, level=Level.TOP)
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_statutes_allow_two_level_2_members_counting_open_invitations(secretariat):
    make_member(municipality_name="Aalborg", level=Level.DIRECTOR, email="a@aalborg.test")
    invite(secretariat, email="b@aalborg.test")
    with pytest.raises(ValidationError, match="2 af højst 2"):
        invite(secretariat, email="c@aalborg.test")
    # Another municipality is not affected.
    invite(secretariat, email="c@aarhus.test", town="Aarhus")


@pytest.mark.django_db
def test_secretariat_can_override_the_statutes_limit_explicitly(secretariat):
    make_member(municipality_name="Aalborg", level=Level.TOP, email="direktoer@aalborg.test")
    invitation = invite(secretariat, level=Level.TOP, override_statutes=True)
    assert invitation.override_statutes is True


@pytest.mark.django_db
def test_members_cannot_invite(member):
    with pytest.raises(ValidationError):
        invite(member)


@pytest.mark.django_db
def test_inviting_an_existing_user_is_refused(secretariat, member):
    with pytest.raises(ValidationError, match="findes allerede"):
        invite(secretariat, email=member.email.upper())


@pytest.mark.django_db
def test_inviting_a_members_secondary_address_is_refused(secretariat, member, mailoutbox):
    """An address a member has added to their account is theirs: allauth logs them in with it
    and sends its mails there, so a second account on it is refused like the login address."""
    services.email_address_add(actor=secretariat, user=member, email="anden@kommune.test", verified=True)
    with pytest.raises(services.InvitationError) as refused:
        invite(secretariat, email="Anden@Kommune.test")
    assert refused.value.code == "duplicate_user"
    assert not Invitation.objects.filter(email="anden@kommune.test").exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_admin_form_refuses_a_members_secondary_address(secretariat_client, secretariat, member):
    services.email_address_add(actor=secretariat, user=member, email="anden@kommune.test")
    response = secretariat_client.post(
        "/admin/members/invitation/add/",
        {
            "email": "anden@kommune.test",
            "first_name": "Nina",
            "last_name": "Nyborg",
            "level": Level.DIRECTOR,
            "municipality": municipality("Aalborg").pk,
        },
    )
    assert response.status_code == 200
    assert "findes allerede en bruger" in response.content.decode()
    assert not Invitation.objects.filter(email="anden@kommune.test").exists()


@pytest.mark.django_db
def test_secretariat_invites_through_admin_and_sees_statute_errors_on_the_form(
    secretariat_client, mailoutbox, django_capture_on_commit_callbacks
):
    aalborg = municipality("Aalborg")
    make_member(municipality_name="Aalborg", level=Level.TOP, email="direktoer@aalborg.test")
    data = {
        "email": "ny@aalborg.test",
        "first_name": "Ny",
        "last_name": "Person",
        "title": "",
        "level": 1,
        "municipality": aalborg.pk,
    }
    response = secretariat_client.post("/admin/members/invitation/add/", data)
    assert response.status_code == 200
    assert "vedtægternes §3" in response.content.decode()
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/admin/members/invitation/add/", {**data, "override_statutes": "on"}
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "ny@aalborg.test"
    assert len(mailoutbox) == 1 and "/invitation/" in mailoutbox[0].body
