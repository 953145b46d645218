"""Every public output of a position (its page, the PDF, the Atom feed, the focus area page) is
built from the public version only: a data set full of members-only and circle-only content
leaves none of it there, and a quote appears only once its member has said yes."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from circles import services as circle_services
from circles.models import Circle, NoteVisibility
from focus.voice import services
from focus.voice.models import Consent
from tests.circles.conftest import make_meeting
from tests.focus.voice.conftest import QUOTE_COMMENT, QUOTE_MEMBERS, QUOTE_PUBLIC

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Fortroligt referat fra kredsen"


@pytest.fixture
def published(secretariat, circle_lead, draft, cited):
    # Circle-only and members-only content all around the position.
    meeting = make_meeting(actor=circle_lead, circle=Circle.objects.get(slug="nordjylland"), days=-3)
    circle_services.note_save(
        actor=circle_lead, meeting=meeting, body=SECRET_NOTE, visibility=NoteVisibility.CIRCLE, publish=True
    )
    return services.position_publish(actor=secretariat, position=draft, version=draft.version)


def public_texts(position) -> dict[str, str]:
    visitor = Client()
    pdf = visitor.get(f"{position.get_absolute_url()}pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    return {
        "page": visitor.get(position.get_absolute_url()).content.decode(),
        "pdf": " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages),
        "feed": visitor.get("/holdninger/feed/").content.decode(),
        "list": visitor.get("/holdninger/").content.decode(),
        "area": visitor.get(position.question.focus_area.get_absolute_url()).content.decode(),
    }


def test_without_consent_no_members_words_reach_any_public_output(published, sources):
    texts = public_texts(published)
    assert published.published_title in texts["page"] and published.published_title in texts["feed"]
    assert published.get_absolute_url() in texts["area"]  # named under its question
    assert QUOTE_PUBLIC in texts["page"] and QUOTE_PUBLIC in " ".join(texts["pdf"].split())
    for name, text in texts.items():
        for secret in (QUOTE_MEMBERS, QUOTE_COMMENT, sources["members_only"].title, SECRET_NOTE):
            assert secret not in text, (name, secret)


def test_a_yes_brings_the_quote_in_as_the_member_chose_and_a_no_takes_it_out(
    published, cited, member, other_member, sources
):
    services.consent_answer(user=other_member, citation=cited["members_only"], answer=Consent.ANONYMOUS)
    services.consent_answer(user=member, citation=cited["comment"], answer=Consent.NAMED)
    texts = public_texts(published)
    for name in ("page", "pdf"):
        assert QUOTE_MEMBERS in texts[name] and QUOTE_COMMENT in texts[name], name
        # Anonymous: the role and the region, never the name; never the members-only case's title.
        assert "en direktør i Region Nordjylland" in texts[name], name
        assert other_member.get_full_name() not in texts[name], name
        assert sources["members_only"].title not in texts[name], name
        assert sources["members_only"].get_absolute_url() not in texts[name], name
        assert member.get_full_name() in texts[name], name  # named, as they chose
    services.consent_answer(user=member, citation=cited["comment"], answer=Consent.REFUSED)
    texts = public_texts(published)
    assert QUOTE_COMMENT not in texts["page"] and QUOTE_COMMENT not in texts["pdf"]


def test_the_pdf_is_tagged_with_its_language_and_title(published):
    reader = PdfReader(io.BytesIO(Client().get(f"{published.get_absolute_url()}pdf/").content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower().startswith("da")
    assert reader.metadata.title.startswith(published.published_title)


def test_a_case_made_members_only_later_leaves_the_public_version(published, sources, member):
    from focus import services as focus_services

    case = sources["public"]
    focus_services.case_update(
        case=case,
        editor=member,
        focus_area=case.focus_area,
        title=case.title,
        summary=case.summary,
        body=case.body,
        questions=list(case.questions.all()),
        is_public=False,
        expected_version=case.version,
    )
    texts = public_texts(published)
    assert QUOTE_PUBLIC not in texts["page"] and sources["public"].title not in texts["page"]
