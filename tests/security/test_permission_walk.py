"""A permission walk of every URL in the project, by GET and by POST, for every role.

Every URL pattern Django knows (found by walking the resolver, not by a hand-kept list) must
have an entry in GETS and in POSTS below. A new URL without both fails
`test_every_url_pattern_has_a_get_and_a_post_entry`, so nobody adds a page or a write without
deciding who may see it and who may change it.

Roles (PRODUCT.md): visitor; member (of Kreds Nordjylland, "circle A"); other-circle member
(Kreds Hovedstaden); circle lead (of circle A); author (of the cases and comments, in Kreds
Syddanmark); secretary (staff in the group "Sekretariat", not a superuser); superuser (staff and
superuser). Both staff log in the real way, with password and TOTP.

One rule for the whole portal: what a role may not see is NOT_FOUND (404), what it may see but
not do is FORBIDDEN (403, a Danish page), a visitor on a members' page is sent to LOGIN. A POST a
role may not make is refused AND changes nothing: the walk compares every table's row count,
the rows the route would change and the outbox before and after. A POST a role may make is DONE:
it answers 2xx/3xx (not the login page) and the change is there. Each POST runs in a savepoint
that is rolled back, so every role meets the same world.

Each expectation is one `S(...)` line; `Post(url, expected, data, effect)` names the payload
(a factory, called afresh for every role) and what the write changes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from circles import services as circle_services
from circles.decisions import services as decision_services
from circles.decisions.models import ActionItem, Decision, NoteComment
from circles.models import (
    Attachment,
    Attendance,
    CalendarToken,
    Circle,
    Meeting,
    MeetingNote,
    MembershipRole,
    NoteVisibility,
)
from circles.polls import services as poll_services
from circles.polls.models import Poll, Vote
from focus import services as focus_services
from focus.models import Case, Comment, FocusArea, Report
from focus.voice import services as voice_services
from focus.voice.models import (
    CaseRule,
    Citation,
    Collection,
    CollectionItem,
    Consultation,
    ConsultationInput,
    Dispatch,
    Position,
    PositionComment,
    Rule,
)
from komdir.demo.samplefiles import tiny_pdf
from komdir.notifications import services as notification_services
from komdir.notifications.models import Follow, NotificationSettings
from members.models import Level, User
from members.services import member_deactivate
from tests.conftest import current_totp_code
from tests.factories import PASSWORD, make_member, municipality

ROLES = ("visitor", "member", "other_circle", "lead", "author", "secretary", "superuser")

# Prefixes whose patterns are a third-party app's internals, walked by their own test suites:
# allauth's account, e-mail and two-factor views (our login/2FA flow is tested in
# tests/members/test_accounts.py), and the admin's generated per-model URLs (the admin index
# and one changelist are walked explicitly below; the admin's key writes for the secretary
# against the superuser are in test_permission_walk_admin.py).
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


# --- Outcomes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    name: str
    statuses: tuple[int, ...]
    to_login: bool | None = None  # True: must redirect to a login page; False: must not

    def matches(self, response) -> bool:
        if response.status_code not in self.statuses:
            return False
        if self.to_login is None:
            return True
        path = urlsplit(response.get("Location", "")).path
        return path.endswith("/login/") is self.to_login

    def __repr__(self) -> str:
        return self.name


OK = Outcome("OK", (200,))
MOVED = Outcome("MOVED", (301,))
REDIRECT = Outcome("REDIRECT", (302,), to_login=False)
LOGIN = Outcome("LOGIN", (302,), to_login=True)
FORBIDDEN = Outcome("FORBIDDEN", (403,))
NOT_FOUND = Outcome("NOT_FOUND", (404,))
NOT_ALLOWED = Outcome("NOT_ALLOWED", (405,))
# A POST the role may make: answered (the page, or a redirect anywhere but the login) and done.
DONE = Outcome("DONE", (200, 201, 302, 303), to_login=False)
REFUSALS = {LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED}


def S(visitor, member, other_circle, lead, author, secretary, superuser=None) -> dict[str, Outcome]:  # noqa: N802
    """One line per expectation; the superuser answers like the secretary unless told otherwise."""
    superuser = secretary if superuser is None else superuser
    values = (visitor, member, other_circle, lead, author, secretary, superuser)
    return dict(zip(ROLES, values, strict=True))


EVERYONE = S(OK, OK, OK, OK, OK, OK)
MEMBERS_ONLY = S(LOGIN, OK, OK, OK, OK, OK)  # visitors are sent to the login page
POST_ONLY = S(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
LEAD_OF_A = S(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK)  # circle A's lead and the secretariat
STAFF_ONLY = S(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
NOBODY = S(*[NOT_FOUND] * 6)
# On a members' route a visitor is asked to log in even where nothing exists: the answer reveals nothing.
LOGIN_OR_404 = S(LOGIN, *[NOT_FOUND] * 5)

# POST
ALL_DONE = S(DONE, DONE, DONE, DONE, DONE, DONE)
MEMBERS_DO = S(LOGIN, DONE, DONE, DONE, DONE, DONE)
LEAD_OF_A_DOES = S(LOGIN, FORBIDDEN, FORBIDDEN, DONE, FORBIDDEN, DONE)
STAFF_DOES = S(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)
AUTHOR_DOES = S(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE, FORBIDDEN)  # a case all may see
NOBODY_POSTS = S(*[NOT_FOUND] * 6)
# A poll of circle A: its members see it, its lead runs it, the secretariat exports it.
POLL_A_SEEN = S(LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK)
POLL_A_RUN = S(LOGIN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND, OK)
POLL_A_EXPORT = S(LOGIN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, OK)
# What a circle A note ends in: its readers see it (circle A), its lead and the secretariat add to it.
NOTE_A_EDIT = S(LOGIN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND, OK)
NOTE_A_DOES = S(LOGIN, FORBIDDEN, NOT_FOUND, DONE, NOT_FOUND, DONE)
# A position: a draft is the secretariat's alone; a published one or one opened to members is read
# by them (and visitors, once published), written by the secretariat while it is a draft.
DRAFT_POSITION = S(LOGIN, *[NOT_FOUND] * 4, OK)
DRAFT_POSITION_DOES = S(LOGIN, *[NOT_FOUND] * 4, DONE)
POSITION_RUN = S(LOGIN, *[FORBIDDEN] * 4, FORBIDDEN)
POSITION_RUN_OPEN = S(LOGIN, *[FORBIDDEN] * 4, OK)


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


Url = Callable[[World], str]

# route -> {label: (url builder, expected outcome per role)}. Add a new URL here with its matrix.
GETS: dict[str, dict[str, tuple[Url, dict[str, Outcome]]]] = {
    "": {"home": (lambda w: "/", EVERYONE)},
    "healthz": {"health": (lambda w: "/healthz", EVERYONE)},
    "favicon.ico": {"favicon": (lambda w: "/favicon.ico", S(*[MOVED] * 6))},
    "i18n/setlang/": {
        # GET sets nothing and sends everyone home (never to a foreign host).
        "foreign next": (lambda w: "/i18n/setlang/?next=https://evil.example/", S(*[REDIRECT] * 6)),
    },
    "admin/": {"index": (lambda w: "/admin/", S(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, OK))},
    "admin/focus/case/": {
        "changelist": (lambda w: "/admin/focus/case/", S(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, OK))
    },
    # members/
    "invitation/<str:token>/": {
        "open invitation": (lambda w: f"/invitation/{w.invitation_token}/", EVERYONE),
        "unknown token": (lambda w: "/invitation/ukendt-noegle/", NOBODY),
    },
    "medlemmer/": {"directory": (lambda w: "/medlemmer/", MEMBERS_ONLY)},
    "medlemmer/mig/rediger/": {"own profile": (lambda w: "/medlemmer/mig/rediger/", MEMBERS_ONLY)},
    "medlemmer/mig/data/": {"my data": (lambda w: "/medlemmer/mig/data/", MEMBERS_ONLY)},
    "medlemmer/mig/data/eksport.json": {
        "export": (lambda w: "/medlemmer/mig/data/eksport.json", MEMBERS_ONLY)
    },
    "overblik/": {"overview": (lambda w: "/overblik/", MEMBERS_ONLY)},
    "overblik/seneste-7-dage/": {"the last week": (lambda w: "/overblik/seneste-7-dage/", MEMBERS_ONLY)},
    "overblik/laest/": {"mark read": (lambda w: "/overblik/laest/", POST_ONLY)},
    "medlemmer/mig/notifikationer/": {
        "preferences": (lambda w: "/medlemmer/mig/notifikationer/", MEMBERS_ONLY)
    },
    "foelg/<str:kind>/<int:pk>/": {"a case": (lambda w: f"/foelg/case/{w.members_case.pk}/", POST_ONLY)},
    "afmeld/<str:token>/": {
        # The signed token is the credential (one-click unsubscribe from an e-mail).
        "a member's link": (lambda w: f"/afmeld/{w.unsubscribe_token}/", EVERYONE),
        "forged token": (lambda w: "/afmeld/forfalsket/", NOBODY),
    },
    "soeg/": {"search": (lambda w: "/soeg/?q=case", EVERYONE)},
    "perioder/<slug:period_slug>/<slug:area_slug>/cases.atom": {
        "area feed": (lambda w: f"{w.area.get_absolute_url()}cases.atom", EVERYONE),
        "unknown area": (lambda w: f"{w.area.period.get_absolute_url()}findes-ikke/cases.atom", NOBODY),
    },
    "medlemmer/<int:pk>/": {
        "active member": (lambda w: f"/medlemmer/{w.users['author'].pk}/", MEMBERS_ONLY),
        "member who left": (lambda w: f"/medlemmer/{w.departed.pk}/", S(LOGIN, *[NOT_FOUND] * 4, OK)),
    },
    # focus/: strategy content
    "perioder/": {"list": (lambda w: "/perioder/", EVERYONE)},
    "perioder/<slug:period_slug>/": {
        "current": (lambda w: w.area.period.get_absolute_url(), EVERYONE),
        "unknown": (lambda w: "/perioder/findes-ikke/", NOBODY),
    },
    "perioder/<slug:period_slug>/<slug:area_slug>/": {
        "area": (lambda w: w.area.get_absolute_url(), EVERYONE),
        "unknown": (lambda w: f"{w.area.period.get_absolute_url()}findes-ikke/", NOBODY),
    },
    "side/<slug:slug>/": {
        "privacy": (lambda w: "/side/privatlivspolitik/", EVERYONE),
        "unknown": (lambda w: "/side/findes-ikke/", NOBODY),
    },
    # focus/: cases
    "cases/": {"list": (lambda w: "/cases/", EVERYONE)},
    "cases/ny/": {"new": (lambda w: "/cases/ny/", MEMBERS_ONLY)},
    "cases/mine-kladder/": {"drafts": (lambda w: "/cases/mine-kladder/", MEMBERS_ONLY)},
    "cases/<int:pk>-<slug:slug>/": {
        "public case": (lambda w: w.public_case.get_absolute_url(), EVERYONE),
        "members-only case": (lambda w: w.members_case.get_absolute_url(), S(LOGIN, OK, OK, OK, OK, OK)),
        "draft case": (lambda w: w.draft_case.get_absolute_url(), S(LOGIN, *[NOT_FOUND] * 3, OK, NOT_FOUND)),
        "hidden case": (lambda w: w.hidden_case.get_absolute_url(), S(LOGIN, *[NOT_FOUND] * 4, OK)),
    },
    "cases/<int:pk>/rediger/": {
        "public case": (
            lambda w: f"/cases/{w.public_case.pk}/rediger/",
            S(LOGIN, *[FORBIDDEN] * 3, OK, FORBIDDEN),
        ),
        "members-only case": (
            lambda w: f"/cases/{w.members_case.pk}/rediger/",
            S(LOGIN, *[FORBIDDEN] * 3, OK, FORBIDDEN),
        ),
        "draft case": (
            lambda w: f"/cases/{w.draft_case.pk}/rediger/",
            S(LOGIN, *[NOT_FOUND] * 3, OK, NOT_FOUND),
        ),
        # The secretariat sees the hidden case, but edits it in admin.
        "hidden case": (
            lambda w: f"/cases/{w.hidden_case.pk}/rediger/",
            S(LOGIN, *[NOT_FOUND] * 4, FORBIDDEN),
        ),
    },
    # focus/: comments and reports
    "kommentarer/ny/<str:kind>/<int:pk>/": {
        "on a case": (lambda w: f"/kommentarer/ny/case/{w.members_case.pk}/", MEMBERS_ONLY),
    },
    "droeftelse/<str:kind>/<int:pk>/": {
        "area": (lambda w: f"/droeftelse/area/{w.area.pk}/", MEMBERS_ONLY),
        "question": (lambda w: f"/droeftelse/question/{w.question.pk}/", MEMBERS_ONLY),
        "unknown kind": (lambda w: f"/droeftelse/case/{w.public_case.pk}/", LOGIN_OR_404),
        "unknown area": (lambda w: "/droeftelse/area/999999/", LOGIN_OR_404),
    },
    "kommentarer/<int:pk>/": {
        "comment": (lambda w: f"/kommentarer/{w.comment.pk}/", S(LOGIN, *[REDIRECT] * 5)),
        "hidden comment": (
            lambda w: f"/kommentarer/{w.hidden_comment.pk}/",
            S(LOGIN, *[NOT_FOUND] * 4, REDIRECT),
        ),
    },
    "kommentarer/<int:pk>/svar/": {
        "comment": (lambda w: f"/kommentarer/{w.comment.pk}/svar/", S(LOGIN, OK, OK, OK, OK, OK)),
        "reply": (lambda w: f"/kommentarer/{w.reply.pk}/svar/", S(LOGIN, *[FORBIDDEN] * 5)),
        "hidden comment": (
            lambda w: f"/kommentarer/{w.hidden_comment.pk}/svar/",
            S(LOGIN, *[NOT_FOUND] * 4, FORBIDDEN),
        ),
    },
    "kommentarer/<int:pk>/rediger/": {
        "comment": (
            lambda w: f"/kommentarer/{w.comment.pk}/rediger/",
            S(LOGIN, *[FORBIDDEN] * 3, OK, FORBIDDEN),
        ),
    },
    "kommentarer/<int:pk>/slet/": {
        "comment": (
            lambda w: f"/kommentarer/{w.comment.pk}/slet/",
            S(LOGIN, *[FORBIDDEN] * 3, OK, FORBIDDEN),
        ),
    },
    "indberet/<str:kind>/<int:pk>/": {
        "members-only case": (
            lambda w: f"/indberet/case/{w.members_case.pk}/",
            S(LOGIN, OK, OK, OK, OK, OK),
        ),
        "public case": (lambda w: f"/indberet/case/{w.public_case.pk}/", S(LOGIN, OK, OK, OK, OK, OK)),
        "draft case": (
            lambda w: f"/indberet/case/{w.draft_case.pk}/",
            S(LOGIN, *[NOT_FOUND] * 3, FORBIDDEN, NOT_FOUND),
        ),
        "comment": (lambda w: f"/indberet/comment/{w.comment.pk}/", S(LOGIN, OK, OK, OK, OK, OK)),
        "unknown kind": (lambda w: f"/indberet/bruger/{w.users['author'].pk}/", LOGIN_OR_404),
    },
    # circles/
    "kredse/": {"list": (lambda w: "/kredse/", MEMBERS_ONLY)},
    "kredse/<slug:slug>/": {
        "circle A": (lambda w: "/kredse/nordjylland/", MEMBERS_ONLY),
        "unknown": (lambda w: "/kredse/findes-ikke/", S(LOGIN, *[NOT_FOUND] * 5)),
    },
    "kredse/<slug:slug>/moeder/nyt/": {
        "circle A": (lambda w: "/kredse/nordjylland/moeder/nyt/", LEAD_OF_A),
        "circle B": (lambda w: "/kredse/hovedstaden/moeder/nyt/", STAFF_ONLY),
        "unknown": (lambda w: "/kredse/findes-ikke/moeder/nyt/", S(LOGIN, *[NOT_FOUND] * 5)),
    },
    "moeder/nyt/": {"association event": (lambda w: "/moeder/nyt/", STAFF_ONLY)},
    "moeder/<int:pk>/": {
        "circle A meeting": (lambda w: w.meeting_a.get_absolute_url(), MEMBERS_ONLY),
        "association event": (lambda w: w.event.get_absolute_url(), MEMBERS_ONLY),
    },
    "moeder/<int:pk>/rediger/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/rediger/", LEAD_OF_A),
        "circle B meeting": (lambda w: f"/moeder/{w.meeting_b.pk}/rediger/", STAFF_ONLY),
    },
    "moeder/<int:pk>/aflys/bekraeft/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/aflys/bekraeft/", LEAD_OF_A)
    },
    "moeder/<int:pk>/aflys/": {"circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/aflys/", POST_ONLY)},
    "moeder/<int:pk>/tilmelding/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/tilmelding/", POST_ONLY)
    },
    "moeder/<int:pk>/kalender.ics": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/kalender.ics", MEMBERS_ONLY)
    },
    "moeder/<int:pk>/deltagere.csv": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/deltagere.csv", LEAD_OF_A),
        "circle B meeting": (lambda w: f"/moeder/{w.meeting_b.pk}/deltagere.csv", STAFF_ONLY),
    },
    "moeder/<int:pk>/fremmoede/": {
        "held circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/fremmoede/", LEAD_OF_A),
        # Who came is marked once the meeting has begun.
        "coming circle A meeting": (
            lambda w: f"/moeder/{w.upcoming_a.pk}/fremmoede/",
            S(LOGIN, *[FORBIDDEN] * 5),
        ),
    },
    "moeder/<int:pk>/referat/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/referat/", LEAD_OF_A),
        "circle B meeting": (lambda w: f"/moeder/{w.meeting_b.pk}/referat/", STAFF_ONLY),
    },
    "moeder/<int:pk>/bilag/nyt/": {
        "circle A meeting": (lambda w: f"/moeder/{w.meeting_a.pk}/bilag/nyt/", LEAD_OF_A),
    },
    "referater/<int:pk>/": {
        "circle-only note": (
            lambda w: w.circle_note.get_absolute_url(),
            S(LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK),
        ),
        "all-members note": (lambda w: w.members_note.get_absolute_url(), MEMBERS_ONLY),
        "draft note": (
            lambda w: w.draft_note.get_absolute_url(),
            S(LOGIN, *[NOT_FOUND] * 2, OK, NOT_FOUND, OK),
        ),
    },
    "referater/<int:pk>/rediger/": {
        "circle-only note": (
            lambda w: f"/referater/{w.circle_note.pk}/rediger/",
            S(LOGIN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND, OK),
        ),
        "all-members note": (lambda w: f"/referater/{w.members_note.pk}/rediger/", LEAD_OF_A),
        "draft note": (
            lambda w: f"/referater/{w.draft_note.pk}/rediger/",
            S(LOGIN, *[NOT_FOUND] * 2, OK, NOT_FOUND, OK),
        ),
    },
    "referater/<int:pk>/bilag/nyt/": {
        "circle-only note": (
            lambda w: f"/referater/{w.circle_note.pk}/bilag/nyt/",
            S(LOGIN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND, OK),
        ),
    },
    "bilag/<int:pk>/": {
        "circle-only attachment": (
            lambda w: f"/bilag/{w.circle_attachment.pk}/",
            S(LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK),
        ),
        "meeting attachment": (lambda w: f"/bilag/{w.meeting_attachment.pk}/", MEMBERS_ONLY),
    },
    "bilag/<int:pk>/slet/": {
        "circle-only attachment": (lambda w: f"/bilag/{w.circle_attachment.pk}/slet/", POST_ONLY),
    },
    "kalender/": {"settings": (lambda w: "/kalender/", MEMBERS_ONLY)},
    "kalender/<str:token>.ics": {
        # The secret token is the credential: the feed answers whoever holds it, nobody else.
        "a member's token": (lambda w: f"/kalender/{w.calendar_token}.ics", EVERYONE),
        "unknown token": (lambda w: "/kalender/ukendt.ics", NOBODY),
    },
    # circles/polls/
    "afstemninger/": {"list": (lambda w: "/afstemninger/", MEMBERS_ONLY)},
    "afstemninger/ny/": {
        "for all members": (lambda w: "/afstemninger/ny/", STAFF_ONLY),
        "circle A": (lambda w: "/afstemninger/ny/?kreds=nordjylland", LEAD_OF_A),
        "circle B": (lambda w: "/afstemninger/ny/?kreds=hovedstaden", STAFF_ONLY),
        "circle A meeting": (lambda w: f"/afstemninger/ny/?moede={w.upcoming_a.pk}", LEAD_OF_A),
        "draft position in consultation": (
            lambda w: f"/afstemninger/ny/?holdning={w.position_open.slug}",
            STAFF_ONLY,
        ),
        "secretariat's draft": (
            lambda w: f"/afstemninger/ny/?holdning={w.position_draft.slug}",
            DRAFT_POSITION,
        ),
    },
    "afstemninger/<int:pk>/": {
        "for all members": (lambda w: f"/afstemninger/{w.poll_all.pk}/", MEMBERS_ONLY),
        "circle A": (lambda w: f"/afstemninger/{w.poll_a.pk}/", POLL_A_SEEN),
    },
    "afstemninger/<int:pk>/rediger/": {
        "for all members": (lambda w: f"/afstemninger/{w.poll_all.pk}/rediger/", STAFF_ONLY),
        "circle A": (lambda w: f"/afstemninger/{w.poll_a.pk}/rediger/", POLL_A_RUN),
    },
    "afstemninger/<int:pk>/luk/": {
        "for all members": (lambda w: f"/afstemninger/{w.poll_all.pk}/luk/", STAFF_ONLY),
        "circle A": (lambda w: f"/afstemninger/{w.poll_a.pk}/luk/", POLL_A_RUN),
    },
    "afstemninger/<int:pk>/resultat.csv": {
        "for all members": (lambda w: f"/afstemninger/{w.poll_all.pk}/resultat.csv", STAFF_ONLY),
        "circle A": (lambda w: f"/afstemninger/{w.poll_a.pk}/resultat.csv", POLL_A_EXPORT),
    },
    # circles/decisions/
    "referater/<int:pk>/beslutninger/": {
        "circle A note": (lambda w: f"/referater/{w.circle_note.pk}/beslutninger/", NOTE_A_EDIT),
    },
    "beslutninger/<int:pk>/slet/": {
        "circle A decision": (lambda w: f"/beslutninger/{w.decision_a.pk}/slet/", POST_ONLY)
    },
    "referater/<int:pk>/handlinger/": {
        "circle A note": (lambda w: f"/referater/{w.circle_note.pk}/handlinger/", NOTE_A_EDIT),
    },
    "handlinger/<int:pk>/udfoert/": {
        "circle A action": (lambda w: f"/handlinger/{w.action_a.pk}/udfoert/", POST_ONLY)
    },
    "handlinger/<int:pk>/slet/": {
        "circle A action": (lambda w: f"/handlinger/{w.action_a.pk}/slet/", POST_ONLY)
    },
    "referater/<int:pk>/del/": {"draft": (lambda w: f"/referater/{w.draft_note.pk}/del/", POST_ONLY)},
    "referater/<int:pk>/kommentarer/": {
        "shared draft": (lambda w: f"/referater/{w.shared_note.pk}/kommentarer/", POST_ONLY)
    },
    "svar/<str:token>/": {
        "a member's link": (lambda w: f"/svar/{w.answer_token}/", EVERYONE),
        "tampered": (lambda w: f"/svar/{w.answer_token[:-3]}abc/", NOBODY),
    },
    # focus/voice/: positions (a published one, the secretariat's draft, a draft opened to members)
    "holdninger/": {"list": (lambda w: "/holdninger/", EVERYONE)},
    "holdninger/ny/": {"new": (lambda w: f"/holdninger/ny/?spoergsmaal={w.question.pk}", STAFF_ONLY)},
    "holdninger/feed/": {"feed": (lambda w: "/holdninger/feed/", EVERYONE)},
    "holdninger/<slug:slug>/": {
        "published": (lambda w: w.position_pub.get_absolute_url(), EVERYONE),
        "draft": (lambda w: w.position_draft.get_absolute_url(), DRAFT_POSITION),
        "opened to members": (lambda w: w.position_open.get_absolute_url(), MEMBERS_ONLY),
    },
    **{
        f"holdninger/<slug:slug>/{page}/": {
            "published": (lambda w, page=page: f"{w.position_pub.get_absolute_url()}{page}/", published),
            "draft": (lambda w, page=page: f"{w.position_draft.get_absolute_url()}{page}/", DRAFT_POSITION),
            "opened to members": (
                lambda w, page=page: f"{w.position_open.get_absolute_url()}{page}/",
                POSITION_RUN_OPEN,
            ),
        }
        for page, published in (
            ("rediger", POSITION_RUN),
            ("kilder", POSITION_RUN),
            # The secretariat is told it is published already; its versions stay on record.
            ("godkend", S(LOGIN, *[FORBIDDEN] * 4, REDIRECT)),
            ("versioner", S(LOGIN, *[FORBIDDEN] * 4, OK)),
        )
    },
    **{
        f"holdninger/<slug:slug>/{page}/": {
            "draft": (lambda w, page=page: f"{w.position_draft.get_absolute_url()}{page}/", POST_ONLY)
        }
        for page in ("hoering", "kommentarer", "slet")
    },
    "holdninger/<slug:slug>/pdf/": {
        "published": (lambda w: f"{w.position_pub.get_absolute_url()}pdf/", EVERYONE),
        "draft": (lambda w: f"{w.position_draft.get_absolute_url()}pdf/", NOBODY),
    },
    "holdninger/kilder/<int:pk>/fjern/": {
        "on a draft": (lambda w: f"/holdninger/kilder/{w.draft_citation.pk}/fjern/", POST_ONLY)
    },
    "hoeringer/": {"list": (lambda w: "/hoeringer/", MEMBERS_ONLY)},
    "hoeringer/ny/": {"new": (lambda w: "/hoeringer/ny/", STAFF_ONLY)},
    "hoeringer/<int:pk>-<slug:slug>/": {
        "open": (lambda w: w.consultation.get_absolute_url(), MEMBERS_ONLY),
        "unknown": (lambda w: "/hoeringer/999999-findes-ikke/", LOGIN_OR_404),
    },
    "hoeringer/<int:pk>/rediger/": {
        "open": (lambda w: f"/hoeringer/{w.consultation.pk}/rediger/", STAFF_ONLY)
    },
    "hoeringer/<int:pk>/svar/": {"open": (lambda w: f"/hoeringer/{w.consultation.pk}/svar/", POST_ONLY)},
    "hoeringer/<int:pk>/sendt/": {"open": (lambda w: f"/hoeringer/{w.consultation.pk}/sendt/", POST_ONLY)},
    "eksempelsamlinger/": {"list": (lambda w: "/eksempelsamlinger/", EVERYONE)},
    "eksempelsamlinger/ny/": {"new": (lambda w: "/eksempelsamlinger/ny/", STAFF_ONLY)},
    **{
        f"eksempelsamlinger/<slug:slug>/{page}": {
            "public": (lambda w, page=page: f"{w.collection_public.get_absolute_url()}{page}", EVERYONE),
            "members only": (
                lambda w, page=page: f"{w.collection_members.get_absolute_url()}{page}",
                MEMBERS_ONLY,
            ),
            "being built": (
                lambda w, page=page: f"{w.collection_draft.get_absolute_url()}{page}",
                DRAFT_POSITION,
            ),
        }
        for page in ("", "pdf/", "docx/")
    },
    "eksempelsamlinger/<slug:slug>/rediger/": {
        "public": (lambda w: f"{w.collection_public.get_absolute_url()}rediger/", STAFF_ONLY),
        "being built": (lambda w: f"{w.collection_draft.get_absolute_url()}rediger/", DRAFT_POSITION),
    },
    **{
        f"eksempelsamlinger/<slug:slug>/{page}/": {
            "being built": (lambda w, page=page: f"{w.collection_draft.get_absolute_url()}{page}/", POST_ONLY)
        }
        for page in ("cases", "offentliggoer", "sendt")
    },
    "regler/": {"list": (lambda w: "/regler/", EVERYONE)},
    "regler/<int:pk>/": {
        "confirmed": (lambda w: w.rule.get_absolute_url(), EVERYONE),
        "proposed by the author": (lambda w: w.proposed_rule.get_absolute_url(), S(*[NOT_FOUND] * 4, OK, OK)),
    },
    "regler/<int:pk>/bekraeft/": {
        "proposed": (lambda w: f"/regler/{w.proposed_rule.pk}/bekraeft/", POST_ONLY)
    },
    "regler/cases/<int:pk>/": {"a case": (lambda w: f"/regler/cases/{w.members_case.pk}/", POST_ONLY)},
    "samtykke/": {"own requests": (lambda w: "/samtykke/", MEMBERS_ONLY)},
    "samtykke/<int:pk>/": {
        "asked of the author": (
            lambda w: f"/samtykke/{w.consent_citation.pk}/",
            S(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
        )
    },
}


# --- POST -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    url: Url
    expected: dict[str, Outcome]
    data: Callable[[World], dict] = lambda w: {}
    # What the write changes, read from the database: (world, role) -> any comparable value.
    effect: Callable[[World, str], object] = lambda w, role: None


@dataclass(frozen=True)
class ReadsOnly:
    """The route writes nothing: a POST answers as given (or as its GET does) and changes nothing."""

    expected: dict[str, Outcome] | None = None


READS_ONLY = ReadsOnly()


def _user(w: World, role: str) -> User | None:
    return w.users.get(role)


def _fields(model, *names, **lookup):
    return list(model.objects.filter(**lookup).order_by("pk").values_list(*names))


def _case_effect(name):
    return lambda w, role: _fields(Case, "title", "version", "status", "hidden_at", pk=getattr(w, name).pk)


def _case_form(w: World, case_name: str | None = None, **extra) -> dict:
    data = {
        "title": "Skrevet i walken",
        "summary": "Et resumé.",
        "body": "En tekst.",
        "focus_area": w.area.pk,
        "tags": "",
        "action": "save" if case_name else "publish",
    }
    if case_name:
        data["version"] = getattr(w, case_name).version
    return data | extra


def _meeting_form(w: World, **extra) -> dict:
    return {
        "title": "Skrevet i walken",
        "kind": "circle",
        "starts_at": _at(20, 10).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": _at(20, 12).strftime("%Y-%m-%dT%H:%M"),
        "location": "Aalborg",
        "agenda": "Dagsorden.",
    } | extra


def _note_form(w: World, note_name: str) -> dict:
    note = getattr(w, note_name)
    newest = note.revisions.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {"body": "Ændret i walken.", "visibility": note.visibility, "base_revision": newest}


def _upload(w: World) -> dict:
    return {"file": SimpleUploadedFile("walk.pdf", tiny_pdf("Walk"), content_type="application/pdf")}


def _meeting_effect(name):
    return lambda w, role: _fields(Meeting, "title", "cancelled_at", "location", pk=getattr(w, name).pk)


def _poll_form(w: World) -> dict:
    return {
        "question": "Skrevet i walken?",
        "kind": "single",
        "options": "Ja\nNej",
        "results_shown": "after_vote",
        "opens_at": _at(0, 0).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": _at(20, 12).strftime("%Y-%m-%dT%H:%M"),
    }


def _poll_effect(name):
    return lambda w, role: _fields(Poll, "question", "closes_at", pk=getattr(w, name).pk)


def _votes(name):
    return lambda w, role: Vote.objects.filter(poll=getattr(w, name)).count()


def _consultation_form(w: World) -> dict:
    return {
        "title": "Høring fra walken",
        "sender": "Ministeriet",
        "external_deadline": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "input_deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "body": "",
        "focus_areas": [w.area.pk],
    }


def _count(model, **lookup):
    return lambda w, role: model.objects.filter(**lookup).count()


def _own(model, *names):
    return lambda w, role: _fields(model, *names, user=_user(w, role)) if _user(w, role) else None


def _note_effect(name):
    return lambda w, role: _fields(type(getattr(w, name)), "body", "updated_at", pk=getattr(w, name).pk)


# route -> {label: Post} or READS_ONLY. Add a new URL here with its matrix.
POSTS: dict[str, dict[str, Post] | ReadsOnly] = {
    "": READS_ONLY,
    "healthz": ReadsOnly(S(*[NOT_ALLOWED] * 6)),
    "favicon.ico": ReadsOnly(S(*[NOT_ALLOWED] * 6)),
    # Sets the language cookie only; never redirects off the site (tests/komdir).
    "i18n/setlang/": READS_ONLY,
    "admin/": READS_ONLY,
    "admin/focus/case/": {
        "hide a case (action)": Post(
            lambda w: "/admin/focus/case/",
            S(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, DONE),
            lambda w: {
                "action": "hide",
                "_selected_action": [w.members_case.pk],
                "reason_given": "1",
                "reason": "Walk",
            },
            _case_effect("members_case"),
        ),
    },
    # members/
    "invitation/<str:token>/": {
        # The token in the mail is the credential: whoever holds it may accept.
        "open invitation": Post(
            lambda w: f"/invitation/{w.invitation_token}/",
            ALL_DONE,
            lambda w: {
                "first_name": "Ny",
                "last_name": "Direktør",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            _count(User, email="ny@kommune.test"),
        ),
        "unknown token": Post(
            lambda w: "/invitation/ukendt-noegle/",
            NOBODY_POSTS,
            lambda w: {
                "first_name": "Ny",
                "last_name": "Direktør",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        ),
    },
    "medlemmer/": READS_ONLY,
    "medlemmer/mig/rediger/": {
        "own profile": Post(
            lambda w: "/medlemmer/mig/rediger/",
            MEMBERS_DO,
            lambda w: {
                "first_name": "Omdøbt",
                "last_name": "Walk",
                "title": "Direktør",
                "phone": "",
                "bio": "",
            },
            lambda w, role: _fields(User, "first_name", pk=_user(w, role).pk) if _user(w, role) else None,
        ),
    },
    "medlemmer/mig/data/": {
        "delete own account": Post(
            lambda w: "/medlemmer/mig/data/",
            MEMBERS_DO,
            lambda w: {"password": PASSWORD, "confirm": "on"},
            lambda w, role: (
                _fields(User, "email", "is_active", pk=_user(w, role).pk) if _user(w, role) else None
            ),
        ),
    },
    "medlemmer/mig/data/eksport.json": READS_ONLY,
    # Opening the overview sets the read marker once, on the first visit; later visits keep it.
    "overblik/": {
        "overview": Post(
            lambda w: "/overblik/",
            MEMBERS_DO,
            effect=_own(NotificationSettings, "overview_read_at"),
        ),
    },
    # The first visit to either overview page starts the read marker (14 days back).
    "overblik/seneste-7-dage/": {
        "the last week": Post(
            lambda w: "/overblik/seneste-7-dage/",
            MEMBERS_DO,
            effect=_own(NotificationSettings, "overview_read_at"),
        ),
    },
    # "Markér som læst" moves the read marker.
    "overblik/laest/": {
        "mark read": Post(
            lambda w: "/overblik/laest/",
            MEMBERS_DO,
            effect=_own(NotificationSettings, "overview_read_at"),
        ),
    },
    "medlemmer/mig/notifikationer/": {
        "preferences": Post(
            lambda w: "/medlemmer/mig/notifikationer/",
            MEMBERS_DO,
            lambda w: {"mail_replies": ""},  # every box unticked
            _own(NotificationSettings, "mail_replies", "mail_case_comments", "weekly_digest"),
        ),
    },
    "foelg/<str:kind>/<int:pk>/": {
        "a members-only case": Post(
            lambda w: f"/foelg/case/{w.members_case.pk}/",
            MEMBERS_DO,
            lambda w: {"active": "1"},
            lambda w, role: (
                _fields(Follow, "active", user=_user(w, role), object_id=w.members_case.pk)
                if _user(w, role)
                else None
            ),
        ),
        # Only published cases are followed; a draft is not found, even by its author.
        "a draft case": Post(
            lambda w: f"/foelg/case/{w.draft_case.pk}/", S(LOGIN, *[NOT_FOUND] * 5), lambda w: {"active": "1"}
        ),
        "unknown kind": Post(lambda w: f"/foelg/bruger/{w.users['author'].pk}/", S(LOGIN, *[NOT_FOUND] * 5)),
    },
    "afmeld/<str:token>/": {
        "a member's link": Post(
            lambda w: f"/afmeld/{w.unsubscribe_token}/",
            ALL_DONE,
            effect=lambda w, role: _fields(
                NotificationSettings, "mail_replies", "weekly_digest", user=w.users["member"]
            ),
        ),
        "forged token": Post(lambda w: "/afmeld/forfalsket/", NOBODY_POSTS),
    },
    "soeg/": READS_ONLY,
    "perioder/<slug:period_slug>/<slug:area_slug>/cases.atom": READS_ONLY,
    "medlemmer/<int:pk>/": READS_ONLY,
    "perioder/": READS_ONLY,
    "perioder/<slug:period_slug>/": READS_ONLY,
    "perioder/<slug:period_slug>/<slug:area_slug>/": READS_ONLY,
    "side/<slug:slug>/": READS_ONLY,
    "cases/": READS_ONLY,
    "cases/ny/": {
        "publish a case": Post(lambda w: "/cases/ny/", MEMBERS_DO, lambda w: _case_form(w), _count(Case)),
    },
    "cases/mine-kladder/": READS_ONLY,
    "cases/<int:pk>-<slug:slug>/": READS_ONLY,
    "cases/<int:pk>/rediger/": {
        "public case": Post(
            lambda w: f"/cases/{w.public_case.pk}/rediger/",
            AUTHOR_DOES,
            lambda w: _case_form(w, "public_case"),
            _case_effect("public_case"),
        ),
        "members-only case": Post(
            lambda w: f"/cases/{w.members_case.pk}/rediger/",
            S(LOGIN, *[FORBIDDEN] * 3, DONE, FORBIDDEN),
            lambda w: _case_form(w, "members_case"),
            _case_effect("members_case"),
        ),
        "publish a draft": Post(
            lambda w: f"/cases/{w.draft_case.pk}/rediger/",
            S(LOGIN, *[NOT_FOUND] * 3, DONE, NOT_FOUND),
            lambda w: _case_form(w, "draft_case", action="publish"),
            _case_effect("draft_case"),
        ),
        "hidden case": Post(
            lambda w: f"/cases/{w.hidden_case.pk}/rediger/",
            S(LOGIN, *[NOT_FOUND] * 4, FORBIDDEN),
            lambda w: _case_form(w, "hidden_case"),
            _case_effect("hidden_case"),
        ),
    },
    "kommentarer/ny/<str:kind>/<int:pk>/": {
        "on a members-only case": Post(
            lambda w: f"/kommentarer/ny/case/{w.members_case.pk}/",
            S(LOGIN, DONE, DONE, DONE, DONE, DONE),
            lambda w: {"body": "Kommentar fra walken."},
            _count(Comment),
        ),
        # A visitor sees the public case, the area and the question, but is asked to log in to comment.
        "on a public case": Post(
            lambda w: f"/kommentarer/ny/case/{w.public_case.pk}/",
            S(LOGIN, DONE, DONE, DONE, DONE, DONE),
            lambda w: {"body": "Kommentar fra walken."},
            _count(Comment),
        ),
        "on an area": Post(
            lambda w: f"/kommentarer/ny/area/{w.area.pk}/",
            S(LOGIN, DONE, DONE, DONE, DONE, DONE),
            lambda w: {"body": "Kommentar fra walken."},
            _count(Comment),
        ),
        "on a question": Post(
            lambda w: f"/kommentarer/ny/question/{w.question.pk}/",
            S(LOGIN, DONE, DONE, DONE, DONE, DONE),
            lambda w: {"body": "Kommentar fra walken."},
            _count(Comment),
        ),
        "on a draft": Post(
            lambda w: f"/kommentarer/ny/case/{w.draft_case.pk}/",
            S(LOGIN, *[NOT_FOUND] * 3, FORBIDDEN, NOT_FOUND),
            lambda w: {"body": "Kommentar fra walken."},
            _count(Comment),
        ),
        "on a hidden case": Post(
            lambda w: f"/kommentarer/ny/case/{w.hidden_case.pk}/",
            S(LOGIN, *[NOT_FOUND] * 4, FORBIDDEN),
            lambda w: {"body": "Kommentar fra walken."},
            _count(Comment),
        ),
        "unknown kind": Post(
            lambda w: f"/kommentarer/ny/bruger/{w.users['author'].pk}/", LOGIN_OR_404, lambda w: {"body": "x"}
        ),
    },
    "droeftelse/<str:kind>/<int:pk>/": READS_ONLY,
    "kommentarer/<int:pk>/": READS_ONLY,
    "kommentarer/<int:pk>/svar/": {
        "comment": Post(
            lambda w: f"/kommentarer/{w.comment.pk}/svar/",
            S(LOGIN, DONE, DONE, DONE, DONE, DONE),
            lambda w: {"body": "Svar fra walken."},
            _count(Comment),
        ),
        "reply": Post(
            lambda w: f"/kommentarer/{w.reply.pk}/svar/",
            S(LOGIN, *[FORBIDDEN] * 5),
            lambda w: {"body": "Svar fra walken."},
            _count(Comment),
        ),
        "hidden comment": Post(
            lambda w: f"/kommentarer/{w.hidden_comment.pk}/svar/",
            S(LOGIN, *[NOT_FOUND] * 4, FORBIDDEN),
            lambda w: {"body": "Svar fra walken."},
            _count(Comment),
        ),
    },
    "kommentarer/<int:pk>/rediger/": {
        "comment": Post(
            lambda w: f"/kommentarer/{w.comment.pk}/rediger/",
            S(LOGIN, *[FORBIDDEN] * 3, DONE, FORBIDDEN),
            lambda w: {"body": "Rettet i walken."},
            lambda w, role: _fields(Comment, "body", "version", pk=w.comment.pk),
        ),
        "hidden comment": Post(
            lambda w: f"/kommentarer/{w.hidden_comment.pk}/rediger/",
            S(LOGIN, *[NOT_FOUND] * 4, FORBIDDEN),
            lambda w: {"body": "Rettet i walken."},
            lambda w, role: _fields(Comment, "body", "version", pk=w.hidden_comment.pk),
        ),
    },
    "kommentarer/<int:pk>/slet/": {
        "comment": Post(
            lambda w: f"/kommentarer/{w.comment.pk}/slet/",
            S(LOGIN, *[FORBIDDEN] * 3, DONE, FORBIDDEN),
            effect=lambda w, role: _fields(Comment, "deleted_at", pk=w.comment.pk),
        ),
    },
    "indberet/<str:kind>/<int:pk>/": {
        "members-only case": Post(
            lambda w: f"/indberet/case/{w.members_case.pk}/",
            S(LOGIN, DONE, DONE, DONE, DONE, DONE),
            lambda w: {"reason": "Fra walken."},
            _count(Report),
        ),
        "public case": Post(
            lambda w: f"/indberet/case/{w.public_case.pk}/",
            S(LOGIN, DONE, DONE, DONE, DONE, DONE),
            lambda w: {"reason": "Fra walken."},
            _count(Report),
        ),
        "draft case": Post(
            lambda w: f"/indberet/case/{w.draft_case.pk}/",
            S(LOGIN, *[NOT_FOUND] * 3, FORBIDDEN, NOT_FOUND),
            lambda w: {"reason": "Fra walken."},
            _count(Report),
        ),
        "comment": Post(
            lambda w: f"/indberet/comment/{w.comment.pk}/",
            S(LOGIN, DONE, DONE, DONE, DONE, DONE),
            lambda w: {"reason": "Fra walken."},
            _count(Report),
        ),
        "unknown kind": Post(lambda w: f"/indberet/bruger/{w.users['author'].pk}/", LOGIN_OR_404),
    },
    # circles/
    "kredse/": READS_ONLY,
    "kredse/<slug:slug>/": READS_ONLY,
    "kredse/<slug:slug>/moeder/nyt/": {
        "circle A": Post(
            lambda w: "/kredse/nordjylland/moeder/nyt/", LEAD_OF_A_DOES, _meeting_form, _count(Meeting)
        ),
        "circle B": Post(
            lambda w: "/kredse/hovedstaden/moeder/nyt/", STAFF_DOES, _meeting_form, _count(Meeting)
        ),
        "unknown": Post(
            lambda w: "/kredse/findes-ikke/moeder/nyt/", S(LOGIN, *[NOT_FOUND] * 5), _meeting_form
        ),
    },
    "moeder/nyt/": {
        "association event": Post(
            lambda w: "/moeder/nyt/",
            STAFF_DOES,
            lambda w: _meeting_form(w, kind="professional"),
            _count(Meeting),
        ),
    },
    "moeder/<int:pk>/": READS_ONLY,
    "moeder/<int:pk>/rediger/": {
        "circle A meeting": Post(
            lambda w: f"/moeder/{w.upcoming_a.pk}/rediger/",
            LEAD_OF_A_DOES,
            _meeting_form,
            _meeting_effect("upcoming_a"),
        ),
        "circle B meeting": Post(
            lambda w: f"/moeder/{w.meeting_b.pk}/rediger/",
            STAFF_DOES,
            _meeting_form,
            _meeting_effect("meeting_b"),
        ),
    },
    "moeder/<int:pk>/aflys/bekraeft/": ReadsOnly(S(LOGIN, *[NOT_ALLOWED] * 5)),
    "moeder/<int:pk>/aflys/": {
        "circle A meeting": Post(
            lambda w: f"/moeder/{w.upcoming_a.pk}/aflys/",
            LEAD_OF_A_DOES,
            effect=_meeting_effect("upcoming_a"),
        ),
        "circle B meeting": Post(
            lambda w: f"/moeder/{w.meeting_b.pk}/aflys/", STAFF_DOES, effect=_meeting_effect("meeting_b")
        ),
    },
    "moeder/<int:pk>/deltagere.csv": READS_ONLY,
    "moeder/<int:pk>/fremmoede/": {
        "held circle A meeting": Post(
            lambda w: f"/moeder/{w.meeting_a.pk}/fremmoede/",
            LEAD_OF_A_DOES,
            lambda w: {"present": [w.users["member"].pk]},
            lambda w, role: _fields(Attendance, "user_id", "attended", meeting=w.meeting_a),
        ),
        "coming circle A meeting": Post(
            lambda w: f"/moeder/{w.upcoming_a.pk}/fremmoede/",
            S(LOGIN, *[FORBIDDEN] * 5),
            lambda w: {"present": [w.users["member"].pk]},
            lambda w, role: _fields(Attendance, "user_id", "attended", meeting=w.upcoming_a),
        ),
    },
    "moeder/<int:pk>/tilmelding/": {
        # Every member sees the circle's meeting; its circle and the secretariat sign up.
        "circle A meeting": Post(
            lambda w: f"/moeder/{w.upcoming_a.pk}/tilmelding/",
            S(LOGIN, DONE, FORBIDDEN, DONE, FORBIDDEN, DONE),
            lambda w: {"response": "no"},  # the member said yes before
            lambda w, role: _fields(Attendance, "user", "response", meeting=w.upcoming_a),
        ),
        "association event": Post(
            lambda w: f"/moeder/{w.event.pk}/tilmelding/",
            MEMBERS_DO,
            lambda w: {"response": "yes"},
            _count(Attendance),
        ),
    },
    "moeder/<int:pk>/kalender.ics": READS_ONLY,
    "moeder/<int:pk>/referat/": {
        "circle A meeting": Post(
            lambda w: f"/moeder/{w.meeting_a.pk}/referat/",
            LEAD_OF_A_DOES,
            lambda w: _note_form(w, "circle_note"),
            _note_effect("circle_note"),
        ),
        "circle B meeting": Post(
            lambda w: f"/moeder/{w.meeting_b.pk}/referat/",
            STAFF_DOES,
            lambda w: {"body": "Referat fra walken.", "visibility": "members"},
            lambda w, role: _fields(Meeting, "note__body", pk=w.meeting_b.pk),
        ),
    },
    "moeder/<int:pk>/bilag/nyt/": {
        "circle A meeting": Post(
            lambda w: f"/moeder/{w.meeting_a.pk}/bilag/nyt/", LEAD_OF_A_DOES, _upload, _count(Attachment)
        ),
        "circle B meeting": Post(
            lambda w: f"/moeder/{w.meeting_b.pk}/bilag/nyt/", STAFF_DOES, _upload, _count(Attachment)
        ),
    },
    "referater/<int:pk>/": READS_ONLY,
    "referater/<int:pk>/rediger/": {
        "circle-only note": Post(
            lambda w: f"/referater/{w.circle_note.pk}/rediger/",
            S(LOGIN, FORBIDDEN, NOT_FOUND, DONE, NOT_FOUND, DONE),
            lambda w: _note_form(w, "circle_note"),
            _note_effect("circle_note"),
        ),
        "all-members note": Post(
            lambda w: f"/referater/{w.members_note.pk}/rediger/",
            LEAD_OF_A_DOES,
            lambda w: _note_form(w, "members_note"),
            _note_effect("members_note"),
        ),
        "draft note": Post(
            lambda w: f"/referater/{w.draft_note.pk}/rediger/",
            S(LOGIN, *[NOT_FOUND] * 2, DONE, NOT_FOUND, DONE),
            lambda w: _note_form(w, "draft_note"),
            _note_effect("draft_note"),
        ),
    },
    "referater/<int:pk>/bilag/nyt/": {
        "circle-only note": Post(
            lambda w: f"/referater/{w.circle_note.pk}/bilag/nyt/",
            S(LOGIN, FORBIDDEN, NOT_FOUND, DONE, NOT_FOUND, DONE),
            _upload,
            _count(Attachment),
        ),
    },
    "bilag/<int:pk>/": READS_ONLY,
    "bilag/<int:pk>/slet/": {
        "circle-only attachment": Post(
            lambda w: f"/bilag/{w.circle_attachment.pk}/slet/",
            S(LOGIN, FORBIDDEN, NOT_FOUND, DONE, NOT_FOUND, DONE),
            effect=_count(Attachment),
        ),
        "meeting attachment": Post(
            lambda w: f"/bilag/{w.meeting_attachment.pk}/slet/", LEAD_OF_A_DOES, effect=_count(Attachment)
        ),
    },
    "kalender/": {
        "renew the address": Post(lambda w: "/kalender/", MEMBERS_DO, effect=_own(CalendarToken, "token")),
    },
    "kalender/<str:token>.ics": READS_ONLY,
    # circles/polls/
    "afstemninger/": READS_ONLY,
    "afstemninger/ny/": {
        "for all members": Post(lambda w: "/afstemninger/ny/", STAFF_DOES, _poll_form, _count(Poll)),
        "circle A": Post(
            lambda w: "/afstemninger/ny/?kreds=nordjylland", LEAD_OF_A_DOES, _poll_form, _count(Poll)
        ),
        "circle B": Post(
            lambda w: "/afstemninger/ny/?kreds=hovedstaden", STAFF_DOES, _poll_form, _count(Poll)
        ),
    },
    "afstemninger/<int:pk>/": {
        # Members vote; the secretariat runs polls and does not vote.
        "for all members": Post(
            lambda w: f"/afstemninger/{w.poll_all.pk}/",
            S(LOGIN, DONE, DONE, DONE, DONE, FORBIDDEN),
            lambda w: {"choice": w.poll_all.options.first().pk},
            _votes("poll_all"),
        ),
        "circle A": Post(
            lambda w: f"/afstemninger/{w.poll_a.pk}/",
            S(LOGIN, DONE, NOT_FOUND, DONE, NOT_FOUND, FORBIDDEN),
            lambda w: {"choice": w.poll_a.options.first().pk},
            _votes("poll_a"),
        ),
    },
    "afstemninger/<int:pk>/rediger/": {
        "for all members": Post(
            lambda w: f"/afstemninger/{w.poll_all.pk}/rediger/",
            STAFF_DOES,
            _poll_form,
            _poll_effect("poll_all"),
        ),
        "circle A": Post(
            lambda w: f"/afstemninger/{w.poll_a.pk}/rediger/",
            S(LOGIN, FORBIDDEN, NOT_FOUND, DONE, NOT_FOUND, DONE),
            _poll_form,
            _poll_effect("poll_a"),
        ),
    },
    "afstemninger/<int:pk>/luk/": {
        "for all members": Post(
            lambda w: f"/afstemninger/{w.poll_all.pk}/luk/", STAFF_DOES, effect=_poll_effect("poll_all")
        ),
        "circle A": Post(
            lambda w: f"/afstemninger/{w.poll_a.pk}/luk/",
            S(LOGIN, FORBIDDEN, NOT_FOUND, DONE, NOT_FOUND, DONE),
            effect=_poll_effect("poll_a"),
        ),
    },
    "afstemninger/<int:pk>/resultat.csv": ReadsOnly(),
    # circles/decisions/
    "referater/<int:pk>/beslutninger/": {
        "circle A note": Post(
            lambda w: f"/referater/{w.circle_note.pk}/beslutninger/",
            NOTE_A_DOES,
            lambda w: {"text": "Besluttet i walken."},
            _count(Decision),
        ),
    },
    "beslutninger/<int:pk>/slet/": {
        "circle A decision": Post(
            lambda w: f"/beslutninger/{w.decision_a.pk}/slet/", NOTE_A_DOES, effect=_count(Decision)
        ),
    },
    "referater/<int:pk>/handlinger/": {
        "circle A note": Post(
            lambda w: f"/referater/{w.circle_note.pk}/handlinger/",
            NOTE_A_DOES,
            lambda w: {"text": "Gøres i walken.", "owner": w.users["member"].pk},
            _count(ActionItem),
        ),
    },
    "handlinger/<int:pk>/udfoert/": {
        # The owner (a member of circle A), the circle's lead and the secretariat.
        "circle A action": Post(
            lambda w: f"/handlinger/{w.action_a.pk}/udfoert/",
            S(LOGIN, DONE, NOT_FOUND, DONE, NOT_FOUND, DONE),
            lambda w: {"done": "1"},
            lambda w, role: _fields(ActionItem, "status", pk=w.action_a.pk),
        ),
    },
    "handlinger/<int:pk>/slet/": {
        "circle A action": Post(
            lambda w: f"/handlinger/{w.action_a.pk}/slet/", NOTE_A_DOES, effect=_count(ActionItem)
        ),
    },
    "referater/<int:pk>/del/": {
        # A draft is read only by those who write it: the lead and the secretariat.
        "draft": Post(
            lambda w: f"/referater/{w.draft_note.pk}/del/",
            S(LOGIN, NOT_FOUND, NOT_FOUND, DONE, NOT_FOUND, DONE),
            lambda w: {"until": (timezone.localdate() + timedelta(days=5)).isoformat()},
            lambda w, role: _fields(MeetingNote, "shared_until", pk=w.draft_note.pk),
        ),
    },
    "referater/<int:pk>/kommentarer/": {
        # A shared draft: its participants (the member of circle A signed up) and its writers.
        "shared draft": Post(
            lambda w: f"/referater/{w.shared_note.pk}/kommentarer/",
            S(LOGIN, DONE, NOT_FOUND, DONE, NOT_FOUND, DONE),
            lambda w: {"body": "Kommentar fra walken."},
            _count(NoteComment),
        ),
    },
    "svar/<str:token>/": {
        # The link is the member's: whoever holds it answers for them (as an unsubscribe link).
        "a member's link": Post(
            lambda w: f"/svar/{w.answer_token}/",
            ALL_DONE,
            lambda w: {"response": "no"},
            lambda w, role: _fields(Attendance, "response", meeting=w.upcoming_a, user=w.users["member"]),
        ),
        "tampered": Post(
            lambda w: f"/svar/{w.answer_token[:-3]}abc/", NOBODY_POSTS, lambda w: {"response": "no"}
        ),
    },
    # focus/voice/
    "holdninger/": READS_ONLY,
    "holdninger/ny/": {
        "new": Post(
            lambda w: f"/holdninger/ny/?spoergsmaal={w.question.pk}",
            STAFF_DOES,
            lambda w: {"title": "Skrevet i walken", "body": "KOMDIR mener noget."},
            _count(Position),
        )
    },
    "holdninger/feed/": READS_ONLY,
    "holdninger/<slug:slug>/": READS_ONLY,
    "holdninger/<slug:slug>/rediger/": {
        "draft": Post(
            lambda w: f"{w.position_draft.get_absolute_url()}rediger/",
            DRAFT_POSITION_DOES,
            lambda w: {"title": "Ændret i walken", "body": "Ny tekst.", "version": w.position_draft.version},
            lambda w, role: _fields(Position, "title", "version", pk=w.position_draft.pk),
        ),
        "published": Post(
            lambda w: f"{w.position_pub.get_absolute_url()}rediger/",
            S(LOGIN, *[FORBIDDEN] * 5),
            lambda w: {"title": "Ændret i walken", "body": "Ny tekst.", "version": w.position_pub.version},
            lambda w, role: _fields(Position, "title", "version", pk=w.position_pub.pk),
        ),
    },
    "holdninger/<slug:slug>/kilder/": {
        "draft": Post(
            lambda w: f"{w.position_draft.get_absolute_url()}kilder/",
            DRAFT_POSITION_DOES,
            lambda w: {"case": w.members_case.pk, "quote": ""},
            _count(Citation),
        )
    },
    "holdninger/<slug:slug>/hoering/": {
        "draft": Post(
            lambda w: f"{w.position_draft.get_absolute_url()}hoering/",
            DRAFT_POSITION_DOES,
            lambda w: {"until": (timezone.localdate() + timedelta(days=5)).isoformat()},
            lambda w, role: _fields(Position, "comments_until", pk=w.position_draft.pk),
        )
    },
    "holdninger/<slug:slug>/kommentarer/": {
        "opened to members": Post(
            lambda w: f"{w.position_open.get_absolute_url()}kommentarer/",
            MEMBERS_DO,
            lambda w: {"body": "Kommentar fra walken."},
            _count(PositionComment),
        ),
        "draft": Post(
            lambda w: f"{w.position_draft.get_absolute_url()}kommentarer/",
            S(LOGIN, *[NOT_FOUND] * 4, FORBIDDEN),
            lambda w: {"body": "Kommentar fra walken."},
            _count(PositionComment),
        ),
    },
    "holdninger/<slug:slug>/godkend/": {
        "draft": Post(
            lambda w: f"{w.position_draft.get_absolute_url()}godkend/",
            DRAFT_POSITION_DOES,
            lambda w: {"version": w.position_draft.version},
            lambda w, role: _fields(Position, "status", pk=w.position_draft.pk),
        )
    },
    "holdninger/<slug:slug>/slet/": {
        "draft": Post(
            lambda w: f"{w.position_draft.get_absolute_url()}slet/",
            DRAFT_POSITION_DOES,
            effect=_count(Position),
        )
    },
    "holdninger/<slug:slug>/versioner/": READS_ONLY,
    "holdninger/<slug:slug>/pdf/": READS_ONLY,
    "holdninger/kilder/<int:pk>/fjern/": {
        "on a draft": Post(
            lambda w: f"/holdninger/kilder/{w.draft_citation.pk}/fjern/",
            DRAFT_POSITION_DOES,
            effect=_count(Citation),
        )
    },
    "hoeringer/": READS_ONLY,
    "hoeringer/ny/": {
        "new": Post(lambda w: "/hoeringer/ny/", STAFF_DOES, _consultation_form, _count(Consultation))
    },
    "hoeringer/<int:pk>-<slug:slug>/": {
        "open": Post(
            lambda w: w.consultation.get_absolute_url(),
            MEMBERS_DO,
            lambda w: {"body": "Input fra walken."},
            _count(ConsultationInput),
        )
    },
    "hoeringer/<int:pk>/rediger/": {
        "open": Post(
            lambda w: f"/hoeringer/{w.consultation.pk}/rediger/",
            STAFF_DOES,
            _consultation_form,
            lambda w, role: _fields(Consultation, "title", pk=w.consultation.pk),
        )
    },
    "hoeringer/<int:pk>/svar/": {
        "open": Post(lambda w: f"/hoeringer/{w.consultation.pk}/svar/", STAFF_DOES, effect=_count(Position))
    },
    "hoeringer/<int:pk>/sendt/": {
        "open": Post(
            lambda w: f"/hoeringer/{w.consultation.pk}/sendt/",
            STAFF_DOES,
            lambda w: {"sent_on": timezone.localdate().isoformat()},
            lambda w, role: _fields(Consultation, "sent_on", pk=w.consultation.pk),
        )
    },
    "eksempelsamlinger/": READS_ONLY,
    "eksempelsamlinger/ny/": {
        "new": Post(
            lambda w: "/eksempelsamlinger/ny/",
            STAFF_DOES,
            lambda w: {"title": "Samling fra walken", "audience": "members", "intro": ""},
            _count(Collection),
        )
    },
    "eksempelsamlinger/<slug:slug>/": READS_ONLY,
    "eksempelsamlinger/<slug:slug>/pdf/": READS_ONLY,
    "eksempelsamlinger/<slug:slug>/docx/": READS_ONLY,
    "eksempelsamlinger/<slug:slug>/rediger/": {
        "being built": Post(
            lambda w: f"{w.collection_draft.get_absolute_url()}rediger/",
            DRAFT_POSITION_DOES,
            lambda w: {"title": "Ændret i walken", "audience": "members", "intro": ""},
            lambda w, role: _fields(Collection, "title", pk=w.collection_draft.pk),
        )
    },
    "eksempelsamlinger/<slug:slug>/cases/": {
        "being built": Post(
            lambda w: f"{w.collection_draft.get_absolute_url()}cases/",
            DRAFT_POSITION_DOES,
            lambda w: {"case": w.members_case.pk, "action": "add"},
            _count(CollectionItem),
        )
    },
    "eksempelsamlinger/<slug:slug>/offentliggoer/": {
        "being built": Post(
            lambda w: f"{w.collection_draft.get_absolute_url()}offentliggoer/",
            DRAFT_POSITION_DOES,
            effect=lambda w, role: _fields(Collection, "published_at", pk=w.collection_draft.pk),
        )
    },
    "eksempelsamlinger/<slug:slug>/sendt/": {
        "being built": Post(
            lambda w: f"{w.collection_draft.get_absolute_url()}sendt/",
            DRAFT_POSITION_DOES,
            lambda w: {"recipient": "Ministeriet", "sent_on": timezone.localdate().isoformat()},
            _count(Dispatch),
        )
    },
    "regler/": {
        "add a rule": Post(
            lambda w: "/regler/",
            S(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE),
            lambda w: {"law": "Folkeskoleloven", "paragraph": "§ 16"},
            _count(Rule),
        )
    },
    "regler/<int:pk>/": READS_ONLY,
    "regler/<int:pk>/bekraeft/": {
        "proposed": Post(
            lambda w: f"/regler/{w.proposed_rule.pk}/bekraeft/",
            S(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, DONE),
            effect=lambda w, role: _fields(Rule, "confirmed", pk=w.proposed_rule.pk),
        )
    },
    "regler/cases/<int:pk>/": {
        "a case": Post(
            lambda w: f"/regler/cases/{w.members_case.pk}/",
            AUTHOR_DOES,
            lambda w: {"rule": w.rule.pk, "use": "lift"},
            _count(CaseRule),
        )
    },
    "samtykke/": READS_ONLY,
    "samtykke/<int:pk>/": {
        "asked of the author": Post(
            lambda w: f"/samtykke/{w.consent_citation.pk}/",
            S(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, DONE, NOT_FOUND),
            lambda w: {"answer": "named"},
            lambda w, role: _fields(Citation, "consent", pk=w.consent_citation.pk),
        )
    },
}


CPH = ZoneInfo("Europe/Copenhagen")


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=CPH)


def _pdf(name: str) -> ContentFile:
    return ContentFile(tiny_pdf("Bilag"), name=name)


def _superuser(secretary: User) -> User:
    user = make_member(municipality_name="Roskilde", email="superbruger@kommune.test")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    TOTP.activate(user, TOTP_SECRET)
    return user


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
        "secretary": secretariat,
    }
    users["superuser"] = _superuser(secretariat)
    circle_services.membership_set(user=users["lead"], circle=circle_a, role=MembershipRole.LEAD)
    lead, author, secretary = users["lead"], users["author"], users["secretary"]
    w = World(users=users)
    o = w.objects
    area = FocusArea.objects.select_related("period").get(period__status="current", number=1)
    o["area"] = area
    o["question"] = area.questions.order_by("order", "pk").first()

    def case(title, **kwargs):
        kwargs.setdefault("publish", True)
        return focus_services.case_create(
            author=author, focus_area=area, title=title, summary="Resumé.", body="Tekst.", **kwargs
        )

    o["public_case"] = case("Offentlig case", is_public=True)
    o["members_case"] = case("Medlemscase")
    o["draft_case"] = case("Kladde", publish=False)
    o["hidden_case"] = focus_services.content_hide(
        obj=case("Skjult case"), actor=secretary, reason="Test af skjul."
    )
    o["comment"] = focus_services.comment_add(author=author, body="En kommentar.", case=o["members_case"])
    o["reply"] = focus_services.comment_add(author=lead, body="Et svar.", parent=o["comment"])
    o["hidden_comment"] = focus_services.content_hide(
        obj=focus_services.comment_add(author=author, body="Skjult kommentar.", focus_area=area),
        actor=secretary,
        reason="Test af skjul.",
    )

    def meeting(actor, circle, title, days):
        return circle_services.meeting_create(
            actor=actor, circle=circle, title=title, starts_at=_at(days, 10), ends_at=_at(days, 12)
        )

    o["meeting_a"] = meeting(lead, circle_a, "Kredsmøde A", -5)
    o["upcoming_a"] = meeting(lead, circle_a, "Næste kredsmøde A", 7)
    o["meeting_b"] = meeting(secretary, circle_b, "Kredsmøde B", 5)
    o["event"] = meeting(secretary, None, "Generalforsamling", 30)
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
    o["decision_a"] = decision_services.decision_add(actor=lead, note=o["circle_note"], text="Besluttet.")
    o["action_a"] = decision_services.action_add(
        actor=lead, note=o["circle_note"], text="Gør det.", owner=users["member"]
    )
    shared_meeting = meeting(lead, circle_a, "Delt kladde", -3)
    circle_services.attendance_set(user=users["member"], meeting=shared_meeting, response="yes")
    o["shared_note"] = circle_services.note_share(
        actor=lead,
        note=circle_services.note_save(
            actor=lead, meeting=shared_meeting, body="Udkast.", visibility="circle"
        ),
        until=timezone.now() + timedelta(days=5),
    )
    now = timezone.now()
    o["poll_all"] = poll_services.poll_create(
        actor=secretary,
        question="Alle medlemmer?",
        options=["Ja", "Nej"],
        opens_at=now,
        closes_at=_at(10, 12),
    )
    o["poll_a"] = poll_services.poll_create(
        actor=lead,
        circle=circle_a,
        question="Kreds A?",
        options=["Ja", "Nej"],
        opens_at=now,
        closes_at=_at(10, 12),
    )
    question = o["question"]
    o["position_pub"] = voice_services.position_create(
        actor=secretary, question=question, title="Offentlig holdning", body="KOMDIR mener A."
    )
    voice_services.citation_add(
        actor=secretary,
        position=o["position_pub"],
        case=o["members_case"],
        quote="Tekst",
    )
    voice_services.position_publish(actor=secretary, position=o["position_pub"], version=1)
    o["position_draft"] = voice_services.position_create(
        actor=secretary, question=question, title="Kladde til holdning", body="KOMDIR mener B."
    )
    o["draft_citation"] = voice_services.citation_add(
        actor=secretary, position=o["position_draft"], case=o["public_case"]
    )
    o["consent_citation"] = voice_services.citation_add(
        actor=secretary, position=o["position_draft"], comment=o["comment"], quote="En kommentar"
    )
    o["position_open"] = voice_services.position_open(
        actor=secretary,
        position=voice_services.position_create(
            actor=secretary, question=question, title="Holdning i høring", body="KOMDIR mener C."
        ),
        until=timezone.now() + timedelta(days=5),
    )

    def collection(title, audience, publish=True):
        made = voice_services.collection_create(actor=secretary, title=title, audience=audience)
        voice_services.collection_add_cases(actor=secretary, collection=made, cases=[o["public_case"]])
        return voice_services.collection_publish(actor=secretary, collection=made) if publish else made

    o["rule"] = voice_services.rule_create(actor=secretary, law="Serviceloven", paragraph="§ 83")
    o["proposed_rule"] = voice_services.case_rule_add(
        actor=author, case=o["public_case"], law="Dagtilbudsloven", paragraph="§4"
    ).rule
    o["collection_public"] = collection("Offentlig samling", "public")
    o["collection_members"] = collection("Samling for medlemmer", "members")
    o["collection_draft"] = collection("Samling under arbejde", "members", publish=False)
    o["consultation"] = voice_services.consultation_create(
        actor=secretary,
        title="Åben høring",
        sender="Ministeriet",
        external_deadline=timezone.localdate() + timedelta(days=20),
        input_deadline=timezone.localdate() + timedelta(days=10),
        focus_areas=[area],
    )
    # Someone has signed up, so a write that notifies attendees would have somebody to mail.
    circle_services.attendance_set(user=users["member"], meeting=o["upcoming_a"], response="yes")
    o["calendar_token"] = circle_services.calendar_token_get_or_create(user=users["member"]).token
    o["answer_token"] = circle_services.answer_url(user=users["member"], meeting=o["upcoming_a"]).rsplit(
        "/", 2
    )[1]
    o["unsubscribe_token"] = notification_services.unsubscribe_token(
        user=users["member"], preference=notification_services.ALL
    )

    departed = make_member(municipality_name="Aarhus", email="tidligere@kommune.test")
    member_deactivate(member=departed, actor=secretary)
    o["departed"] = departed

    from members import services as member_services

    with django_capture_on_commit_callbacks(execute=True):
        member_services.invitation_create(
            created_by=users["superuser"],
            email="ny@kommune.test",
            first_name="Ny",
            last_name="Direktør",
            level=Level.DIRECTOR,
            municipality=municipality("Vejle"),
            base_url="http://testserver",
        )
    o["invitation_token"] = re.search(r"/invitation/([^/\s]+)/", mail.outbox[-1].body).group(1)
    mail.outbox.clear()
    return w


def _clients(world: World) -> dict[str, Client]:
    clients = {"visitor": Client()}
    for role in ("member", "other_circle", "lead", "author"):
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    # Staff log in the real way (password, then TOTP), as the admin demands.
    for role in ("secretary", "superuser"):
        staff = Client()
        assert staff.post("/accounts/login/", {"login": world.users[role].email, "password": PASSWORD})
        response = staff.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
        assert response.status_code == 302, (role, response.status_code)
        clients[role] = staff
    return clients


# Sessions change whenever someone logs in or out; they are what the walk's clients stand on.
# Seen records are a member's own reading bookkeeping ("Mit overblik"), written by reading a page.
_UNCOUNTED = {"django_session", "usersessions_usersession", "overview_seenitem"}


def _row_counts() -> tuple[int, ...]:
    """Every table's row count in one query: a refused write adds or removes no row anywhere."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy} - _UNCOUNTED
    )
    qn = connection.ops.quote_name
    # Table names come from the models, quoted by the backend: nothing from outside.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def post_in_savepoint(client: Client, url: str, data: dict, effect: Callable[[], object], capture):
    """POST as `client` inside a savepoint that is then rolled back, so the next role meets the
    same world. On-commit work (notices, mail) runs inside it. Returns the response, whether
    `effect()` changed, whether any table's row count changed, and how many mails were sent."""
    before, rows_before, sent = effect(), _row_counts(), len(mail.outbox)
    # A write may log the client out (account deletion); its cookie comes back with the rollback.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        with capture(execute=True):
            response = client.post(url, data)
        after, rows_after = effect(), _row_counts()
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, after != before, rows_after != rows_before, len(mail.outbox) - sent


