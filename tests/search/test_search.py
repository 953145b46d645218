"""Search on both backends: visibility, Danish letters (and stemming on PostgreSQL), hostile
queries, highlighting, filters and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles.models import Circle, MeetingNote, NoteVisibility
from circles.services import meeting_create, note_save
from focus import services
from focus.models import FocusArea
from komdir.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


def make_case(author, area, *, title, body="Tekst.", publish=True, public=False, summary="Et kort resumé."):
    return services.case_create(
        author=author,
        focus_area=area,
        title=title,
        summary=summary,
        body=body,
        publish=publish,
        is_public=public,
    )


def titles(result) -> list[str]:
    return [hit.title for hit in result["hits"]]


def make_note(lead, *, body, visibility):
    from datetime import timedelta

    from django.utils import timezone

    circle = Circle.objects.get(slug="nordjylland")
    start = timezone.now() + timedelta(days=3)
    meeting = meeting_create(
        actor=lead,
        circle=circle,
        title="Kredsmøde i Aalborg",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    return note_save(actor=lead, meeting=meeting, body=body, visibility=visibility, publish=True)


def test_danish_letters_match_whatever_the_case(member, area):
    make_case(
        member, area, title="Æbler i skolemaden", body="Vi serverer ØKOLOGISKE æbler og cykler til alle."
    )
    assert "Æbler i skolemaden" in titles(search(viewer=member, q="æbler"))
    assert "Æbler i skolemaden" in titles(search(viewer=member, q="ÆBLER"))
    assert "Æbler i skolemaden" in titles(search(viewer=member, q="økologiske"))
    if connection.vendor == "postgresql":
        # Danish stemming: other forms of the words find the case.
        assert "Æbler i skolemaden" in titles(search(viewer=member, q="æble"))
        assert "Æbler i skolemaden" in titles(search(viewer=member, q="cyklen"))
    else:
        # SQLite has no stemmer: the exact word, in any case, is what finds it.
        assert "Æbler i skolemaden" in titles(search(viewer=member, q="CYKLER"))
        assert "Æbler i skolemaden" not in titles(search(viewer=member, q="pærer"))


def test_title_ranks_above_body(member, area):
    make_case(member, area, title="Om budgetter", body="Her nævnes velfærdsteknologi en enkelt gang.")
    make_case(member, area, title="Velfærdsteknologi i ældreplejen", body="Om robotter.")
    hits = [h for h in search(viewer=member, q="velfærdsteknologi")["hits"] if h.kind == "case"]
    assert [h.title for h in hits] == ["Velfærdsteknologi i ældreplejen", "Om budgetter"]


def test_websearch_syntax_excludes_words(member, area):
    make_case(member, area, title="Rekruttering af sygeplejersker")
    make_case(member, area, title="Rekruttering af pædagoger")
    found = titles(search(viewer=member, q="rekruttering -pædagoger"))
    assert "Rekruttering af sygeplejersker" in found
    assert "Rekruttering af pædagoger" not in found
    assert titles(search(viewer=member, q='"af pædagoger"')) == ["Rekruttering af pædagoger"]


def test_circle_only_note_is_never_found_by_another_circle(circle_lead, member, other_member):
    note = make_note(circle_lead, body="Drøftelse af kommunesammenlægning", visibility=NoteVisibility.CIRCLE)
    url = note.get_absolute_url()
    # other_member is in Kreds Nordjylland with the lead; member is in Kreds Hovedstaden.
    assert url in [h.url for h in search(viewer=other_member, q="kommunesammenlægning")["hits"]]
    assert url not in [h.url for h in search(viewer=member, q="kommunesammenlægning")["hits"]]


def test_members_note_is_found_by_every_member(circle_lead, member):
    note = make_note(circle_lead, body="Drøftelse af kommunesammenlægning", visibility=NoteVisibility.MEMBERS)
    assert note.get_absolute_url() in [h.url for h in search(viewer=member, q="kommunesammenlægning")["hits"]]


def test_drafts_and_hidden_content_are_not_found_by_others(member, other_member, secretariat, area):
    from django.contrib.auth.models import AnonymousUser

    make_case(member, area, title="Hemmelig kladde om affaldssortering", publish=False)
    hidden = make_case(member, area, title="Skjult case om affaldssortering", public=True)
    services.content_hide(obj=hidden, actor=secretariat, reason="Fejl i teksten.")
    make_case(member, area, title="Synlig case om affaldssortering", public=True)
    assert titles(search(viewer=other_member, q="affaldssortering")) == ["Synlig case om affaldssortering"]
    assert titles(search(viewer=AnonymousUser(), q="affaldssortering")) == ["Synlig case om affaldssortering"]
    assert "Hemmelig kladde om affaldssortering" in titles(search(viewer=member, q="affaldssortering"))
    assert "Skjult case om affaldssortering" in titles(search(viewer=secretariat, q="affaldssortering"))


def test_visitors_find_public_cases_and_areas_but_no_comments_notes_or_members(client, member, area):
    from django.contrib.auth.models import AnonymousUser

    case = make_case(member, area, title="Intern case om borgerbudgetter")
    services.comment_add(author=member, case=case, body="En kommentar om borgerbudgetter")
    visitor = search(viewer=AnonymousUser(), q="borgerbudgetter")
    assert visitor["hits"] == []
    assert set(visitor["kinds"]) == {"area", "question", "case"}
    assert {h.kind for h in search(viewer=member, q="borgerbudgetter")["hits"]} == {"case", "comment"}


def test_members_are_found_by_name(member, other_member):
    other_member.first_name = "Ærlige Åse"
    other_member.save(update_fields=["first_name"])
    assert "members" not in search(viewer=member, q="åse")["kinds"]
    assert any(
        h.kind == "member" and "Ærlige Åse" in h.title for h in search(viewer=member, q="ÆRLIGE")["hits"]
    )


def test_filters_by_kind_area_and_circle(member, circle_lead, area):
    other_area = FocusArea.objects.get(period__status="current", number=2)
    make_case(member, area, title="Tillidsreform i område et")
    make_case(member, other_area, title="Tillidsreform i område to")
    make_note(circle_lead, body="Tillidsreform drøftet", visibility=NoteVisibility.MEMBERS)
    assert {h.kind for h in search(viewer=member, q="tillidsreform", kind="case")["hits"]} == {"case"}
    assert titles(search(viewer=member, q="tillidsreform", kind="case", area_id=area.pk)) == [
        "Tillidsreform i område et"
    ]
    hovedstaden = Circle.objects.get(slug="hovedstaden")
    nordjylland = Circle.objects.get(slug="nordjylland")
    assert search(viewer=member, q="tillidsreform", circle_id=hovedstaden.pk)["hits"] == []
    assert {h.kind for h in search(viewer=member, q="tillidsreform", circle_id=nordjylland.pk)["hits"]} == {
        "note"
    }


def test_area_and_question_text_is_found(member, area):
    word = area.title.split()[0]
    assert area.get_absolute_url() in [h.url for h in search(viewer=member, q=word)["hits"]]


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'",
        "!!!",
        "&|:*()<>",
        "a & | !b",
        "\\",
        "%_",
        "-",
        '"ubalanceret',
        "OR OR",
        "ø" * 1000,
        "x" * 1000,
    ],
)
def test_hostile_queries_answer_with_a_page(client, member, area, q):
    make_case(member, area, title="Noget at finde")
    client.force_login(member)
    response = client.get("/soeg/", {"q": q})
    assert response.status_code == 200


def test_null_character_answers_with_a_page(member_client):
    assert member_client.get("/soeg/?q=%00abc").status_code == 200


def test_long_query_is_cut_with_a_message(member_client):
    response = member_client.get("/soeg/", {"q": "a" * 1000})
    assert response.status_code == 200
    assert "forkortet" in response.content.decode()


def test_snippet_highlights_and_escapes_member_text(member_client, member, area):
    make_case(
        member,
        area,
        title="Markering",
        body="Vi testede <script>alert(1)</script> og æbler.",
        summary="Om æbler.",
    )
    content = member_client.get("/soeg/", {"q": "æbler"}).content.decode()
    assert "<mark>" in content
    assert "<script>alert(1)" not in content


def test_header_has_an_accessible_search_box(client):
    content = client.get("/").content.decode()
    assert "<search" in content
    assert 'for="header-search-q"' in content
    assert 'action="/soeg/"' in content


def _search_queries(client, q):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/soeg/", {"q": q})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_search_page_query_count_is_the_same_for_1_and_50_hits(member_client, member, other_member, area):
    case = make_case(member, area, title="Sundhedsaftale nummer 0")
    services.comment_add(author=other_member, case=case, body="Sundhedsaftale kommentar")
    one = _search_queries(member_client, "sundhedsaftale")
    for n in range(1, 50):
        c = make_case(member if n % 2 else other_member, area, title=f"Sundhedsaftale nummer {n}")
        services.comment_add(author=other_member, case=c, body=f"Sundhedsaftale kommentar {n}")
    fifty = _search_queries(member_client, "sundhedsaftale")
    assert one == fifty
    assert fifty <= 12


def test_area_feed_lists_public_cases_only(client, member, area):
    make_case(member, area, title="Offentlig case til feedet", public=True)
    make_case(member, area, title="Intern case til feedet")
    make_case(member, area, title="Kladde til feedet", public=True, publish=False)
    response = client.get(f"/perioder/{area.period.slug}/{area.slug}/cases.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Offentlig case til feedet" in body
    assert "Intern case til feedet" not in body
    assert "Kladde til feedet" not in body
    assert client.get(f"/perioder/{area.period.slug}/findes-ikke/cases.atom").status_code == 404


def test_feed_readers_get_not_modified_until_a_case_is_published(client, member, area):
    url = f"/perioder/{area.period.slug}/{area.slug}/cases.atom"
    make_case(member, area, title="Første offentlige case", public=True)
    first = client.get(url)
    assert first["Last-Modified"] and first["ETag"]
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    make_case(member, area, title="Anden offentlige case", public=True)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and "Anden offentlige case" in again.content.decode()


def test_comment_search_can_use_its_index(member, area):
    from komdir.search import selectors as site_search

    qs, source = site_search._querysets(member, area_id=None, circle_id=None)["comment"]
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery("velfærd", config="danish", search_type="websearch")
        filtered = qs.alias(search=site_search._vector(source)).filter(search=query)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = filtered.explain()
        assert "comment_search_idx" in plan
    else:
        # SQLite: the casefold function is registered and folds beyond ASCII.
        site_search._ensure_sqlite_fold()
        with connection.cursor() as cursor:
            cursor.execute("SELECT komdir_casefold(%s)", ["ÆBLER ØL ÅEN"])
            assert cursor.fetchone()[0] == "æbler øl åen"


def test_case_and_comment_are_found_by_their_edited_text(member, area):
    case = make_case(member, area, title="Cykelstier i kommunen", summary="Om stier.", body="Flere cykler.")
    comment = services.comment_add(author=member, body="Vi mangler bænke", case=case)

    def found(q, kind):
        return [h.url for h in search(viewer=member, q=q, kind=kind)["hits"]]

    assert case.get_absolute_url() in found("cykelstier", "case")
    assert comment.get_absolute_url() in found("bænke", "comment")
    case = services.case_update(
        case=case, editor=member, focus_area=area, title="Skolemad", summary="Om mad.", body="Frugt."
    )
    services.comment_edit(comment=comment, editor=member, body="Vi mangler lys")
    assert case.get_absolute_url() in found("skolemad", "case")
    assert found("cykelstier", "case") == []
    assert comment.get_absolute_url() in found("lys", "comment")
    assert comment.get_absolute_url() not in found("bænke", "comment")
    # A write that bypasses the services (admin bulk edits, data fixes) is searchable too.
    type(comment).objects.filter(pk=comment.pk).update(body="Vi mangler træer")
    assert comment.get_absolute_url() in found("træer", "comment")


def test_case_and_comment_vectors_are_their_weighted_text_and_can_use_their_indexes(member, area):
    from django.contrib.postgres.search import SearchQuery

    from komdir.search import selectors as site_search

    case = make_case(member, area, title="Cyklerne", summary="Resumé om skoler", body="Brødtekst om veje")
    comment = services.comment_add(author=member, body="Kommentaren om cyklerne", case=case)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector = setweight(to_tsvector('danish', title), 'A')"
            " || setweight(to_tsvector('danish', summary || ' ' || body), 'B')"
            " FROM focus_case WHERE id = %s",
            [case.pk],
        )
        assert cursor.fetchone()[0] is True
        cursor.execute(
            "SELECT search_vector = setweight(to_tsvector('danish', body), 'B') FROM focus_comment WHERE id = %s",
            [comment.pk],
        )
        assert cursor.fetchone()[0] is True
    query = SearchQuery("cyklen", config="danish", search_type="websearch")
    for kind, index, expected in [
        ("case", "case_search_idx", case),
        ("comment", "comment_search_idx", comment),
    ]:
        qs, source = site_search._querysets(member, area_id=None, circle_id=None)[kind]
        assert list(qs.alias(search=site_search._vector(source)).filter(search=query)) == [expected]
        filtered = qs.model.objects.alias(search=site_search._vector(source)).filter(search=query)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = filtered.order_by().explain()
        assert index in plan


def test_note_is_found_by_its_edited_body_and_its_renamed_meeting(circle_lead, member):
    from circles.services import meeting_update

    note = make_note(circle_lead, body="Drøftelse af kommunesammenlægning", visibility=NoteVisibility.MEMBERS)
    url = note.get_absolute_url()

    def found(q):
        return url in [h.url for h in search(viewer=member, q=q)["hits"]]

    assert found("Aalborg")  # the meeting's title
    note_save(actor=circle_lead, meeting=note.meeting, body="Nu om klimatilpasning", visibility="members")
    assert found("klimatilpasning")
    assert not found("kommunesammenlægning")
    meeting_update(actor=circle_lead, meeting=note.meeting, title="Kredsmøde i Skagen")
    assert found("Skagen")
    assert not found("Aalborg")
    titles_found = [h for h in search(viewer=member, q="skagen klimatilpasning")["hits"] if h.url == url]
    assert titles_found and "<mark>" in titles_found[0].snippet


def test_note_vector_is_the_weighted_title_and_body_and_can_use_its_index(circle_lead, member):
    from django.contrib.postgres.search import SearchQuery

    from komdir.search import selectors as site_search

    note = make_note(circle_lead, body="Cyklerne i kommunen", visibility=NoteVisibility.MEMBERS)
    if connection.vendor != "postgresql":
        # SQLite keeps no vector: a note is searched in a casefolded copy of its title and body.
        assert note.get_absolute_url() in [h.url for h in search(viewer=member, q="CYKLERNE")["hits"]]
        assert note.get_absolute_url() not in [h.url for h in search(viewer=member, q="bilerne")["hits"]]
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.search_vector = setweight(to_tsvector('danish', m.title), 'A')"
            " || setweight(to_tsvector('danish', n.body), 'B')"
            " FROM circles_meetingnote n JOIN circles_meeting m ON m.id = n.meeting_id WHERE n.id = %s",
            [note.pk],
        )
        assert cursor.fetchone()[0] is True
    qs, source = site_search._querysets(member, area_id=None, circle_id=None)["note"]
    query = SearchQuery("cyklen", config="danish", search_type="websearch")
    assert list(qs.alias(search=site_search._vector(source)).filter(search=query)) == [note]
    filtered = MeetingNote.objects.alias(search=site_search._vector(source)).filter(search=query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = filtered.order_by().explain()
    assert "meetingnote_search_idx" in plan
