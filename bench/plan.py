"""The pages `make bench` loads, found in the seeded large data set: run inside Django by
`manage.py shell -c "from bench.plan import main; main()"`, it prints one JSON document.

Every member's pages are the pages *that member* can reach, found through the same visibility
querysets the portal uses (Case/Meeting/MeetingNote.objects.visible_to), so a 404 or 403 under
load is an error, never an expected answer. Random choices use a fixed seed: two runs on the
same data load the same pages.
"""

from __future__ import annotations

import json
import random
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.urls import reverse
from taggit.models import Tag

from circles import services as circle_services
from circles.models import Circle, CircleMembership, Meeting, MeetingNote, MembershipRole
from focus.models import Case, FocusArea, GuidingQuestion, SitePage
from focus.selectors.cases import CASE_PAGE_SIZE
from members.models import Municipality, Region, User

MEMBERS = 48
CASES_PER_MEMBER = 60
SEARCH_WORDS = [
    "borgere",
    "rekruttering",
    "ledelse",
    "frivillige",
    "økonomi",
    "medarbejderne",
    "evaluering",
    "kredsen",
    "frisættelse",
    "klimatilpasning",
    "sundhedspersonale",
    "dokumentation",
    "samarbejde",
    "tilliden",
    "ensomhed",
    "byggesager",
    "velfærdsteknologi",
    "erfaringer",
    "ledelsesnetværk",
    "kommune",
    "opfølgning",
    "digital selvbetjening",
]
# Uncached single views: the heaviest examples of each kind, plus an ordinary one.
SAMPLES_PER_KIND = 3