def test_every_url_pattern_has_a_get_and_a_post_entry():
    routes = walked_routes()
    for name, table in (("GET", GETS), ("POST", POSTS)):
        missing = sorted(routes - set(table))
        assert not missing, f"URL patterns without a {name} entry in the permission walk: {missing}"
        stale = sorted(set(table) - routes)
        assert not stale, f"{name} entries for URL patterns that no longer exist: {stale}"


def test_the_walk_finds_the_projects_own_patterns():
    routes = walked_routes()
    assert {"cases/<int:pk>-<slug:slug>/", "referater/<int:pk>/", "medlemmer/"} <= routes
    assert not any(r.startswith("accounts/") for r in routes)


def test_every_permitted_post_names_what_it_changes():
    """A DONE without an effect would pass whatever the route did."""
    for route, cases in POSTS.items():
        for label, post in {} if isinstance(cases, ReadsOnly) else cases.items():
            if DONE in post.expected.values():
                assert post.effect is not Post.effect, (
                    f"{route} [{label}] is DONE for someone but names no effect"
                )


@pytest.mark.django_db
def test_every_role_gets_the_expected_answer_to_get_on_every_url(world):
    clients = _clients(world)
    wrong = []
    for route, cases in sorted(GETS.items()):
        for label, (build, expected) in cases.items():
            url = build(world)
            for role in ROLES:
                response = clients[role].get(url)
                if not expected[role].matches(response):
                    got = f"{response.status_code} {response.get('Location', '')}".strip()
                    wrong.append(f"GET {route} [{label}] {url} as {role}: {got}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_every_role_gets_the_expected_answer_to_post_and_only_permitted_writes_change_anything(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    clients = _clients(world)
    wrong = []
    for route, cases in sorted(POSTS.items()):
        if isinstance(cases, ReadsOnly):
            posts = {
                label: Post(build, cases.expected or expected)
                for label, (build, expected) in GETS[route].items()
            }
        else:
            posts = cases
        for label, post in posts.items():
            url = post.url(world)
            for role in ROLES:
                expected = post.expected[role]
                response, changed, rows_changed, mails = post_in_savepoint(
                    clients[role], url, post.data(world), lambda p=post, r=role: p.effect(world, r), capture
                )
                where = f"POST {route} [{label}] {url} as {role}"
                if not expected.matches(response):
                    got = f"{response.status_code} {response.get('Location', '')}".strip()
                    wrong.append(f"{where}: {got}, expected {expected}")
                if expected is DONE and isinstance(cases, dict):
                    if not changed:
                        wrong.append(f"{where}: answered {response.status_code} but the write did not happen")
                elif changed or rows_changed or mails:
                    what = "the object" if changed else "rows" if rows_changed else "mail"
                    wrong.append(f"{where}: refused or read-only, yet {what} changed")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_walk_sees_the_mail_and_rows_a_permitted_write_makes(world, django_capture_on_commit_callbacks):
    """The harness is able to fail: a lead's new meeting is announced to the circle by mail and
    adds rows, both seen through the savepoint, and gone again after it."""
    lead = _clients(world)["lead"]
    post = POSTS["kredse/<slug:slug>/moeder/nyt/"]["circle A"]
    response, changed, rows_changed, mails = post_in_savepoint(
        lead,
        post.url(world),
        post.data(world),
        lambda: post.effect(world, "lead"),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302 and changed and rows_changed
    assert mails >= 1
    assert not Meeting.objects.filter(title="Skrevet i walken").exists()


@pytest.mark.django_db
def test_redirects_for_visitors_go_to_the_login_page_on_our_host(world):
    visitor = Client()
    for route, cases in GETS.items():
        for build, expected in cases.values():
            if expected["visitor"] is not LOGIN:
                continue
            location = visitor.get(build(world))["Location"]
            assert location.startswith("/"), (route, location)
            assert not location.startswith("//"), (route, location)
