"""Fixtures for KOMDIR's positions: built through the services, as the portal builds them."""

from __future__ import annotations

import pytest
from django.test import Client

from focus import services as focus_services
from focus.voice import services
from tests.conftest import current_totp_code
from tests.factories import PASSWORD
from tests.focus.conftest import make_case

QUOTE_PUBLIC = "Efter to år bruger færre borgere hjemmepleje"
QUOTE_MEMBERS = "hemmelig indsigt fra en medlemscase"
QUOTE_COMMENT = "vi flyttede statusmødet til tirsdag"


@pytest.fixture
def staff(secretariat):
    """The secretariat logged in the real way (password, then the TOTP code)."""
    client = Client()
    client.post("/accounts/login/", {"login": secretariat.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302
    return client


@pytest.fixture
def sources(member, other_member, area, question):
    """A public case, a members-only case and a comment, all on `question`."""
    public = make_case(
        member,
        area,
        title="Hverdagsrehabilitering før visitation",
        public=True,
        questions=[question],
        summary="Efter to år bruger færre borgere hjemmepleje, og flere klarer sig selv.",
    )
    members_only = make_case(
        other_member,
        area,
        title="Fortroligt forsøg i Aalborg",
        public=False,
        questions=[question],
        body=f"Her står en {QUOTE_MEMBERS}, som kun medlemmer må læse.",
    )
    comment = focus_services.comment_add(
        author=member, body=f"Hos os {QUOTE_COMMENT}, og det hjalp.", question=question
    )
    return {"public": public, "members_only": members_only, "comment": comment}


@pytest.fixture
def draft(secretariat, question):
    return services.position_create(
        actor=secretariat,
        question=question,
        title="Frihed til at starte med borgerens mål",
        body="KOMDIR mener, at **borgerens mål** kommer først.",
    )


@pytest.fixture
def cited(secretariat, draft, sources):
    """The draft citing all three sources with a quote each (two of them need consent)."""
    return {
        "public": services.citation_add(
            actor=secretariat, position=draft, case=sources["public"], quote=QUOTE_PUBLIC
        ),
        "members_only": services.citation_add(
            actor=secretariat, position=draft, case=sources["members_only"], quote=QUOTE_MEMBERS
        ),
        "comment": services.citation_add(
            actor=secretariat, position=draft, comment=sources["comment"], quote=QUOTE_COMMENT
        ),
    }
