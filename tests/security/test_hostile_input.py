"""Hostile input through every user-facing form of the site.

Every string of the Big List of Naughty Strings (tests/data/blns.json), plus script, SQL and
template-injection payloads built here, goes into every text field of the case, comment,
report, profile, meeting, note and invitation forms and into the GET filters of the member
directory and the case list. Strings are packed several to a request to keep the suite fast.

What must hold: never a 500; nothing a member typed comes back as markup (no new <script>, no
on…= handler, no javascript:/vbscript:/data: URL, and the payloads' tags never appear raw).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circles import services as circle_services
from circles.models import Circle, MembershipRole
from focus.models import Case, FocusArea
from komdir.lib.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, render_markdown
from members import services as member_services
from members.models import Level
from tests.factories import make_member, municipality
from tests.html_safety import DANGEROUS_SCHEMES, scan

BLNS: list[str] = json.loads((Path(__file__).parent.parent / "data" / "blns.json").read_text("utf-8"))

# Built here: script, SQL and template injection in the forms the site has.
INJECTIONS = [
    "<script>alert('xss')</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![billede](javascript:alert(1))",
    "<iframe src=//evil.example></iframe>",
    "<style>body{display:none}</style>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "' OR '1'='1",
    "'; DROP TABLE focus_case; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5); --",
    "%' UNION SELECT password FROM members_user --",
    "{{ 7*7 }}",
    "{% debug %}",
    "{{ request.user.password }}",
    "{% load log %}{% get_admin_log 10 as log %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "\x00nul",
]
MARKERS = ("<script>alert(", "<img src=x onerror", "<svg onload", "<iframe src=", "<style>body")


def packs(limit: int, strings=None):
    """The strings joined with spaces into packs of at most `limit` characters."""
    pack = ""
    for text in (BLNS + INJECTIONS) if strings is None else strings:
        text = text[:limit]
        if pack and len(pack) + 1 + len(text) > limit:
            yield pack
            pack = ""
        pack = f"{pack} {text}" if pack else text
    if pack:
        yield pack


def assert_safe(response, *, baseline_scripts):
    assert response.status_code != 500
    if response.status_code in (301, 302):
        assert response["Location"].startswith("/"), response["Location"]
        return
    html = response.content.decode()
    result = scan(html)
    assert result.scripts == baseline_scripts, result.scripts
    assert result.handlers == [], result.handlers
    assert result.bad_urls == [], result.bad_urls
    lowered = html.lower()
    for marker in MARKERS:
        assert marker not in lowered, marker


@pytest.fixture
def hostile(db, settings, tmp_path, client, secretariat):
    settings.MEDIA_ROOT = tmp_path / "media"
    lead = make_member(municipality_name="Hjørring", email="formand.h@kommune.test")
    circle = Circle.objects.get(slug="nordjylland")
    circle_services.membership_set(user=lead, circle=circle, role=MembershipRole.LEAD)
    area = FocusArea.objects.get(period__status="current", number=1)
    start = timezone.now() + timedelta(days=3)
    meeting = circle_services.meeting_create(
        actor=lead, circle=circle, title="Møde", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    client.force_login(lead)
    baseline = scan(client.get("/").content.decode()).scripts
    return {"client": client, "lead": lead, "area": area, "meeting": meeting, "baseline": baseline}


def _post_all(client, url, base: dict, text_fields: dict[str, int], baseline) -> set[int]:
    """Every pack into every text field; each field gets packs of its own maximum length."""
    statuses = set()
    limit = min(text_fields.values())
    for pack in packs(limit):
        data = dict(base)
        data.update(dict.fromkeys(text_fields, pack))
        response = client.post(url, data)
        statuses.add(response.status_code)
        assert_safe(response, baseline_scripts=baseline)
    return statuses


def test_payload_lists_are_complete():
    assert len(BLNS) > 500
    assert sum(len(p.split(" ")) for p in packs(200)) >= len(BLNS)


def test_case_report_and_comment_forms(hostile):
    client, area, baseline = hostile["client"], hostile["area"], hostile["baseline"]
    statuses = _post_all(
        client,
        "/cases/ny/",
        {"focus_area": area.pk, "is_public": "on", "action": "publish"},
        {"title": 200, "summary": 600, "body": 50000},
        baseline,
    )
    assert statuses <= {200, 302}
    case = Case.objects.filter(author=hostile["lead"]).order_by("pk").first()
    assert case is not None
    # Tags, ten at a time (the most a case has); an unusable tag sends the form back.
    for start in range(0, len(BLNS + INJECTIONS), 10):
        tags = ", ".join((BLNS + INJECTIONS)[start : start + 10])
        response = client.post(
            f"/cases/{case.pk}/rediger/",
            {
                "title": "T",
                "summary": "S",
                "body": "B",
                "tags": tags,
                "focus_area": area.pk,
                "action": "save",
            },
        )
        assert response.status_code in (200, 302)
        assert_safe(response, baseline_scripts=baseline)
    for url in (f"/indberet/case/{case.pk}/", f"/kommentarer/ny/case/{case.pk}/"):
        field = "reason" if url.startswith("/indberet") else "body"
        assert _post_all(client, url, {}, {field: 2000}, baseline) <= {200, 302}
    for url in ["/", "/cases/", case.get_absolute_url(), area.get_absolute_url()]:
        assert_safe(client.get(url), baseline_scripts=baseline)
    for stored in Case.objects.values_list("body_html", flat=True):
        assert not scan(stored).scripts and not scan(stored).handlers


def test_profile_form(hostile):
    client, baseline = hostile["client"], hostile["baseline"]
    profile_url = f"/medlemmer/{hostile['lead'].pk}/"
    for pack in packs(150):
        data = {"first_name": pack, "last_name": pack, "title": pack, "bio": pack, "phone": ""}
        response = client.post("/medlemmer/mig/rediger/", data)
        assert response.status_code in (200, 302)
        assert_safe(response, baseline_scripts=baseline)
        if response.status_code == 302:
            assert_safe(client.get(profile_url), baseline_scripts=baseline)
        # The phone takes digits only: every pack comes back with a message, escaped.
        data = {"first_name": "A", "last_name": "B", "phone": pack}
        response = client.post("/medlemmer/mig/rediger/", data)
        assert response.status_code == 200
        assert_safe(response, baseline_scripts=baseline)
    assert_safe(client.get("/medlemmer/"), baseline_scripts=baseline)


def test_meeting_and_note_forms(hostile):
    client, meeting, baseline = hostile["client"], hostile["meeting"], hostile["baseline"]
    dates = {"starts_at": "2030-01-10T10:00", "ends_at": "2030-01-10T12:00"}
    statuses = _post_all(
        client,
        f"/moeder/{meeting.pk}/rediger/",
        dates,
        {"title": 200, "location": 300, "agenda": 5000},
        baseline,
    )
    assert statuses <= {200, 302}
    # Dates and the link get the strings too: a clear message, never a 500.
    for pack in packs(200):
        data = {"title": "T", "starts_at": pack, "ends_at": pack, "online_url": pack}
        response = client.post(f"/moeder/{meeting.pk}/rediger/", data)
        assert response.status_code == 200
        assert_safe(response, baseline_scripts=baseline)
    assert _post_all(
        client, f"/moeder/{meeting.pk}/referat/", {"visibility": "circle"}, {"body": 5000}, baseline
    ) <= {200, 302}
    for pack in packs(200):
        data = {"body": "B", "visibility": pack, "focus_areas": pack}
        response = client.post(f"/moeder/{meeting.pk}/referat/", data)
        assert response.status_code == 200
    meeting.refresh_from_db()
    for url in (meeting.get_absolute_url(), meeting.note.get_absolute_url(), "/kredse/nordjylland/"):
        assert_safe(client.get(url), baseline_scripts=baseline)


def test_invitation_accept_form(db, client, secretariat, django_capture_on_commit_callbacks):
    from django.core import mail

    secretariat.is_superuser = True
    with django_capture_on_commit_callbacks(execute=True):
        member_services.invitation_create(
            created_by=secretariat,
            email="ny.h@kommune.test",
            first_name="Ny",
            last_name="Direktør",
            level=Level.DIRECTOR,
            municipality=municipality("Vejle"),
            base_url="http://testserver",
        )
    url = re.search(r"http://testserver(/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)
    baseline = scan(client.get(url).content.decode()).scripts
    for pack in packs(150):
        # Passwords that do not match keep the form open, so every pack is echoed back.
        data = {"first_name": pack, "last_name": pack, "password1": pack, "password2": pack + "x"}
        response = client.post(url, data)
        assert response.status_code == 200
        assert_safe(response, baseline_scripts=baseline)


def test_directory_and_case_list_filters(hostile):
    client, baseline = hostile["client"], hostile["baseline"]
    for pack in packs(1000):
        query = {"q": pack, "region": pack, "circle": pack, "municipality": pack, "side": pack}
        assert_safe(client.get("/medlemmer/", query), baseline_scripts=baseline)
        query = {
            "area": pack,
            "question": pack,
            "tag": pack,
            "municipality": pack,
            "region": pack,
            "sort": pack,
            "side": pack,
        }
        response = client.get("/cases/", query)
        assert response.status_code == 200
        assert_safe(response, baseline_scripts=baseline)
        response = client.get("/soeg/", {"q": pack, "type": pack, "omraade": pack, "kreds": pack})
        assert response.status_code == 200
        assert_safe(response, baseline_scripts=baseline)


def test_attachment_file_names(hostile):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from komdir.demo.samplefiles import tiny_pdf

    client, meeting, baseline = hostile["client"], hostile["meeting"], hostile["baseline"]
    pdf = tiny_pdf("Bilag")
    for pack in packs(200):
        name = pack.replace("/", "_").replace("\\", "_").replace("\x00", "") + ".pdf"
        upload = SimpleUploadedFile(name, pdf, content_type="application/pdf")
        response = client.post(f"/moeder/{meeting.pk}/bilag/nyt/", {"file": upload})
        assert response.status_code in (200, 302, 400)
        assert_safe(response, baseline_scripts=baseline)
    assert_safe(client.get(meeting.get_absolute_url()), baseline_scripts=baseline)


def test_the_checks_catch_script_handlers_urls_and_raw_payloads():
    from django.http import HttpResponse

    for html in (
        "<script>x</script>",
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<img src="x" onerror="y">',
        "&lt;p&gt;<img src=x onerror=alert(1)>",
    ):
        with pytest.raises(AssertionError):
            assert_safe(HttpResponse(html), baseline_scripts=[])
    assert_safe(HttpResponse("&lt;script&gt;alert(1)&lt;/script&gt;"), baseline_scripts=[])


# --- The Markdown sanitiser, as a property -------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<SCRIPT SRC=//x>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">',
        "onmouseover=",
        " onclick='x' ",
        "[a](javascript:alert(1))",
        "[a](JaVaScRiPt:alert(1))",
        "[a](java\tscript:alert(1))",
        "[a](&#106;avascript:alert(1))",
        "[a](vbscript:x)",
        "[a](data:text/html,<script>x</script>)",
        "![i](data:image/svg+xml,<svg onload=x>)",
        "<https://ok.example>",
        "<javascript:alert(1)>",
        '[a](https://ok.example "t" onclick="x")',
        "<svg><g onload=x>",
        "<iframe>",
        "`<script>`",
        "```\n<script>\n```",
        "> ",
        "* ",
        "\n\n",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        '"',
        "'",
        "&",
        "#",
    ]
)
MARKDOWNISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=30).map("".join)
URL_ATTRIBUTES = {"href", "src"}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(MARKDOWNISH, st.text()))
def test_render_markdown_never_emits_script_handlers_or_dangerous_urls(text):
    html = render_markdown(text)
    result = scan(html)
    assert "script" not in result.tags
    assert not re.search(r"<\s*script", html, re.IGNORECASE)
    assert result.handlers == []
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", html, re.IGNORECASE)
    assert set(result.tags) <= ALLOWED_TAGS
    for tag, name in result.attributes:
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)

    class Urls(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.found += [v or "" for k, v in attrs if k in URL_ATTRIBUTES]

    urls = Urls()
    urls.found = []
    urls.feed(html)
    for url in urls.found:
        squeezed = "".join(url.split()).lower()
        assert not squeezed.startswith(DANGEROUS_SCHEMES), url
        scheme = squeezed.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", squeezed) else None
        assert scheme is None or scheme in ALLOWED_URL_SCHEMES, url
