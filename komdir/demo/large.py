"""The large demo data set for benchmarks: `manage.py seed_demo --scale large`.

PRODUCT.md: 300 members, 5,000 cases, 100,000 comments, 2,000 meetings with notes. Built
with bulk_create (the services would take far too long row by row); every derived field the
services would set is filled here too: *_html is rendered once per distinct template text,
Comment.focus_area always equals its case's area, a reply shares its parent's target, a
case's municipality is its author's. Idempotent: each part only adds what is missing, so a
second run creates nothing.

`scale_factor` shrinks everything proportionally (tests use a small one).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from circles.models import (
    Circle,
    CircleMembership,
    Meeting,
    MeetingKind,
    MeetingNote,
    MembershipRole,
    NoteStatus,
    NoteVisibility,
)
from focus.models import Case, CaseStatus, Comment, FocusArea, GuidingQuestion
from focus.services import case_comments_recount
from komdir.lib.markdown import render_markdown
from members.models import Level, Municipality, Profile, User

FULL = {"members": 300, "cases": 5000, "comments": 100_000, "meetings": 2000}
EMAIL = "bench{:04d}@komdir.test"
EMAIL_PREFIX = "bench"
BATCH = 2000
# The case every benchmark opens as "a case with many comments" gets this share of them.
BUSY_CASE_COMMENTS = 0.002

FIRST = ["Anne", "Bo", "Camilla", "Dorte", "Erik", "Frida", "Gustav", "Helle", "Ida", "Jakob", "Karen"]
LAST = ["Andersen", "Berg", "Christensen", "Dam", "Eriksen", "Frost", "Gregersen", "Hansen", "Iversen"]
TITLES = [
    "Kommunaldirektør",
    "Direktør for Social og Sundhed",
    "Direktør for Børn og Unge",
    "Teknisk direktør",
]
TAGS = [
    "ældre",
    "rekruttering",
    "ledelse",
    "digitalisering",
    "frivillige",
    "lokaldemokrati",
    "beskæftigelse",
    "skole",
    "klima",
    "økonomi",
    "sundhed",
    "civilsamfund",
    "velfærdsteknologi",
    "organisering",
    "borgerinddragelse",
]
CASE_TITLES = [
    "Tværgående team om borgere med komplekse behov",
    "Fælles rekrutteringsindsats for sundhedspersonale",
    "Digital selvbetjening med personlig hjælp",
    "Partnerskab med lokale foreninger om ensomhed",
    "Frisættelse af dagtilbuddenes dokumentation",
    "Klimatilpasning i samarbejde med borgerne",
    "Kortere sagsbehandling på byggesager",
    "Ledelsesnetværk på tværs af forvaltninger",
]
CASE_BODIES = [
    "## Baggrund\n\nVi stod med en stigende efterspørgsel og færre hænder.\n\n## Hvad vi gjorde\n\n"
    "- Fælles mål fra første møde\n- Ugentlig tværfaglig status\n- Opfølgning efter tre måneder\n\n"
    "## Det har vi lært\n\nDet kræver, at forvaltningerne **taler sammen hver uge**.",
    "Vi startede i det små med to enheder og udvidede efter et halvt år. Evalueringen viser færre "
    "henvendelser og mere tilfredse medarbejdere.\n\n1. Kortlægning\n2. Afprøvning\n3. Udbredelse",
    "Forsøget viser, at frisættelse kræver nye balancer: *retssikkerhed*, ensartethed og faglig "
    "dømmekraft. Vi har lavet en enkel dokumentationsstandard, så tilsynet stadig kan følge med.",
    "Samarbejdet er organiseret i et fælles sekretariat. Besparelsen er 8 procent, og vi har fået "
    "et stærkere fagligt miljø.\n\n> Det vigtigste var tilliden mellem parterne.",
]
COMMENT_BODIES = [
    "Meget inspirerende. Hvordan har I fået medarbejderne med?",
    "Vi overvejer det samme hos os. Må vi se jeres evaluering?",
    "Hvordan har I håndteret **økonomien** i opstarten?",
    "Det kunne vi tage op på næste kredsmøde.",
    "Vi har gode erfaringer med noget lignende:\n\n- korte møder\n- faste roller\n- klar opfølgning",
    "Enig. Det vigtigste er, at borgerne kan se, at deres input bliver brugt.",
    "Tak for deling. Vi prøver det af i efteråret.",
    "Hvor lang tid tog det, før I kunne se en effekt?",
]
AGENDA = "1. Velkomst\n2. Drøftelse af **{area}**\n3. Erfaringer fra egen kommune\n4. Eventuelt"
NOTE = (
    "Kredsen drøftede **{area}**.\n\n- Flere kommuner oplever pres på rekruttering.\n- Emnet tages op igen."
)


def _counts(scale_factor: float) -> dict[str, int]:
    return {key: max(1, round(value * scale_factor)) for key, value in FULL.items()}


def _html_cache():
    cache: dict[str, str] = {}

    def html(text: str) -> str:
        if text not in cache:
            cache[text] = render_markdown(text)
        return cache[text]

    return html


def _bench_users():
    return User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith="@komdir.test")


def _seed_members(n: int, password: str, rng: random.Random) -> list[int]:
    existing = set(_bench_users().values_list("email", flat=True))
    municipalities = list(Municipality.objects.order_by("pk"))
    circle_by_region = {c.region_id: c.pk for c in Circle.objects.order_by("-pk") if c.region_id}
    now = timezone.now()
    new_users = []
    for i in range(1, n + 1):
        email = EMAIL.format(i)
        if email in existing:
            continue
        new_users.append(
            User(
                email=email,
                first_name=FIRST[i % len(FIRST)],
                last_name=f"{LAST[i % len(LAST)]} {i}",
                password=password,
                date_joined=now,
            )
        )
    if new_users:
        hashed = make_password(password)  # one hash (slow on purpose) shared by every bench member
        for user in new_users:
            user.password = hashed
    User.objects.bulk_create(new_users, batch_size=BATCH)
    created = list(User.objects.filter(email__in=[u.email for u in new_users]).order_by("pk"))
    profiles, addresses, memberships = [], [], []
    for index, user in enumerate(created):
        municipality = municipalities[index % len(municipalities)] if municipalities else None
        profiles.append(
            Profile(
                user=user,
                title=TITLES[index % len(TITLES)],
                level=Level.TOP if index % 3 == 0 else Level.DIRECTOR,
                municipality=municipality,
            )
        )
        addresses.append(EmailAddress(user=user, email=user.email, verified=True, primary=True))
        circle_id = circle_by_region.get(municipality.region_id) if municipality else None
        if circle_id is not None:
            memberships.append(CircleMembership(user=user, circle_id=circle_id, role=MembershipRole.MEMBER))
    Profile.objects.bulk_create(profiles, batch_size=BATCH)
    EmailAddress.objects.bulk_create(addresses, batch_size=BATCH)
    CircleMembership.objects.bulk_create(memberships, batch_size=BATCH, ignore_conflicts=True)
    return list(_bench_users().order_by("pk").values_list("pk", flat=True))


def _seed_cases(n: int, author_ids: list[int], rng: random.Random, html) -> None:
    authors = list(_bench_users().filter(pk__in=author_ids).values_list("pk", "profile__municipality_id"))
    existing = Case.objects.filter(author_id__in=author_ids).count()
    missing = n - existing
    if missing <= 0:
        return
    areas = list(FocusArea.objects.filter(period__status="current").order_by("number"))
    if not areas:
        return
    questions = {
        area.pk: list(GuidingQuestion.objects.filter(focus_area=area).values_list("pk", flat=True))
        for area in areas
    }
    now = timezone.now()
    span = timedelta(days=6 * 365).total_seconds()
    cases = []
    for i in range(existing, n):
        author_id, municipality_id = authors[i % len(authors)]
        area = areas[i % len(areas)]
        title = f"{CASE_TITLES[i % len(CASE_TITLES)]} ({i + 1})"
        body = CASE_BODIES[i % len(CASE_BODIES)]
        published = i % 40 != 39  # one in forty stays a draft
        created = now - timedelta(seconds=span * (n - i) / n)
        cases.append(
            Case(
                author_id=author_id,
                municipality_id=municipality_id,
                focus_area=area,
                title=title,
                slug=slugify(title)[:80] or "case",
                summary=f"Et konkret eksempel fra kommunen om {CASE_TITLES[i % len(CASE_TITLES)].lower()}.",
                body=body,
                body_html=html(body),
                status=CaseStatus.PUBLISHED if published else CaseStatus.DRAFT,
                published_at=created if published else None,
                is_public=i % 2 == 0,
                created_at=created,
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    new_cases = list(
        Case.objects.filter(author_id__in=author_ids)
        .order_by("pk")
        .values_list("pk", "focus_area_id")[existing:]
    )
    through = Case.questions.through
    links = []
    for index, (case_id, area_id) in enumerate(new_cases):
        area_questions = questions.get(area_id) or []
        if area_questions:
            links.append(
                through(case_id=case_id, guidingquestion_id=area_questions[index % len(area_questions)])
            )
    through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    tags = []
    for name in TAGS:
        tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name, slug=slugify(name))
        tags.append(tag)
    content_type = ContentType.objects.get_for_model(Case)
    items = []
    for index, (case_id, _area) in enumerate(new_cases):
        for offset in (0, 5):
            tag = tags[(index + offset) % len(tags)]
            items.append(TaggedItem(tag=tag, content_type=content_type, object_id=case_id))
    TaggedItem.objects.bulk_create(items, batch_size=BATCH, ignore_conflicts=True)


def _seed_comments(n: int, author_ids: list[int], rng: random.Random, html) -> None:
    existing = Comment.objects.filter(author_id__in=author_ids).count()
    missing = n - existing
    if missing <= 0:
        return
    cases = list(
        Case.objects.filter(author_id__in=author_ids, status=CaseStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "focus_area_id", "published_at")
    )
    areas = list(FocusArea.objects.filter(period__status="current").values_list("pk", flat=True))
    questions = list(
        GuidingQuestion.objects.filter(focus_area__period__status="current").values_list(
            "pk", "focus_area_id"
        )
    )
    if not cases or not areas:
        return
    now = timezone.now()
    busy = max(1, round(missing * BUSY_CASE_COMMENTS))
    # 99 % on cases (the first bench case is the busy one), the rest on areas and questions;
    # one in five is a reply (created in a second pass, once the parents have their pks).
    n_replies = missing // 5
    n_top = missing - n_replies
    top = []
    for i in range(n_top):
        body = COMMENT_BODIES[i % len(COMMENT_BODIES)]
        if i < busy:
            case_id, area_id, published_at = cases[0]
            target = {"case_id": case_id, "focus_area_id": area_id}
        elif i % 100 == 0:
            if i % 200 == 0 and questions:
                question_id, area_id = questions[i % len(questions)]
                target = {"question_id": question_id, "focus_area_id": area_id}
            else:
                target = {"focus_area_id": areas[i % len(areas)]}
            published_at = now - timedelta(days=6 * 365)
        else:
            case_id, area_id, published_at = cases[rng.randrange(len(cases))]
            target = {"case_id": case_id, "focus_area_id": area_id}
        created = published_at + (now - published_at) * rng.random()
        top.append(
            Comment(
                author_id=author_ids[i % len(author_ids)],
                body=body,
                body_html=html(body),
                created_at=created,
                **target,
            )
        )
    top = Comment.objects.bulk_create(top, batch_size=BATCH)
    replies = []
    for i in range(n_replies):
        parent = top[i] if i < busy // 5 else top[rng.randrange(len(top))]
        body = COMMENT_BODIES[(i + 3) % len(COMMENT_BODIES)]
        replies.append(
            Comment(
                author_id=author_ids[(i + 7) % len(author_ids)],
                body=body,
                body_html=html(body),
                created_at=parent.created_at + (now - parent.created_at) * rng.random(),
                focus_area_id=parent.focus_area_id,
                question_id=parent.question_id,
                case_id=parent.case_id,
                parent_id=parent.pk,
            )
        )
    Comment.objects.bulk_create(replies, batch_size=BATCH)
    # bulk_create bypasses the services that keep Case.comment_count: count once for all.
    case_comments_recount()


def _seed_meetings(n: int, author_ids: list[int], rng: random.Random, html) -> None:
    circles = list(Circle.objects.order_by("pk"))
    if not circles:
        return
    marker = "Benchmarkmøde"
    existing = Meeting.objects.filter(title__startswith=marker).count()
    if existing >= n:
        return
    areas = list(FocusArea.objects.filter(period__status="current").order_by("number"))
    area_titles = [a.title for a in areas] or ["fokusområderne"]
    now = timezone.now()
    start = now - timedelta(days=6 * 365)
    step = (timedelta(days=6 * 365 + 180)).total_seconds() / n
    meetings = []
    for i in range(existing, n):
        starts_at: datetime = start + timedelta(seconds=step * i)
        starts_at = starts_at.replace(minute=0, second=0, microsecond=0)
        area_title = area_titles[i % len(area_titles)]
        agenda = AGENDA.format(area=area_title)
        meetings.append(
            Meeting(
                circle=circles[i % len(circles)],
                kind=MeetingKind.CIRCLE,
                title=f"{marker} {i + 1}",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3),
                location="Rådhuset, mødelokale 2",
                agenda=agenda,
                agenda_html=html(agenda),
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    new = list(
        Meeting.objects.filter(title__startswith=marker, starts_at__lt=now, note__isnull=True)
        .order_by("pk")
        .values_list("pk", "starts_at", "circle_id")
    )
    notes = []
    for index, (meeting_id, starts_at, _circle) in enumerate(new):
        body = NOTE.format(area=area_titles[index % len(area_titles)])
        notes.append(
            MeetingNote(
                meeting_id=meeting_id,
                body=body,
                body_html=html(body),
                visibility=NoteVisibility.CIRCLE if index % 2 else NoteVisibility.MEMBERS,
                status=NoteStatus.PUBLISHED,
                author_id=author_ids[index % len(author_ids)],
                published_at=starts_at + timedelta(days=2),
            )
        )
    MeetingNote.objects.bulk_create(notes, batch_size=BATCH)
    if areas:
        through = MeetingNote.focus_areas.through
        note_rows = MeetingNote.objects.filter(meeting_id__in=[m[0] for m in new]).values_list(
            "pk", flat=True
        )
        links = [
            through(meetingnote_id=pk, focusarea_id=areas[index % len(areas)].pk)
            for index, pk in enumerate(note_rows)
        ]
        through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)


@transaction.atomic
def seed_large(*, password: str, stdout, scale_factor: float = 1.0) -> dict[str, int]:
    counts = _counts(scale_factor)
    rng = random.Random(9)  # the same data set every time
    html = _html_cache()
    author_ids = _seed_members(counts["members"], password, rng)
    _seed_cases(counts["cases"], author_ids, rng, html)
    _seed_comments(counts["comments"], author_ids, rng, html)
    _seed_meetings(counts["meetings"], author_ids, rng, html)
    stdout.write(
        "Stort datasæt: {members} medlemmer, {cases} cases, {comments} kommentarer, {meetings} møder.".format(
            **counts
        )
    )
    return counts