def _case_list_urls(rng: random.Random, total: int) -> list[str]:
    base = reverse("focus:case_list")
    last_page = max(1, (total + CASE_PAGE_SIZE - 1) // CASE_PAGE_SIZE)
    areas = list(FocusArea.objects.filter(period__status="current").values_list("pk", flat=True))
    questions = list(GuidingQuestion.objects.filter(focus_area_id__in=areas).values_list("pk", flat=True))
    tags = list(Tag.objects.order_by("name").values_list("slug", flat=True)[:15])
    municipalities = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    regions = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    queries = [{}, {"sort": "discussed"}]
    queries += [{"area": a} for a in areas] + [{"area": a, "sort": "discussed"} for a in areas]
    queries += [{"question": q} for q in rng.sample(questions, min(6, len(questions)))]
    queries += [{"tag": t} for t in tags]
    queries += [{"municipality": m} for m in rng.sample(municipalities, min(10, len(municipalities)))]
    queries += [{"region": r} for r in regions]
    queries += [{"region": r, "tag": rng.choice(tags)} for r in regions[:3]] if tags else []
    # Deep pages, where OFFSET and the joins cost most.
    for page in sorted({2, 3, 10, last_page // 4, last_page // 2, last_page - 1, last_page}):
        if page >= 2:
            queries.append({"side": page})
            queries.append({"sort": "discussed", "side": page})
    if areas:
        queries.append({"area": areas[0], "side": 20})
    return [base + ("?" + urlencode(q) if q else "") for q in queries]


def _shared_pages(rng: random.Random, viewer) -> dict[str, list[str]]:
    """Pages every member reaches the same way."""
    areas = list(FocusArea.objects.select_related("period").order_by("period__start_year", "number"))
    current = [a for a in areas if a.period.status == "current"]
    questions = list(GuidingQuestion.objects.filter(focus_area__in=current).order_by("pk"))
    visible = Case.objects.visible_to(viewer).filter(status="published")
    pages: dict[str, list[str]] = {
        "home": ["/"],
        "period": [reverse("focus:period_list")] + sorted({a.period.get_absolute_url() for a in areas}),
        "area": [a.get_absolute_url() for a in areas],
        "discussion": [reverse("focus:discussion", args=["area", a.pk]) for a in current]
        + [reverse("focus:discussion", args=["area", a.pk]) + "?side=2" for a in current]
        + [reverse("focus:discussion", args=["question", q.pk]) for q in questions],
        "case list": _case_list_urls(rng, visible.count()),
        "search": [reverse("search:search") + "?" + urlencode({"q": w}) for w in SEARCH_WORDS],
        "overview": [reverse("overview:overview"), reverse("overview:week")],
        "directory": [reverse("directory:directory")]
        + [reverse("directory:directory") + "?" + urlencode({"side": p}) for p in (2, 5)],
        "circle": [reverse("circles:circle_list")],
        "feed": [reverse("focus:area_feed", args=[a.period.slug, a.slug]) for a in current],
        "page": [p.get_absolute_url() for p in SitePage.objects.order_by("pk")],
    }
    return pages


def _case_pool(rng: random.Random, viewer, n: int = 400) -> list[str]:
    """Cases of every size: the most discussed ones, and a random spread of the rest."""
    visible = Case.objects.visible_to(viewer).filter(status="published").annotate(n=Count("comments"))
    busiest = list(visible.order_by("-n", "pk").values_list("pk", flat=True)[:20])
    ids = list(visible.values_list("pk", flat=True))
    rest = rng.sample(ids, min(n - len(busiest), len(ids)))
    chosen = list(dict.fromkeys(busiest + rest))
    by_pk = {c.pk: c for c in Case.objects.filter(pk__in=chosen).only("pk", "slug")}
    return [by_pk[pk].get_absolute_url() for pk in chosen]


def _circle_pages(rng: random.Random, user) -> dict[str, list[str]]:
    circles = Circle.objects.filter(memberships__user=user)
    meetings = Meeting.objects.visible_to(user)
    own = meetings.filter(Q(circle__in=circles) | Q(circle__isnull=True))
    meeting_ids = list(own.order_by("-starts_at").values_list("pk", flat=True)[:300])
    notes = MeetingNote.objects.visible_to(user).filter(meeting_id__in=meeting_ids)
    note_urls = [n.get_absolute_url() for n in notes.select_related("meeting").order_by("-pk")[:300]]
    token = circle_services.calendar_token_get_or_create(user=user)
    return {
        "circle": [c.get_absolute_url() for c in circles],
        "meeting": [
            reverse("circles:meeting_detail", args=[pk])
            for pk in rng.sample(meeting_ids, min(25, len(meeting_ids)))
        ],
        "note": rng.sample(note_urls, min(20, len(note_urls))),
        "calendar": [token.get_feed_url()],
    }


def _samples(pages: dict[str, list[str]], cases: list[str]) -> dict[str, list[str]]:
    samples = {kind: urls[:SAMPLES_PER_KIND] for kind, urls in pages.items() if urls}
    samples["case"] = [cases[0], cases[1], cases[-1]]  # the two most discussed and an ordinary one
    deep = sorted((u for u in pages["case list"] if "side=" in u), key=lambda u: int(u.rsplit("side=", 1)[1]))
    samples["case list"] = [pages["case list"][1], deep[-2], deep[-1]]  # sorted by discussion; the last pages
    samples["search"] = [u for u in pages["search"] if "borgere" in u or "kommune" in u] + pages["search"][
        1:2
    ]
    return samples


def main() -> None:
    rng = random.Random(20261202)
    members = list(
        User.objects.filter(email__startswith="bench", email__endswith="@komdir.test", is_active=True)
        .filter(circle_memberships__role=MembershipRole.MEMBER)
        .order_by("pk")
        .distinct()[:300]
    )
    chosen = rng.sample(members, min(MEMBERS, len(members)))
    shared = _shared_pages(rng, chosen[0])
    cases = _case_pool(rng, chosen[0])
    plan_members = []
    for user in chosen:
        own = _circle_pages(rng, user)
        pages = {kind: list(urls) for kind, urls in shared.items()}
        pages["circle"] = pages["circle"] + own["circle"]
        pages["case"] = cases[:5] + rng.sample(cases[5:], min(CASES_PER_MEMBER, len(cases) - 5))
        pages["profile"] = [
            reverse("directory:profile", args=[pk])
            for pk in rng.sample([m.pk for m in members], min(10, len(members)))
        ]
        for kind in ("meeting", "note", "calendar"):
            pages[kind] = own[kind]
        plan_members.append({"email": user.email, "pages": {k: v for k, v in pages.items() if v}})

    visitor = AnonymousUser()
    public_cases = list(Case.objects.visible_to(visitor).filter(status="published").order_by("-pk")[:60])
    areas = list(FocusArea.objects.select_related("period").order_by("pk"))
    visitor_pages = {
        "home": ["/"],
        "period": shared["period"],
        "area": [a.get_absolute_url() for a in areas],
        "case": [c.get_absolute_url() for c in public_cases],
        "feed": shared["feed"],
        "page": shared["page"],
    }

    lead = (
        CircleMembership.objects.filter(role=MembershipRole.LEAD, user__email="kredsformand@komdir.test")
        .select_related("circle", "user")
        .first()
    )
    note_meetings = []
    if lead is not None:
        past = Meeting.objects.filter(circle=lead.circle, cancelled_at__isnull=True).order_by("-starts_at")
        note_meetings = [
            reverse("circles:note_edit", args=[pk]) for pk in past.values_list("pk", flat=True)[:30]
        ]

    sample_member = plan_members[0]
    samples = _samples(sample_member["pages"], cases)
    for kind in ("meeting", "note", "calendar", "profile"):
        samples[kind] = sample_member["pages"].get(kind, [])[:SAMPLES_PER_KIND]
    distinct = {u for m in plan_members for urls in m["pages"].values() for u in urls}
    distinct |= {u for urls in visitor_pages.values() for u in urls}
    print(
        json.dumps(
            {
                "members": plan_members,
                "visitor": {k: v for k, v in visitor_pages.items() if v},
                "writers": {
                    "members": [u.email for u in members if u not in chosen][:40]
                    or [u.email for u in chosen],
                    "comment_on": cases[5:200],
                    "case_create": reverse("focus:case_create"),
                    "lead": lead.user.email if lead else None,
                    "note_edit": note_meetings,
                    "follow_on": cases[5:200],
                },
                "samples": samples,
                "sample_member": sample_member["email"],
                "distinct_urls": len(distinct),
            },
            ensure_ascii=False,
        )
    )
