"""The fragment cache (komdir/lib/fragments/, issues 9 and 15) never shows one viewer another's page and
never outlives a change: every test views a page first, so the cache is filled, then changes
something the way the portal does (service, admin-style save, membership change) and looks again."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from circles import services as circle_services
from circles.models import Circle, CircleMembership, MembershipRole, NoteVisibility
from focus import services
from focus.models import Case, FocusArea
from komdir.lib import fragments
from komdir.privacy import services as privacy_services
from tests.factories import make_member


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.fixture
def case(member, area):
    return services.case_create(
        author=member, focus_area=area, title="Cachet case", summary="Resumé", body="Tekst", publish=True
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_page_rendered_for_one_member_is_never_served_to_another(member, other_member, case):
    comment = services.comment_add(author=member, body="Min egen kommentar", case=case)
    edit_link = f"/kommentarer/{comment.pk}/rediger/"
    # Both log in first: a login is a write (last_login) and would refresh every fragment.
    author, reader = _client(member), _client(other_member)
    assert edit_link in author.get(case.get_absolute_url()).content.decode()
    html = reader.get(case.get_absolute_url()).content.decode()
    assert "Min egen kommentar" in html and edit_link not in html


@pytest.mark.django_db
def test_hidden_case_leaves_every_cached_page_at_once(member, other_member, case, area, secretariat):
    reader = _client(other_member)
    for url in ("/", "/cases/", area.get_absolute_url(), case.get_absolute_url(), "/soeg/?q=cachet"):
        assert "Cachet case" in reader.get(url).content.decode(), url
    services.content_hide(obj=case, actor=secretariat, reason="Fejl")
    for url in ("/", "/cases/", area.get_absolute_url(), "/soeg/?q=cachet"):
        assert "Cachet case" not in reader.get(url).content.decode(), url
    assert reader.get(case.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_save_outside_the_services_also_refreshes_pages(other_member, case):
    reader = _client(other_member)
    for url in ("/cases/", case.get_absolute_url()):
        assert "Cachet case" in reader.get(url).content.decode()
    stored = Case.objects.get(pk=case.pk)  # as the admin does: the instance, saved
    stored.title = "Omdøbt i admin"
    stored.save()
    for url in ("/cases/", case.get_absolute_url()):
        html = reader.get(url, follow=True).content.decode()
        assert "Omdøbt i admin" in html and "Cachet case" not in html, url


@pytest.mark.django_db
def test_withdrawn_contributions_leave_cached_pages(member, other_member, case, area):
    services.comment_add(author=member, body="Trækkes tilbage", focus_area=area)
    reader = _client(other_member)
    assert "Trækkes tilbage" in reader.get(area.get_absolute_url()).content.decode()
    privacy_services.account_delete(user=member, actor=member, delete_contributions=True)
    html = reader.get(area.get_absolute_url()).content.decode()
    assert "Trækkes tilbage" not in html and "Cachet case" not in html


@pytest.mark.django_db
def test_a_circle_only_note_on_a_cached_area_page_stays_in_the_circle(area, secretariat):
    nordjylland = Circle.objects.get(slug="nordjylland")
    lead = make_member(municipality_name="Aalborg", email="leder@kommune.test")
    circle_services.membership_set(user=lead, circle=nordjylland, role=MembershipRole.LEAD)
    reader = make_member(municipality_name="Hjørring", email="laeser@kommune.test")
    day = timezone.localdate() - timedelta(days=3)
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))
    meeting = circle_services.meeting_create(
        actor=lead,
        circle=nordjylland,
        title="Lukket kredsmøde",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    circle_services.note_save(
        actor=lead,
        meeting=meeting,
        body="Kun for kredsen",
        visibility=NoteVisibility.CIRCLE,
        focus_areas=[area],
        publish=True,
    )
    client = _client(reader)
    assert "Lukket kredsmøde" in client.get(area.get_absolute_url()).content.decode()
    # Another circle's member and a visitor share no fragment with the circle's reader.
    outsider = make_member(municipality_name="Odense", email="ude@kommune.test")
    circle_services.membership_set(user=outsider, circle=Circle.objects.get(slug="syddanmark"))
    assert "Lukket kredsmøde" not in _client(outsider).get(area.get_absolute_url()).content.decode()
    assert "Lukket kredsmøde" not in Client().get(area.get_absolute_url()).content.decode()
    assert "Lukket kredsmøde" in client.get(area.get_absolute_url()).content.decode()
    CircleMembership.objects.filter(user=reader).delete()
    assert "Lukket kredsmøde" not in client.get(area.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_forms_in_a_cached_page_work_in_the_members_next_browser_session(other_member, case):
    """The first session's page holds its own CSRF token; a new session must get its own page."""
    first = Client(enforce_csrf_checks=True)
    first.force_login(other_member)
    second = Client(enforce_csrf_checks=True)  # another browser, or the same after logging in again
    second.force_login(other_member)
    first.get(case.get_absolute_url())
    html = second.get(case.get_absolute_url()).content.decode()
    comment_form = html.split(f'action="/kommentarer/ny/case/{case.pk}/"')[1]
    token = comment_form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post(
        f"/kommentarer/ny/case/{case.pk}/", {"body": "Efter nyt login", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert "Efter nyt login" in second.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_lost_version_never_brings_old_fragments_back(other_member, case):
    """Redis may drop a tag's version (culled, restarted): the next one is new, never an old one."""
    from django.core.cache import caches

    reader = _client(other_member)
    assert "Cachet case" in reader.get(case.get_absolute_url()).content.decode()
    stored = Case.objects.get(pk=case.pk)
    stored.title = "Ny titel"
    stored.save()
    caches[fragments.ALIAS].delete(f"version:focus.case:{case.pk}")
    html = reader.get(case.get_absolute_url()).content.decode()
    assert "Ny titel" in html and "Cachet case" not in html


@pytest.mark.django_db
def test_pages_render_the_same_with_the_cache_off(settings, other_member, case):
    client = _client(other_member)
    cached = client.get(case.get_absolute_url()).content.decode()
    settings.KOMDIR_FRAGMENT_CACHE = False
    assert "Cachet case" in client.get(case.get_absolute_url()).content.decode()
    assert "Cachet case" in cached


@pytest.mark.django_db
def test_filter_choices_are_shared_by_kind_of_viewer_only(
    member, other_member, area, secretariat, secretariat_client
):
    case = services.case_create(
        author=member,
        focus_area=area,
        title="Skjules",
        summary="R",
        body="T",
        publish=True,
        tags=["hemmeligt emne"],
    )
    services.content_hide(obj=case, actor=secretariat, reason="Fejl")
    reader = _client(other_member)
    # The secretariat (who reads hidden cases) fills the cache first; members get their own.
    assert "hemmeligt emne" in secretariat_client.get("/cases/").content.decode()
    assert "hemmeligt emne" not in reader.get("/cases/").content.decode()
    assert "hemmeligt emne" not in Client().get("/cases/").content.decode()


def test_every_hole_has_its_filler_in_a_fresh_process_before_any_template_is_loaded():
    """A fragment rendered by one app server is filled by another that may never have loaded
    the template tag that made the hole: every filler is registered when the apps are ready."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    named = set()
    for path in root.glob("[a-z]*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        named |= set(re.findall(r'register_hole\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert {"csrf", "follow", "comment_count"} <= named
    script = (
        "import django; django.setup(); from komdir.lib.fragments import holes; "
        "print(' '.join(sorted(holes._fillers)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "komdir.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(out.stdout.split()) == named
