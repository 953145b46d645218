"""The member directory, profile pages and editing one's own profile."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from circles.models import Circle, CircleMembership
from members import services
from members.models import Level
from tests.factories import make_member

DIRECTORY = "/medlemmer/"
EDIT = "/medlemmer/mig/rediger/"


def profile_url(user) -> str:
    return f"/medlemmer/{user.pk}/"


# --- Who may see what (visitor, member, circle lead, secretariat) ----------------------------


@pytest.mark.django_db
def test_visitor_is_sent_to_login_from_the_directory_profiles_and_edit_page(client, member):
    for url in (DIRECTORY, profile_url(member), "/medlemmer/999999/", EDIT, DIRECTORY + "?q=a"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "other_member", "circle_lead", "secretariat"])
def test_every_logged_in_role_sees_the_directory_and_a_profile(client, request, role, member):
    viewer = request.getfixturevalue(role)
    client.force_login(viewer)
    page = client.get(DIRECTORY)
    assert page.status_code == 200
    assert member.get_full_name() in page.content.decode()
    profile = client.get(profile_url(member))
    assert profile.status_code == 200
    body = profile.content.decode()
    assert member.email in body and "København" in body and "Kreds Hovedstaden" in body


@pytest.mark.django_db
def test_unknown_profile_is_404_for_members(member_client):
    assert member_client.get("/medlemmer/999999/").status_code == 404


@pytest.mark.django_db
def test_a_member_who_left_is_absent_from_the_directory_and_their_profile_is_404(
    member_client, secretariat, other_member
):
    services.member_deactivate(member=other_member, actor=secretariat)
    page = member_client.get(DIRECTORY).content.decode()
    assert other_member.get_full_name() not in page
    assert member_client.get(profile_url(other_member)).status_code == 404


@pytest.mark.django_db
def test_staff_accounts_are_not_listed_as_members(member_client, secretariat):
    assert secretariat.email not in member_client.get(DIRECTORY).content.decode()
    assert member_client.get(profile_url(secretariat)).status_code == 404


@pytest.mark.django_db
def test_header_links_to_the_directory_for_members_only(member_client):
    assert 'href="/medlemmer/"' in member_client.get("/").content.decode()
    assert 'href="/medlemmer/"' not in Client().get("/").content.decode()


# --- Filters and search ---------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_by_region_circle_municipality_and_name(member_client, member, other_member, circle_lead):
    def names(query):
        response = member_client.get(DIRECTORY + query)
        assert response.status_code == 200
        return {p.get_full_name() for p in response.context["page"]}

    everyone = {member.get_full_name(), other_member.get_full_name(), circle_lead.get_full_name()}
    assert names("") == everyone
    assert names("?region=1081") == {other_member.get_full_name(), circle_lead.get_full_name()}
    assert names("?circle=hovedstaden") == {member.get_full_name()}
    assert names("?municipality=0860") == {circle_lead.get_full_name()}
    assert names(f"?q={other_member.last_name}") >= {other_member.get_full_name()}
    assert names("?q=Aalborg") == {other_member.get_full_name()}
    assert names("?q=hjørring") == {circle_lead.get_full_name()}
    assert names("?q=KØBENHAVN") == {member.get_full_name()}
    # A stale or hand-edited filter value is ignored rather than an error page.
    assert names("?region=9999&circle=findes-ikke") == everyone


@pytest.mark.django_db
def test_a_circle_lead_is_marked_in_the_list(member_client, circle_lead):
    assert "kredsformand" in member_client.get(DIRECTORY + "?circle=nordjylland").content.decode()


# --- Query budgets --------------------------------------------------------------------------


def count_queries(client, url) -> int:
    # Warm up first: a session touched on the first request of a login is not the page's cost.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_directory_and_profile_have_constant_queries_for_1_and_50_members(settings, member_client, member):
    settings.KOMDIR_FRAGMENT_CACHE = False  # the full rendering, as on a first view
    one = count_queries(member_client, DIRECTORY)
    profile_one = count_queries(member_client, profile_url(member))
    nordjylland = Circle.objects.get(slug="nordjylland")
    for i in range(49):
        user = make_member(municipality_name="Vejle", email=f"m{i}@vejle.dk")
        CircleMembership.objects.get_or_create(circle=nordjylland, user=user)
    CircleMembership.objects.get_or_create(circle=nordjylland, user=member)
    fifty = count_queries(member_client, DIRECTORY)
    profile_fifty = count_queries(member_client, profile_url(member))
    assert one == fifty
    assert profile_one == profile_fifty
    assert fifty <= 12 and profile_fifty <= 12


@pytest.mark.django_db
def test_directory_is_paginated(member_client):
    for i in range(35):
        make_member(municipality_name="Vejle", email=f"m{i}@vejle.dk")
    first = member_client.get(DIRECTORY + "?region=1083")
    assert len(first.context["page"].object_list) == 30
    assert "side=2" in first.content.decode()
    second = member_client.get(DIRECTORY + "?region=1083&side=2")
    assert len(second.context["page"].object_list) == 5


# --- Editing one's own profile --------------------------------------------------------------


@pytest.mark.django_db
def test_member_edits_their_own_profile_but_not_municipality_or_level(member_client, member):
    response = member_client.post(
        EDIT,
        {
            "first_name": "Mette",
            "last_name": "Mikkelsen",
            "title": "Direktør for Teknik og Miljø",
            "phone": "+45 33 66 33 66",
            "bio": "Arbejder med klimatilpasning.",
            "municipality": "0860",
            "level": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == profile_url(member)
    member.refresh_from_db()
    member.profile.refresh_from_db()
    assert member.get_full_name() == "Mette Mikkelsen"
    assert member.profile.phone == "+45 33 66 33 66"
    assert member.profile.municipality.name == "København"
    assert member.profile.level == Level.DIRECTOR
    page = member_client.get(profile_url(member)).content.decode()
    assert "Arbejder med klimatilpasning." in page and "Direktør for Teknik og Miljø" in page


@pytest.mark.django_db
def test_bad_profile_input_comes_back_with_a_danish_message_and_what_was_typed(member_client, member):
    # Not a name Faker could have given the member (it once drew "Mikkelsen").
    before = (member.first_name, member.last_name)
    response = member_client.post(
        EDIT, {"first_name": "", "last_name": "Testrup-Mikkelsen", "phone": "ring til mig"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv kun tal" in page
    assert 'value="Testrup-Mikkelsen"' in page and 'value="ring til mig"' in page
    member.refresh_from_db()
    assert (member.first_name, member.last_name) == before


@pytest.mark.django_db
def test_only_the_owner_gets_the_edit_button(member_client, member, other_member):
    assert EDIT in member_client.get(profile_url(member)).content.decode()
    assert EDIT not in member_client.get(profile_url(other_member)).content.decode()


@pytest.mark.django_db
def test_profile_update_service_refuses_someone_else(member, other_member):
    with pytest.raises(services.ValidationError):
        services.profile_update(member=other_member, actor=member, first_name="X", last_name="Y")
