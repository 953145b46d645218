"""Reads that feed the case collections, the impact trail on a case's page and the rules to lift."""

from __future__ import annotations

from django.db.models import Case as DbCase
from django.db.models import CharField, Count, F, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from focus.models import Case, CaseStatus
from focus.policies import cases as case_policy
from focus.voice.models import (
    CaseRule,
    Collection,
    CollectionAudience,
    CollectionItem,
    Position,
    PositionStatus,
    Rule,
    RuleUse,
)
from focus.voice.policies import VISITOR, case_in_collection
from focus.voice.policies import collections as collection_policy
from focus.voice.policies import rules as rule_policy

# --- case collections -----------------------------------------------------------------------


def collection_list(*, viewer) -> dict[str, list[Collection]]:
    found = list(collection_policy.visible(viewer, Collection.objects.all()).order_by("-published_at", "-pk"))
    return {
        "published": [c for c in found if c.is_published],
        "drafts": [c for c in found if not c.is_published],
    }


def collection_get(*, slug: str, viewer) -> Collection | None:
    return collection_policy.visible(viewer, Collection.objects.all()).filter(slug=slug).first()


def collection_cases(*, collection: Collection, viewer) -> list[Case]:
    """The cases in order, as the viewer reads the collection (policies.case_in_collection)."""
    items = (
        CollectionItem.objects.filter(collection=collection)
        .select_related("case__author", "case__municipality__region", "case__focus_area")
        .order_by("order", "pk")
    )
    return [item.case for item in items if case_in_collection(collection, item.case, viewer)]


def collection_candidates(*, viewer, filters: dict, limit: int = 50) -> list[Case]:
    """Published cases to add, by focus area, question, tag and region (the secretariat's view)."""
    qs = case_policy.visible(viewer, Case.objects.filter(status=CaseStatus.PUBLISHED, hidden_at__isnull=True))
    if filters.get("area"):
        qs = qs.filter(focus_area=filters["area"])
    if filters.get("question"):
        qs = qs.filter(questions=filters["question"])
    if filters.get("tag"):
        qs = qs.filter(tags__name__iexact=filters["tag"])
    if filters.get("region"):
        qs = qs.filter(municipality__region=filters["region"])
    return list(
        qs.select_related("author", "municipality").distinct().order_by("-published_at", "-pk")[:limit]
    )


# --- the impact trail -----------------------------------------------------------------------


def case_voice(*, case: Case, viewer) -> dict[str, list[dict]]:
    """What a case's page shows of KOMDIR's voice, in one query (the page has no query to spare):
    `uses`, where KOMDIR has used the case as the viewer may follow it (published positions and
    consultation responses citing it, published collections showing it), newest first; and
    `rules`, the rules the case names (with whether it wants them lifted, and whether the
    secretariat has confirmed a proposed one)."""
    kind = DbCase(When(consultation__isnull=True, then=Value("position")), default=Value("response"))
    positions = (
        Position.objects.filter(
            status__in=(PositionStatus.PUBLISHED, PositionStatus.ARCHIVED), citations__case=case
        )
        .annotate(kind=kind, used_at=F("published_at"))
        .order_by()  # parts of a UNION carry no ORDER BY (SQLite)
        .values_list("kind", "published_title", "slug", "used_at")
    )
    audiences = [CollectionAudience.MEMBERS]
    if case_policy.can_view(VISITOR, case):
        audiences.append(CollectionAudience.PUBLIC)  # a public collection shows only public cases
    collections = (
        collection_policy.visible(viewer, Collection.objects.all())
        .filter(published_at__isnull=False, items__case=case, audience__in=audiences)
        .annotate(kind=Value("collection"), used_at=F("published_at"))
        .order_by()
        .values_list("kind", "title", "slug", "used_at")
    )
    # The rules, in the same four columns: "rule:<use>" or "proposed:<use>", the rule's name, its
    # id as text, when the case named it.
    rules = (
        CaseRule.objects.filter(case=case)
        .annotate(
            kind=DbCase(
                When(rule__confirmed=True, then=Concat(Value("rule:"), F("use"))),
                default=Concat(Value("proposed:"), F("use")),
                output_field=CharField(),
            ),
            name=Concat(F("rule__law"), Value(" "), F("rule__paragraph"), output_field=CharField()),
            key=Cast("rule_id", CharField()),
            used_at=F("created_at"),
        )
        .order_by()
        .values_list("kind", "name", "key", "used_at")
    )
    # Ordered by a column of the UNION itself (the model's default ordering names none of them).
    found = list(positions.union(collections, rules, all=True).order_by("-used_at"))
    uses, named = [], []
    for kind, title, slug, used_at in found:
        if ":" in kind:
            state, use = kind.split(":", 1)
            named.append(
                {
                    "title": title,
                    "url": reverse("voice:rule_detail", args=[int(slug)]),
                    "pk": int(slug),
                    "use": RuleUse(use).label,
                    "confirmed": state == "rule",
                }
            )
            continue
        name = "voice:collection_detail" if kind == "collection" else "voice:position_detail"
        uses.append({"kind": kind, "title": title, "url": reverse(name, args=[slug]), "used_at": used_at})
    named.sort(key=lambda rule: rule["title"])
    return {"uses": uses, "rules": named}


# --- rules to lift --------------------------------------------------------------------------


def rule_list(*, viewer, area=None) -> dict:
    """The confirmed rules by how many cases the viewer may read cite them (in `area`, when
    given), most cited first; for the secretariat also the rules members proposed. Two queries."""
    cited = case_policy.visible(viewer, Case.objects.filter(status=CaseStatus.PUBLISHED))
    if area is not None:
        cited = cited.filter(focus_area=area)
    rules = (
        rule_policy.visible(viewer, Rule.objects.filter(confirmed=True))
        .annotate(
            case_count=Count("case_uses", filter=Q(case_uses__case__in=cited.values("pk")), distinct=True)
        )
        .order_by("-case_count", "law", "paragraph")
    )
    proposed = []
    if rule_policy.can_create(viewer):
        proposed = list(Rule.objects.filter(confirmed=False).order_by("law", "paragraph"))
    return {"rules": [r for r in rules if r.case_count or area is None], "proposed": proposed}


def rule_get(*, pk: int, viewer) -> Rule | None:
    return rule_policy.visible(viewer, Rule.objects.all()).filter(pk=pk).first()


def rule_cases(*, rule: Rule, viewer) -> list[Case]:
    return list(
        case_policy.visible(viewer, Case.objects.filter(status=CaseStatus.PUBLISHED, cited_rules__rule=rule))
        .select_related("author", "municipality", "focus_area")
        .order_by("-published_at", "-pk")
    )
