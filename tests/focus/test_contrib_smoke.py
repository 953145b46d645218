import pytest

from focus import services
from tests.focus.conftest import make_case


@pytest.mark.django_db
def test_every_contribution_page_renders_for_a_member_with_content(
    client, member, other_member, area, question
):
    case = make_case(member, area, public=True, questions=[question], tags=["ældre", "demografi"])
    top = services.comment_add(author=other_member, body="Godt *eksempel*", case=case)
    services.comment_add(author=member, body="Tak", parent=top)
    services.comment_add(author=member, body="Om området", focus_area=area)
    q_comment = services.comment_add(author=other_member, body="Om spørgsmålet", question=question)
    services.comment_delete(comment=q_comment, actor=other_member)
    client.force_login(member)
    for url in [
        "/",
        "/cases/",
        "/cases/?sort=discussed&tag=aeldre&area=1",
        case.get_absolute_url(),
        area.get_absolute_url(),
        "/cases/ny/",
        f"/cases/{case.pk}/rediger/",
        "/cases/mine-kladder/",
        f"/kommentarer/{top.pk}/rediger/",
        f"/kommentarer/{top.pk}/svar/",
        f"/indberet/case/{case.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 403), url
        if url.endswith("/rediger/") and url.startswith("/kommentarer/"):
            assert response.status_code == 403  # other member's comment: seen, not editable by member
        else:
            assert response.status_code == 200, url
    html = client.get(area.get_absolute_url()).content.decode()
    assert "Kommentaren er slettet" in html
    assert "Om området" in html
