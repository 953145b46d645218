"""Case collections (eksempelsamlinger): the secretariat picks cases by hand or from a filter, in
an order, with an introduction; a public collection holds only cases their authors let be shown
publicly; a members-only one says so on every page; both download as a tagged PDF and as Word,
read back here; a collection lists where it was sent."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from focus.voice import services
from focus.voice.models import Collection, CollectionAudience
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(member, other_member, area, question):
    return {
        "public": make_case(
            member, area, title="Hverdagsrehabilitering i Ballerup", public=True, questions=[question]
        ),
        "members": make_case(other_member, area, title="Fortrolig omlægning i Aalborg", public=False),
    }


def _pdf_pages(content: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_secretariat_builds_a_members_only_collection_and_members_read_it(staff, member, area, cases):
    response = staff.post(
        "/eksempelsamlinger/ny/",
        {"title": "Frisættelse i praksis", "audience": "members", "intro": "Til **ministeriet**."},
        follow=True,
    )
    collection = Collection.objects.get()
    assert response.redirect_chain[-1][0] == collection.get_absolute_url()
    page = staff.get(f"{collection.get_absolute_url()}?area={area.pk}").content.decode()
    assert cases["public"].title in page and cases["members"].title in page  # candidates
    question = cases["public"].questions.get()
    by_question = staff.get(f"{collection.get_absolute_url()}?question={question.pk}").content.decode()
    assert cases["public"].title in by_question and cases["members"].title not in by_question
    for case in (cases["public"], cases["members"]):
        staff.post(f"/eksempelsamlinger/{collection.slug}/cases/", {"case": case.pk, "action": "add"})
    staff.post(f"/eksempelsamlinger/{collection.slug}/cases/", {"case": cases["public"].pk, "action": "down"})
    reader = Client()
    reader.force_login(member)
    assert reader.get(collection.get_absolute_url()).status_code == 404  # not published yet
    staff.post(f"/eksempelsamlinger/{collection.slug}/offentliggoer/")
    page = reader.get(collection.get_absolute_url()).content.decode()
    assert page.index(cases["members"].title) < page.index(cases["public"].title)  # the order chosen
    assert "kun for medlemmer af KOMDIR" in page
    assert Client().get(collection.get_absolute_url()).status_code == 302  # a visitor logs in first
    pages = _pdf_pages(reader.get(f"{collection.get_absolute_url()}pdf/").content)
    assert len(pages) >= 3 and all("Kun for medlemmer af KOMDIR" in p for p in pages)
    document = Document(io.BytesIO(reader.get(f"{collection.get_absolute_url()}docx/").content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-2:] == [cases["members"].title, cases["public"].title]
    assert "Kun for medlemmer af KOMDIR" in document.sections[0].footer.paragraphs[0].text
    assert "Til ministeriet." in [p.text for p in document.paragraphs]  # Markdown as plain text


def test_a_public_collection_holds_only_public_cases_in_every_output(secretariat, member, cases):
    collection = services.collection_create(actor=secretariat, title="Gode eksempler", audience="public")
    with pytest.raises(Exception, match="kun for medlemmer"):
        services.collection_add_cases(actor=secretariat, collection=collection, cases=[cases["members"]])
    services.collection_add_cases(actor=secretariat, collection=collection, cases=[cases["public"]])
    services.collection_publish(actor=secretariat, collection=collection)
    visitor = Client()
    assert cases["public"].title in visitor.get(collection.get_absolute_url()).content.decode()
    pdf = visitor.get(f"{collection.get_absolute_url()}pdf/").content
    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"] and cases["public"].title in " ".join(_pdf_pages(pdf))
    # The author makes the case members-only: it leaves the page, the PDF and the Word file.
    from focus import services as focus_services

    case = cases["public"]
    focus_services.case_update(
        case=case,
        editor=member,
        focus_area=case.focus_area,
        title=case.title,
        summary=case.summary,
        body=case.body,
        is_public=False,
        expected_version=case.version,
    )
    assert case.title not in visitor.get(collection.get_absolute_url()).content.decode()
    assert case.title not in " ".join(_pdf_pages(visitor.get(f"{collection.get_absolute_url()}pdf/").content))
    docx = Document(io.BytesIO(visitor.get(f"{collection.get_absolute_url()}docx/").content))
    assert case.title not in " ".join(p.text for p in docx.paragraphs)


def test_a_collection_lists_where_it_was_sent(staff, secretariat, cases):
    collection = services.collection_create(actor=secretariat, title="Til udvalget", audience="members")
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    refused = staff.post(
        f"/eksempelsamlinger/{collection.slug}/sendt/", {"recipient": "Folketingets KOU", "sent_on": future}
    )
    assert refused.status_code == 400 and "Datoen kan ikke ligge ude i fremtiden." in refused.content.decode()
    assert 'value="Folketingets KOU"' in refused.content.decode()
    staff.post(
        f"/eksempelsamlinger/{collection.slug}/sendt/",
        {"recipient": "Folketingets KOU", "sent_on": timezone.localdate().isoformat()},
    )
    assert "Folketingets KOU" in staff.get(collection.get_absolute_url()).content.decode()


def test_a_member_cannot_build_collections(client, member, secretariat, cases):
    collection = services.collection_create(actor=secretariat, title="Under arbejde", audience="public")
    client.force_login(member)
    assert client.get("/eksempelsamlinger/ny/").status_code == 403
    assert client.get(collection.get_absolute_url()).status_code == 404
    assert collection.title not in client.get("/eksempelsamlinger/").content.decode()
    assert (
        client.post(
            f"/eksempelsamlinger/{collection.slug}/cases/", {"case": cases["public"].pk, "action": "add"}
        ).status_code
        == 404
    )


def test_the_pages_cost_the_same_with_1_and_50_cases(secretariat, member, other_member, area):
    collection = services.collection_create(
        actor=secretariat, title="Mange eksempler", audience=CollectionAudience.MEMBERS
    )
    services.collection_add_cases(
        actor=secretariat, collection=collection, cases=[make_case(member, area, title="Første")]
    )
    services.collection_publish(actor=secretariat, collection=collection)
    reader = Client()
    reader.force_login(member)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert reader.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/eksempelsamlinger/", collection.get_absolute_url()]
    small = {url: count(url) for url in urls}
    more = [make_case(other_member if i % 2 else member, area, title=f"Case {i}") for i in range(49)]
    services.collection_add_cases(actor=secretariat, collection=collection, cases=more)
    for url in urls:
        assert count(url) == small[url] <= 12, url
