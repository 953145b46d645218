"""The policy matrix for cases and reports of cases: every role × action × state (focus.policies).

Roles: a visitor; a member; the author of every case here; a circle lead; the secretariat (staff,
not superuser); a member who has left (inactive). The states are those of tests/focus/worlds.py.
"""

import pytest

from focus import policies, services
from focus.models import FocusArea, PeriodStatus, StrategyPeriod
from tests.focus.worlds import build_world
from tests.policy_table import matrix, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        yield build_world()


CASE_ACTIONS = {
    "view": policies.cases.can_view,
    "edit": policies.cases.can_edit,
    "comment": policies.cases.can_comment,
    "report": policies.cases.can_report,
}

# "hidden" is a published case the secretariat hid; "hidden_draft" a draft it hid.
CASES = """
action   state         visitor  member  author  lead  secretariat  departed
view     public        yes      yes     yes     yes   yes          yes
view     members       -        yes     yes     yes   yes          -
view     draft         -        -       yes     -     -            -
view     hidden        -        -       -       -     yes          -
view     hidden_draft  -        -       -       -     -            -
edit     public        -        -       yes     -     -            -
edit     members       -        -       yes     -     -            -
edit     draft         -        -       yes     -     -            -
edit     hidden        -        -       -       -     -            -
edit     hidden_draft  -        -       -       -     -            -
comment  public        -        yes     yes     yes   yes          -
comment  members       -        yes     yes     yes   yes          -
comment  draft         -        -       -       -     -            -
comment  hidden        -        -       -       -     -            -
comment  hidden_draft  -        -       -       -     -            -
report   public        -        yes     yes     yes   yes          -
report   members       -        yes     yes     yes   yes          -
report   draft         -        -       -       -     -            -
report   hidden        -        -       -       -     yes          -
report   hidden_draft  -        -       -       -     -            -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(CASES))
def test_case_rule(world, role, action, state, expected):
    assert CASE_ACTIONS[action](world.user(role), world.case(state)) is expected


# Rules without an object: writing a case or a comment, reading discussions, moderating.
GLOBAL_ACTIONS = {
    "create_case": policies.cases.can_create,
    "comment": policies.comments.can_create,
    "read_comments": policies.comments.can_list,
    "moderate": policies.cases.can_moderate,
}

GLOBAL = """
action         state  visitor  member  author  lead  secretariat  departed
create_case    any    -        yes     yes     yes   yes          -
comment        any    -        yes     yes     yes   yes          -
read_comments  any    -        yes     yes     yes   yes          -
moderate       any    -        -       -       -     yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(GLOBAL))
def test_contribution_rule_without_object(world, role, action, state, expected):
    assert GLOBAL_ACTIONS[action](world.user(role)) is expected


# --- Strategy periods and focus areas: everyone browses the current and archived ones ------------

PERIODS = """
action       state     visitor  member  secretariat
period_page  current   yes      yes     yes
period_page  archived  yes      yes     yes
period_page  draft     -        -       -
area_page    current   yes      yes     yes
area_page    archived  yes      yes     yes
area_page    draft     -        -       -
in_list      current   yes      yes     yes
in_list      archived  yes      yes     yes
in_list      draft     -        -       -
"""


@pytest.fixture(scope="module")
def periods(world, django_db_blocker):
    """A period for each state with one area; a draft is prepared in the admin, not browsed."""
    with django_db_blocker.unblock():
        result = {"current": StrategyPeriod.objects.get(status=PeriodStatus.CURRENT)}
        for status, years in ((PeriodStatus.ARCHIVED, (2019, 2022)), (PeriodStatus.DRAFT, (2026, 2029))):
            period = services.period_save(
                period=StrategyPeriod(
                    title=f"Periode {status}",
                    slug=f"periode-{status}",
                    start_year=years[0],
                    end_year=years[1],
                    status=status,
                )
            )
            services.area_save(
                area=FocusArea(
                    period=period, number=1, title="Område", slug="omraade", lead="Led.", body="Tekst."
                )
            )
            result[str(status)] = period
    return result


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(PERIODS))
def test_period_browsing_rule(client, world, periods, role, action, state, expected):
    if role != "visitor":
        client.force_login(world.user(role))
    period = periods[state]
    area = period.areas.order_by("number").first()
    if action == "in_list":
        listing = client.get("/perioder/").content.decode()
        assert (period.get_absolute_url() in listing) is expected
        return
    url = period.get_absolute_url() if action == "period_page" else area.get_absolute_url()
    assert client.get(url).status_code == (200 if expected else 404)
