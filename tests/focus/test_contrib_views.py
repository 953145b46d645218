"""Case and comment pages: forms that keep what was typed, preview, filters, drafts, home."""

import pytest

from focus import services
from focus.models import Case, CaseStatus, Comment, FocusArea
from members.models import Municipality
from tests.factories import make_member
from tests.focus.conftest import make_case


def _case_data(area, **overrides):
    data = {
        "title": "Klog brug af data i ældreplejen",
        "summary": "Et resumé.",
        "body": "## Overskrift\n\nTekst med [link](https://example.org).",
        "focus_area": area.pk,
        "tags": "data, ældre",
        "action": "publish",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_member_posts_a_case_with_tags_questions_and_municipality(member_client, member, area, question):
    response = member_client.post(
        "/cases/ny/", {**_case_data(area), "questions": [question.pk], "is_public": "on"}
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.status == CaseStatus.PUBLISHED and case.is_public
    assert sorted(case.tags.names()) == ["data", "ældre"]
    assert list(case.questions.all()) == [question]
    assert case.municipality == member.profile.municipality and case.author == member
    html = member_client.get(case.get_absolute_url()).content.decode()
    assert '<a href="https://example.org" rel="nofollow noopener">link</a>' in html
    assert "København" in html and member.get_full_name() in html


@pytest.mark.django_db
def test_a_form_with_an_error_comes_back_with_everything_typed(member_client, area):
    other_question = FocusArea.objects.get(period__status="current", number=2).questions.first()
    data = _case_data(
        area, title="", body="Min lange tekst, som ikke må gå tabt", questions=[other_question.pk]
    )
    response = member_client.post("/cases/ny/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Der er fejl i formularen" in html
    assert "Min lange tekst, som ikke må gå tabt" in html
    assert "data, ældre" in html
    assert "Vælg kun spørgsmål fra det fokusområde" in html
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_comment_with_an_error_comes_back_with_a_message(member_client, public_case):
    response = member_client.post(f"/kommentarer/ny/case/{public_case.pk}/", {"body": "x" * 10001})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Der er fejl i formularen" in html and "x" * 100 in html
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_preview_shows_rendered_markdown_without_saving(member_client, area):
    response = member_client.post("/cases/ny/", _case_data(area, body="**Fed tekst**", action="preview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Forhåndsvisning" in html and "<strong>Fed tekst</strong>" in html
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_draft_is_saved_listed_under_my_drafts_and_published_later(member_client, area):
    member_client.post("/cases/ny/", _case_data(area, action="draft"))
    case = Case.objects.get()
    assert case.status == CaseStatus.DRAFT
    assert case.title in member_client.get("/cases/mine-kladder/").content.decode()
    assert case.get_absolute_url() not in member_client.get("/cases/").content.decode()
    member_client.post(f"/cases/{case.pk}/rediger/", _case_data(area, title="Ny titel", action="publish"))
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.title == "Ny titel"
    assert case.revisions.count() == 1


@pytest.mark.django_db
def test_public_choice_is_off_by_default_and_explained(member_client):
    html = member_client.get("/cases/ny/").content.decode()
    assert 'name="is_public"' in html and 'name="is_public" checked' not in html
    assert "også folk uden for KOMDIR" in html


@pytest.mark.django_db
def test_case_list_filters_and_sorts(member_client, member, other_member, area):
    other_area = FocusArea.objects.get(period__status="current", number=3)
    q = other_area.questions.first()
    a = make_case(member, area, title="Case fra København", tags=["ældre"])
    b = make_case(other_member, other_area, title="Case fra Aalborg", tags=["frivillige"], questions=[q])
    services.comment_add(author=member, body="Kommentar", case=a)
    services.comment_add(author=member, body="Kommentar", case=a)

    def titles(query):
        html = member_client.get(f"/cases/?{query}").content.decode()
        return [c.title for c in (a, b) if c.title in html]

    assert titles(f"area={other_area.pk}") == [b.title]
    assert titles(f"question={q.pk}") == [b.title]
    assert titles("tag=%C3%A6ldre") == [a.title]
    aalborg = Municipality.objects.get(name="Aalborg")
    assert titles(f"municipality={aalborg.pk}") == [b.title]
    assert titles(f"region={aalborg.region_id}") == [b.title]
    assert titles("area=999999&tag=findes-ikke") == [a.title, b.title]  # unknown values: show all
    newest = member_client.get("/cases/").content.decode()
    assert newest.index(b.title) < newest.index(a.title)
    discussed = member_client.get("/cases/?sort=discussed").content.decode()
    assert discussed.index(a.title) < discussed.index(b.title)


@pytest.mark.django_db
def test_case_list_is_paginated(member_client, member, area):
    for i in range(25):
        make_case(member, area, title=f"Case nummer {i:02d}")
    first = member_client.get("/cases/").content.decode()
    second = member_client.get("/cases/?side=2").content.decode()
    assert "Case nummer 24" in first and "Case nummer 04" not in first
    assert "Case nummer 04" in second and "Side 2 af 2" in second
    assert member_client.get("/cases/?side=999").status_code == 200


@pytest.mark.django_db
def test_comment_edit_shows_redigeret_and_every_comment_shows_name_title_municipality(
    member_client, member, public_case
):
    comment = services.comment_add(author=member, body="Første udgave", case=public_case)
    response = member_client.post(f"/kommentarer/{comment.pk}/rediger/", {"body": "Anden udgave"})
    assert response.status_code == 302
    html = member_client.get(public_case.get_absolute_url()).content.decode()
    assert "Anden udgave" in html and "Første udgave" not in html and "redigeret" in html
    assert f"{member.get_full_name()}</strong>, Direktør, København" in html
    assert comment.revisions.get().body == "Første udgave"


@pytest.mark.django_db
def test_reply_appears_under_its_comment(client, member, other_member, public_case):
    top = services.comment_add(author=member, body="Spørgsmål", case=public_case)
    client.force_login(other_member)
    response = client.post(f"/kommentarer/{top.pk}/svar/", {"body": "Et svar"})
    reply = Comment.objects.get(parent=top)
    assert response.status_code == 302 and response["Location"].endswith(f"#kommentar-{reply.pk}")
    html = client.get(public_case.get_absolute_url()).content.decode()
    assert html.index("Spørgsmål") < html.index("Et svar")


@pytest.mark.django_db
def test_area_page_shows_cases_per_question_the_discussion_and_latest_cases(
    member_client, member, area, question
):
    make_case(member, area, title="Svar på første spørgsmål", questions=[question])
    make_case(member, area, title="Case uden spørgsmål")
    services.comment_add(author=member, body="Drøftelse af spørgsmålet", question=question)
    html = member_client.get(area.get_absolute_url()).content.decode()
    section = html[html.index(f'id="spoergsmaal-{question.pk}"') :]
    section = section[
        : section.index("</li>\n      \n      <li") if "</li>\n      \n      <li" in section else None
    ]
    assert "Svar på første spørgsmål" in section and "Drøftelse af spørgsmålet" in section
    assert "Seneste cases" in html and "Case uden spørgsmål" in html


@pytest.mark.django_db
def test_home_shows_newest_contributions_a_viewer_may_see(client, member, area, public_case, members_case):
    services.comment_add(author=member, body="Ny kommentar på forsiden", focus_area=area)
    visitor = client.get("/").content.decode()
    assert public_case.title in visitor and members_case.title not in visitor
    assert "Ny kommentar på forsiden" not in visitor
    client.force_login(make_member(municipality_name="Odense", email="odense@kommune.test"))
    logged_in = client.get("/").content.decode()
    assert members_case.title in logged_in and "Ny kommentar på forsiden" in logged_in


@pytest.mark.django_db
def test_wrong_slug_redirects_to_the_canonical_case_url(client, public_case):
    response = client.get(f"/cases/{public_case.pk}-forkert/")
    assert response.status_code == 301 and response["Location"] == public_case.get_absolute_url()


@pytest.mark.django_db
def test_author_selectors_list_only_what_the_viewer_may_read(member, other_member, secretariat, area):
    from django.contrib.auth.models import AnonymousUser

    from focus import selectors

    public = make_case(member, area, title="Offentlig", public=True)
    members_only = make_case(member, area, title="Kun medlemmer")
    make_case(member, area, title="Kladde", publish=False)
    hidden = make_case(member, area, title="Skjult", public=True)
    services.content_hide(obj=hidden, actor=secretariat, reason="x")
    kept = services.comment_add(author=member, body="Bliver", case=public)
    gone = services.comment_add(author=member, body="Slettet", focus_area=area)
    services.comment_delete(comment=gone, actor=member)

    def titles(viewer):
        return {c.title for c in selectors.case_list_for_author(author=member, viewer=viewer)}

    assert titles(AnonymousUser()) == {"Offentlig"}
    assert titles(other_member) == {"Offentlig", "Kun medlemmer"} == {public.title, members_only.title}
    comments = list(selectors.comment_list_recent_for_author(author=member, viewer=other_member))
    assert comments == [kept]
    assert list(selectors.comment_list_recent_for_author(author=member, viewer=AnonymousUser())) == []
