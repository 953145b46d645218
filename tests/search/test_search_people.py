"""Search finds exactly the people the member directory lists, for every viewer.

Staff and superuser accounts (whose profiles answer 404 and who are absent from the directory)
and departed members are not people search may list. Both pages are asked through the test
client, as a member and as the secretariat would, on SQLite and PostgreSQL alike.
"""

import re

import pytest

from members.models import Profile, User
from tests.factories import make_member, municipality

pytestmark = pytest.mark.django_db

WORD = "Direktør"


@pytest.fixture
def people(member, other_member, secretariat):
    """Members, a departed member and the kinds of account that are not members."""
    Profile.objects.create(user=secretariat, title=WORD, municipality=municipality("Aarhus"))
    staff = make_member(municipality_name="Odense", email="medarbejder@komdir.test", is_staff=True)
    superuser = make_member(
        municipality_name="Vejle", email="super@komdir.test", is_staff=True, is_superuser=True
    )
    # A superuser without the staff flag is still an administrator's account, not a member.
    root = make_member(municipality_name="Køge", email="root@komdir.test", is_superuser=True)
    departed = make_member(municipality_name="Herning", email="gaaet@kommune.test")
    User.objects.filter(pk=departed.pk).update(is_active=False)
    return {
        "members": {member.pk, other_member.pk},
        "not members": {secretariat.pk, staff.pk, superuser.pk, root.pk, departed.pk},
    }


def profile_ids(html: str) -> set[int]:
    """The people listed: each a heading linking to the profile (not "Se din egen profil")."""
    return {int(pk) for pk in re.findall(r'<h3[^>]*><a href="/medlemmer/(\d+)/"', html)}


def directory_ids(client) -> set[int]:
    response = client.get("/medlemmer/", {"q": WORD})
    assert response.status_code == 200
    return profile_ids(response.content.decode().split("<main", 1)[-1])


def search_ids(client) -> set[int]:
    response = client.get("/soeg/", {"q": WORD, "type": "member"})
    assert response.status_code == 200
    return profile_ids(response.content.decode().split("<main", 1)[-1])


def test_a_member_finds_in_search_exactly_the_people_of_the_directory(member_client, people):
    assert directory_ids(member_client) == people["members"]
    assert search_ids(member_client) == people["members"]


def test_the_secretariat_finds_in_search_exactly_the_people_of_the_directory(secretariat_client, people):
    assert directory_ids(secretariat_client) == people["members"]
    assert search_ids(secretariat_client) == people["members"]


def test_every_person_search_finds_has_a_profile_that_opens(member_client, people):
    found = search_ids(member_client)
    assert found
    for pk in found | people["not members"]:
        status = member_client.get(f"/medlemmer/{pk}/").status_code
        assert status == (200 if pk in found else 404)


def test_search_by_the_name_of_a_staff_account_finds_nobody(member_client, people):
    staff = User.objects.get(email="medarbejder@komdir.test")
    response = member_client.get("/soeg/", {"q": staff.last_name, "type": "member"})
    assert f'href="/medlemmer/{staff.pk}/"' not in response.content.decode()
