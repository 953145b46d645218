"""A permission walk of every URL in the project.

Every URL pattern Django knows (found by walking the resolver, not by a hand-kept list) must
have an entry in EXPECTED below, with the GET status each role of PRODUCT.md gets for each
concrete object that matters (public, members-only, draft and hidden cases, circle-only and
all-members notes, ...). A new URL without an entry fails `test_every_url_pattern_has_an_entry`,
so nobody adds a page without deciding who may see it.

Roles (PRODUCT.md): visitor; member (of Kreds Nordjylland, "circle A"); other-circle member
(Kreds Hovedstaden); circle lead (of circle A); author (of the cases and comments, in Kreds
Syddanmark); secretariat (staff, logged in with password and TOTP).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from circles import services as circle_services
from circles.models import Circle, MembershipRole, NoteVisibility
from circles.samplefiles import tiny_pdf
from focus import services as focus_services
from focus.models import FocusArea
from members import services as member_services
from members.models import Level
from tests.conftest import current_totp_code
from tests.factories import PASSWORD, make_member, municipality

ROLES = ("visitor", "member", "other_circle", "lead", "author", "secretariat")

# Prefixes whose patterns are a third-party app's internals, walked by their own test suites:
# allauth's account, e-mail and two-factor views (our login/2FA flow is tested in
# tests/members/test_accounts.py), and the admin's generated per-model URLs (the admin index
# and one changelist are walked explicitly below, as "admin/" entries).
SKIPPED_PREFIXES = ("accounts/", "admin/")
EXPLICIT_ROUTES = ("admin/", "admin/focus/case/")


def every_route(patterns=None, prefix: str = "") -> list[str]:
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes += every_route(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


def walked_routes() -> set[str]:
    return {r for r in every_route() if not r.startswith(SKIPPED_PREFIXES)} | set(EXPLICIT_ROUTES)


def S(visitor, member, other_circle, lead, author, secretariat) -> dict[str, int]:  # noqa: N802
    return dict(zip(ROLES, (visitor, member, other_circle, lead, author, secretariat), strict=True))


ALL_200 = S(200, 200, 200, 200, 200, 200)
MEMBERS_ONLY = S(302, 200, 200, 200, 200, 200)  # visitors are sent to the login page
POST_ONLY = S(302, 405, 405, 405, 405, 405)
LEAD_OF_A = S(302, 404, 404, 200, 404, 200)  # circle A's lead and the secretariat
NOBODY = S(404, 404, 404, 404, 404, 404)
# Members' pages that nobody may see: a visitor is asked to log in, as on every members' page
# (missing and forbidden answer the same); logged-in users get 404.
LOGIN_OR_404 = S(302, 404, 404, 404, 404, 404)


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


# route -> {label: (url builder, expected statuses)}. Add a new URL here with its matrix.
EXPECTED: dict[str, dict[str, tuple[Callable[[World], str], dict[str, int]]]] = {
    "": {"home": (lambda w: "/", ALL_200)},
    "healthz": {"health": (lambda w: "/healthz", ALL_200)},
    "favicon.ico": {"favicon": (lambda w: "/favicon.ico", S(301, 301, 301, 301, 301, 301))},
    "i18n/setlang/": {
        # GET sets nothing and sends everyone home (never to a foreign host).
        "foreign next": (lambda w: "/i18n/setlang/?next=https://evil.example/", S(*[302] * 6)),
    },
    "admin/": {"index": (lambda w: "/admin/", S(302, 302, 302, 302, 302, 200))},
    "admin/focus/case/": {"changelist": (lambda w: "/admin/focus/case/", S(302, 302, 302, 302, 302, 200))},
    # members/
    "invitation/<str:token>/": {
        "open invitation": (lambda w: f"/invitation/{w.invitation_token}/", ALL_200),
        "unknown token": (lambda w: "/invitation/ukendt-noegle/", NOBODY),
    },
    "medlemmer/": {"directory": (lambda w: "/medlemmer/", MEMBERS_ONLY)},
    "medlemmer/mig/rediger/": {"own profile": (lambda w: "/medlemmer/mig/rediger/", MEMBERS_ONLY)},
    "medlemmer/mig/data/": {"my data": (lambda w: "/medlemmer/mig/data/", MEMBERS_ONLY)},
    "medlemmer/mig/data/eksport.json": {
        "export": (lambda w: "/medlemmer/mig/data/eksport.json", MEMBERS_ONLY)
    },
    # issue 5: overview, follows, e-mail preferences, unsubscribe, search, feed
    "overblik/": {"overview": (lambda w: "/overblik/", MEMBERS_ONLY)},
    "medlemmer/mig/notifikationer/": {
        "preferences": (lambda w: "/medlemmer/mig/notifikationer/", MEMBERS_ONLY),
    },
    "foelg/<str:kind>/<int:pk>/": {
        "a case": (lambda w: f"/foelg/case/{w.members_case.pk}/", S(*[405] * 6)),
    },
    "afmeld/<str:token>/": {
        # The signed token is the credential (one-click unsubscribe from an e-mail).
        "a member's link": (lambda w: f"/afmeld/{w.unsubscribe_token}/", ALL_200),
        "forged token": (lambda w: "/afmeld/forfalsket/", NOBODY),
    },
    "soeg/": {"search": (lambda w: "/soeg/?q=case", ALL_200)},
    "perioder/<slug:period_slug>/<slug:area_slug>/cases.atom": {
        "area feed": (lambda w: f"{w.area.get_absolute_url()}cases.atom", ALL_200),
        "unknown area": (lambda w: f"{w.area.period.get_absolute_url()}findes-ikke/cases.atom", NOBODY),
    },
    "medlemmer/<int:pk>/": {
        "active member": (lambda w: f"/medlemmer/{w.users['author'].pk}/", MEMBERS_ONLY),
        "member who left": (lambda w: f"/medlemmer/{w.departed.pk}/", S(302, 404, 404, 404, 404, 200)),
    },
    # focus/: strategy content
    "perioder/": {"list": (lambda w: "/perioder/", ALL_200)},
    "perioder/<slug:period_slug>/": {
        "current": (lambda w: w.area.period.get_absolute_url(), ALL_200),
        "unknown": (lambda w: "/perioder/findes-ikke/", NOBODY),
    },
    "perioder/<slug:period_slug>/<slug:area_slug>/": {
        "area": (lambda w: w.area.get_absolute_url(), ALL_200),
        "unknown": (lambda w: f"{w.area.period.get_absolute_url()}findes-ikke/", NOBODY),
    },
    "side/<slug:slug>/": {
        "privacy": (lambda w: "/side/privatlivspolitik/", ALL_200),
        "unknown": (lambda w: "/side/findes-ikke/", NOBODY),
    },
    # focus/: cases
    "cases/": {"list": (lambda w: "/cases/", ALL_200)},
    "cases/ny/": {"new": (lambda w: "/cases/ny/", MEMBERS_ONLY)},
    "cases/mine-kladder/": {"drafts": (lambda w: "/cases/mine-kladder/", MEMBERS_ONLY)},
    "cases/<int:pk>-<slug:slug>/": {
        "public case": (lambda w: w.public_case.get_absolute_url(), ALL_200),
        "members-only case": (lambda w: w.members_case.get_absolute_url(), S(302, 200, 200, 200, 200, 200)),
        "draft case": (lambda w: w.draft_case.get_absolute_url(), S(302, 404, 404, 404, 200, 404)),
        "hidden case": (lambda w: w.hidden_case.get_absolute_url(), S(302, 404, 404, 404, 404, 200)),
    },
    "cases/<int:pk>/rediger/": {
        "public case": (lambda w: f"/cases/{w.public_case.pk}/rediger/", S(302, 404, 404, 404, 200, 404)),
        "draft case": (lambda w: f"/cases/{w.draft_case.pk}/rediger/", S(302, 404, 404, 404, 200, 404)),
        "hidden case": (lambda w: f"/cases/{w.hidden_case.pk}/rediger/", LOGIN_OR_404),
    },
    # focus/: comments and reports
    "kommentarer/ny/<str:kind>/<int:pk>/": {
        "on a case": (lambda w: f"/kommentarer/ny/case/{w.members_case.pk}/", MEMBERS_ONLY),
    },
    # issue 9: long discussions are paged; a comment's lasting address finds its page
    "droeftelse/<str:kind>/<int:pk>/": {
        "area": (lambda w: f"/droeftelse/area/{w.area.pk}/", MEMBERS_ONLY),
        "question": (lambda w: f"/droeftelse/question/{w.area.questions.first().pk}/", MEMBERS_ONLY),
        "unknown kind": (lambda w: f"/droeftelse/case/{w.public_case.pk}/", LOGIN_OR_404),
        "unknown area": (lambda w: "/droeftelse/area/999999/", LOGIN_OR_404),
    },
    "kommentarer/<int:pk>/": {
        "comment": (lambda w: f"/kommentarer/{w.comment.pk}/", S(*[302] * 6)),
        "hidden comment": (lambda w: f"/kommentarer/{w.hidden_comment.pk}/", S(302, 404, 404, 404, 404, 302)),
    },
    "kommentarer/<int:pk>/svar/": {
        "comment": (lambda w: f"/kommentarer/{w.comment.pk}/svar/", S(302, 200, 200, 200, 200, 200)),
        "hidden comment": (lambda w: f"/kommentarer/{w.hidden_comment.pk}/svar/", LOGIN_OR_404),
    },
    "kommentarer/<int:pk>/rediger/": {
        "comment": (lambda w: f"/kommentarer/{w.comment.pk}/rediger/", S(302, 404, 404, 404, 200, 404)),
    },
    "kommentarer/<int:pk>/slet/": {
        "comment": (lambda w: f"/kommentarer/{w.comment.pk}/slet/", S(302, 404, 404, 404, 200, 404)),
    },
    "indberet/<str:kind>/<int:pk>/": {
        "members-only case": (
            lambda w: f"/indberet/case/{w.members_case.pk}/",
            S(302, 200, 200, 200, 200, 200),
        ),
        "draft case": (lambda w: f"/indberet/case/{w.draft_case.pk}/", LOGIN_OR_404),
        "comment": (lambda w: f"/indberet/comment/{w.comment.pk}/", S(302, 200, 200, 200, 200, 200)),
        "unknown kind": (lambda w: f"/indberet/bruger/{w.users['author'].pk}/", LOGIN_OR_404),
    },
    # circles/
    "kredse/": {"list": (lambda w: "/kredse/", MEMBERS_ONLY)},
    "kredse/<slug:slug>/": {
        "circle A": (lambda w: "/kredse/nordjylland/", MEMBERS_ONLY),
        "unknown": (lambda w: "/kredse/findes-ikke/", S(302, 404, 404, 404, 404, 404)),
    },
    "kredse/<slug:slug>/moeder/nyt/": {
        "circle A": (lambda w: "/kredse/nordjylland/moeder/nyt/", LEAD_OF_A),
        "circle B": (lambda w: "/kredse/hovedstaden/moeder/nyt/", S(302, 404, 404, 404, 404, 200)),
    },
    "moeder/nyt/": {"association event": (lambda w: "/moeder/nyt/", S(302, 404, 404, 404, 404, 200))},
    "moeder/<int:pk>/": {
        "circle A meeting": (lambda w: w.meeting_a.get_absolute_url(), MEMBERS_ONLY),
        "association event": (lambda w: w.event.get_absolute_url(), MEMBERS_ONLY),
    },
    "moeder/<int:pk>/rediger/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/rediger/", LEAD_OF_A),
        "circle B meeting": (lambda w: f"/moeder/{w.meeting_b.pk}/rediger/", S(302, 404, 404, 404, 404, 200)),
    },
    "moeder/<int:pk>/aflys/": {"circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/aflys/", POST_ONLY)},
    "moeder/<int:pk>/tilmelding/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/tilmelding/", POST_ONLY)
    },
    "moeder/<int:pk>/kalender.ics": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/kalender.ics", MEMBERS_ONLY)
    },
    "moeder/<int:pk>/referat/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/referat/", LEAD_OF_A),
        "circle B meeting": (lambda w: f"/moeder/{w.meeting_b.pk}/referat/", S(302, 404, 404, 404, 404, 200)),
    },
    "moeder/<int:pk>/bilag/nyt/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/bilag/nyt/", LEAD_OF_A),
    },
    "referater/<int:pk>/": {
        "circle-only note": (
            lambda w: w.circle_note.get_absolute_url(),
            S(302, 200, 404, 200, 404, 200),
        ),
        "all-members note": (lambda w: w.members_note.get_absolute_url(), MEMBERS_ONLY),
        "draft note": (lambda w: w.draft_note.get_absolute_url(), LEAD_OF_A),
    },
    "referater/<int:pk>/rediger/": {
        "circle-only note": (lambda w: f"/referater/{w.circle_note.pk}/rediger/", LEAD_OF_A),
    },
    "referater/<int:pk>/bilag/nyt/": {
        "circle-only note": (lambda w: f"/referater/{w.circle_note.pk}/bilag/nyt/", LEAD_OF_A),
    },
    "bilag/<int:pk>/": {
        "circle-only attachment": (
            lambda w: f"/bilag/{w.circle_attachment.pk}/",
            S(302, 200, 404, 200, 404, 200),
        ),
        "meeting attachment": (lambda w: f"/bilag/{w.meeting_attachment.pk}/", MEMBERS_ONLY),
    },
    "bilag/<int:pk>/slet/": {
        "circle-only attachment": (lambda w: f"/bilag/{w.circle_attachment.pk}/slet/", POST_ONLY),
    },
    "kalender/": {"settings": (lambda w: "/kalender/", MEMBERS_ONLY)},
    "kalender/<str:token>.ics": {
        # The secret token is the credential: the feed answers whoever holds it, nobody else.
        "a member's token": (lambda w: f"/kalender/{w.calendar_token}.ics", ALL_200),
        "unknown token": (lambda w: "/kalender/ukendt.ics", NOBODY),
    },
}


CPH = ZoneInfo("Europe/Copenhagen")


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=CPH)


def _pdf(name: str) -> ContentFile:
    return ContentFile(tiny_pdf("Bilag"), name=name)


@pytest.fixture
def world(db, settings, tmp_path, secretariat, django_capture_on_commit_callbacks) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    circle_a = Circle.objects.get(slug="nordjylland")
    circle_b = Circle.objects.get(slug="hovedstaden")
    users = {
        "member": make_member(municipality_name="Aalborg", email="medlem.a@kommune.test"),
        "other_circle": make_member(municipality_name="København", email="medlem.b@kommune.test"),
        "lead": make_member(municipality_name="Hjørring", email="formand.a@kommune.test"),
        "author": make_member(municipality_name="Odense", email="forfatter@kommune.test"),
        "secretariat": secretariat,
    }
    circle_services.membership_set(user=users["lead"], circle=circle_a, role=MembershipRole.LEAD)
    lead, author = users["lead"], users["author"]
    w = World(users=users)
    o = w.objects
    area = FocusArea.objects.select_related("period").get(period__status="current", number=1)
    o["area"] = area

    def case(title, **kwargs):
        kwargs.setdefault("publish", True)
        return focus_services.case_create(
            author=author, focus_area=area, title=title, summary="Resumé.", body="Tekst.", **kwargs
        )

    o["public_case"] = case("Offentlig case", is_public=True)
    o["members_case"] = case("Medlemscase")
    o["draft_case"] = case("Kladde", publish=False)
    o["hidden_case"] = focus_services.content_hide(
        obj=case("Skjult case"), actor=secretariat, reason="Test af skjul."
    )
    o["comment"] = focus_services.comment_add(author=author, body="En kommentar.", case=o["members_case"])
    o["hidden_comment"] = focus_services.content_hide(
        obj=focus_services.comment_add(author=author, body="Skjult kommentar.", focus_area=area),
        actor=secretariat,
        reason="Test af skjul.",
    )

    def meeting(actor, circle, title, days):
        return circle_services.meeting_create(
            actor=actor, circle=circle, title=title, starts_at=_at(days, 10), ends_at=_at(days, 12)
        )

    o["meeting_a"] = meeting(lead, circle_a, "Kredsmøde A", -5)
    o["meeting_b"] = meeting(secretariat, circle_b, "Kredsmøde B", 5)
    o["event"] = meeting(secretariat, None, "Generalforsamling", 30)
    o["circle_note"] = circle_services.note_save(
        actor=lead, meeting=o["meeting_a"], body="Fortroligt.", visibility=NoteVisibility.CIRCLE, publish=True
    )
    o["members_note"] = circle_services.note_save(
        actor=lead,
        meeting=meeting(lead, circle_a, "Åbent møde", -10),
        body="Åbent.",
        visibility=NoteVisibility.MEMBERS,
        publish=True,
    )
    o["draft_note"] = circle_services.note_save(
        actor=lead, meeting=meeting(lead, circle_a, "Kladdemøde", -2), body="Kladde.", visibility="members"
    )
    o["circle_attachment"] = circle_services.attachment_add(
        actor=lead, note=o["circle_note"], file=_pdf("fortroligt.pdf")
    )
    o["meeting_attachment"] = circle_services.attachment_add(
        actor=lead, meeting=o["meeting_a"], file=_pdf("dagsorden.pdf")
    )
    o["calendar_token"] = circle_services.calendar_token_get_or_create(user=users["member"]).token
    o["unsubscribe_token"] = _unsubscribe_token(users["member"])

    departed = make_member(municipality_name="Aarhus", email="tidligere@kommune.test")
    member_services.member_deactivate(member=departed, actor=secretariat)
    o["departed"] = departed

    secretariat.is_superuser = True  # may invite (has every permission); staff either way
    with django_capture_on_commit_callbacks(execute=True):
        member_services.invitation_create(
            created_by=secretariat,
            email="ny@kommune.test",
            first_name="Ny",
            last_name="Direktør",
            level=Level.DIRECTOR,
            municipality=municipality("Vejle"),
            base_url="http://testserver",
        )
    o["invitation_token"] = re.search(r"/invitation/([^/\s]+)/", mail.outbox[-1].body).group(1)
    return w


def _unsubscribe_token(user) -> str:
    from members import notifications

    return notifications.unsubscribe_token(user=user, preference=notifications.ALL)


def _clients(world: World) -> dict[str, Client]:
    clients = {"visitor": Client()}
    for role in ("member", "other_circle", "lead", "author"):
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    # The secretariat logs in the real way (password, then TOTP), as the admin demands.
    staff = Client()
    assert staff.post("/accounts/login/", {"login": world.users["secretariat"].email, "password": PASSWORD})
    assert staff.post("/accounts/2fa/authenticate/", {"code": current_totp_code()}).status_code == 302
    clients["secretariat"] = staff
    return clients


def test_every_url_pattern_has_an_entry():
    missing = sorted(walked_routes() - set(EXPECTED))
    assert not missing, f"URL patterns without an entry in the permission walk: {missing}"
    stale = sorted(set(EXPECTED) - walked_routes())
    assert not stale, f"Entries for URL patterns that no longer exist: {stale}"


def test_the_walk_finds_the_projects_own_patterns():
    routes = walked_routes()
    assert {"cases/<int:pk>-<slug:slug>/", "referater/<int:pk>/", "medlemmer/"} <= routes
    assert not any(r.startswith("accounts/") for r in routes)


@pytest.mark.django_db
def test_every_role_gets_the_expected_status_on_every_url(world):
    clients = _clients(world)
    wrong = []
    for route, cases in sorted(EXPECTED.items()):
        for label, (build, expected) in cases.items():
            url = build(world)
            for role in ROLES:
                status = clients[role].get(url).status_code
                if status != expected[role]:
                    wrong.append(f"{route} [{label}] {url} as {role}: {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_redirects_for_visitors_go_to_the_login_page_on_our_host(world):
    visitor = Client()
    for route, cases in EXPECTED.items():
        for build, expected in cases.values():
            if expected["visitor"] != 302:
                continue
            location = visitor.get(build(world))["Location"]
            assert location.startswith("/"), (route, location)
            assert not location.startswith("//"), (route, location)
