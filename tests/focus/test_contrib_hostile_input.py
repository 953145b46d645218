"""Every string of the Big List of Naughty Strings goes through the case and comment forms.

No 500, and nothing a member typed turns into script: no <script>, no on…= attribute and no
javascript: URL in what the portal renders.
"""

import json
from pathlib import Path

import pytest

from focus.models import Case, Comment
from tests.html_safety import scan

BLNS = json.loads((Path(__file__).parent.parent / "data" / "blns.json").read_text(encoding="utf-8"))


def assert_safe(html: str, *, allowed_scripts: list[str]):
    result = scan(html)
    assert result.scripts == allowed_scripts
    assert result.handlers == []
    assert result.bad_urls == []


def _packs(strings, limit):
    pack = ""
    for text in strings:
        if pack and len(pack) + 1 + len(text) > limit:
            yield pack
            pack = ""
        pack = f"{pack} {text}" if pack else text
    if pack:
        yield pack


def test_the_list_is_the_full_naughty_strings_list():
    assert len(BLNS) > 500
    assert any("<script>" in s for s in BLNS) and any("javascript:" in s for s in BLNS)


@pytest.mark.django_db
def test_naughty_strings_through_the_case_and_comment_forms(client, member, area, question):
    client.force_login(member)
    baseline_scripts = scan(client.get("/cases/").content.decode()).scripts
    statuses = set()
    # Strings are packed into titles of at most 200 characters (a longer string goes alone and
    # meets the length check); each pack goes into every case field.
    for index, pack in enumerate(_packs(BLNS, 200)):
        actions = ("publish", "preview") if index % 3 == 0 else ("publish",)
        for action in actions:
            response = client.post(
                "/cases/ny/",
                {
                    "title": pack,
                    "summary": pack,
                    "body": pack,
                    "focus_area": area.pk,
                    "questions": [question.pk],
                    "is_public": "on",
                    "action": action,
                },
            )
            statuses.add(response.status_code)
            if response.status_code == 200:
                assert_safe(response.content.decode(), allowed_scripts=baseline_scripts)
    assert statuses <= {200, 302}
    assert Case.objects.count() > 50
    # Tags ten strings at a time (the most a case may have): an unusable tag sends the form back.
    case = Case.objects.order_by("pk").first()
    edit_url = f"/cases/{case.pk}/rediger/"
    for i in range(0, len(BLNS), 10):
        tags = ", ".join(BLNS[i : i + 10])
        data = {
            "title": "T",
            "summary": "S",
            "body": "B",
            "tags": tags,
            "focus_area": area.pk,
            "action": "save",
        }
        response = client.post(edit_url, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_safe(response.content.decode(), allowed_scripts=baseline_scripts)
    case.refresh_from_db()
    tag_page = client.get("/cases/").content.decode()
    assert_safe(tag_page, allowed_scripts=baseline_scripts)

    # Comments: batched, many strings per request, on a case, an area, a question and as replies.
    chunks = [BLNS[i : i + 40] for i in range(0, len(BLNS), 40)]
    for chunk in chunks:
        body = "\n\n".join(chunk)
        for url in (
            f"/kommentarer/ny/case/{case.pk}/",
            f"/kommentarer/ny/area/{area.pk}/",
            f"/kommentarer/ny/question/{question.pk}/",
        ):
            assert client.post(url, {"body": body}).status_code in (200, 302)
    top = Comment.objects.filter(case=case).first()
    for chunk in chunks:
        body = "\n\n".join(chunk)
        assert client.post(f"/kommentarer/{top.pk}/svar/", {"body": body}).status_code in (200, 302)
        assert client.post(f"/kommentarer/{top.pk}/rediger/", {"body": body}).status_code in (200, 302)

    for stored in list(Case.objects.values_list("body_html", flat=True)) + list(
        Comment.objects.values_list("body_html", flat=True)
    ):
        assert_safe(stored, allowed_scripts=[])

    pages = ["/", "/cases/", "/cases/?sort=discussed", area.get_absolute_url(), case.get_absolute_url()]
    pages += [f"/cases/?side={n}" for n in range(2, 8)]
    pages += [c.get_absolute_url() for c in Case.objects.order_by("?")[:25]]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_safe(response.content.decode(), allowed_scripts=baseline_scripts)
    client.logout()
    for url in ["/", "/cases/", area.get_absolute_url()]:
        assert_safe(client.get(url).content.decode(), allowed_scripts=baseline_scripts)


def test_the_scanner_catches_script_handlers_and_javascript_urls():
    for html in ("<script>x</script>", '<a href=" JaVaScRiPt:alert(1)">x</a>', '<img src="x" onerror="y">'):
        with pytest.raises(AssertionError):
            assert_safe(html, allowed_scripts=[])
