"""Contribution fixtures for tests/focus: everything is built through the services."""

import pytest

from focus import services
from focus.models import FocusArea


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.fixture
def question(area):
    return area.questions.order_by("order").first()


def make_case(
    author, area, *, title="Hverdagsrehabilitering i praksis", publish=True, public=False, **kwargs
):
    kwargs.setdefault("summary", "Et kort resumé.")
    kwargs.setdefault("body", "Tekst med **fed**.")
    return services.case_create(
        author=author, focus_area=area, title=title, publish=publish, is_public=public, **kwargs
    )


@pytest.fixture
def public_case(member, area, question):
    return make_case(member, area, title="Offentlig case", public=True, questions=[question], tags=["ældre"])


@pytest.fixture
def members_case(member, area):
    return make_case(member, area, title="Medlemscase", public=False, tags=["rekruttering"])


@pytest.fixture
def draft_case(member, area):
    return make_case(member, area, title="Min kladde", publish=False, public=True)


@pytest.fixture
def hidden_case(member, area, secretariat):
    case = make_case(member, area, title="Skjult case", public=True)
    return services.content_hide(obj=case, actor=secretariat, reason="Personfølsomme oplysninger")
