from datetime import timedelta

import pytest
from django.utils import timezone

from circles.polls import services
from circles.polls.models import PollKind
from tests.factories import make_member


def make_poll(
    *, actor, circle=None, question="Skal vi mødes oftere?", options=("Ja", "Nej", "Måske"), **kwargs
):
    now = timezone.now()
    kwargs.setdefault("opens_at", now - timedelta(minutes=1))
    kwargs.setdefault("closes_at", now + timedelta(days=7))
    return services.poll_create(actor=actor, circle=circle, question=question, options=options, **kwargs)


def option(poll, label):
    return poll.options.get(label=label)


def close_by_time(poll, *, ago=timedelta(minutes=1)):
    """The poll's closing time has passed (as it will; no service sets a past closing time)."""
    type(poll).objects.filter(pk=poll.pk).update(
        opens_at=timezone.now() - ago - timedelta(days=1), closes_at=timezone.now() - ago
    )
    poll.refresh_from_db()
    return poll


@pytest.fixture
def all_poll(secretariat):
    return make_poll(actor=secretariat, question="Hvilket område først?")


@pytest.fixture
def circle_poll(circle_lead, nordjylland):
    return make_poll(actor=circle_lead, circle=nordjylland, question="Skal kredsen mødes i Aalborg?")


@pytest.fixture
def secret_poll(circle_lead, nordjylland):
    return make_poll(
        actor=circle_lead,
        circle=nordjylland,
        question="Forslag: fælles møde med Midtjylland",
        kind=PollKind.PROPOSAL,
        anonymous=True,
    )


@pytest.fixture
def north_member(db):
    return make_member(municipality_name="Frederikshavn", email="nord@kommune.test")
