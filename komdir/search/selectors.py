"""Site search over focus areas, guiding questions, cases, comments, meeting notes and members.

PostgreSQL: full-text search with the `danish` configuration (stemming), titles weighted
A above bodies B, `websearch_to_tsquery` syntax, `ts_rank` ordering, `ts_headline` snippets.
Cases, comments and meeting notes, where a common word matches thousands of rows and ranking
them all would re-run `to_tsvector` over each on every search, read a trigger-kept, GIN-indexed
`search_vector` column (focus/migrations/0010, circles/migrations/0005); areas, questions and
members are few and compute their vector at query time. The best PER_KIND ids come from a
narrow subquery; the rows shown, their related objects and `ts_headline` are fetched for those
ids only.

SQLite (development): every term must occur in a Unicode-casefolded copy of the text, so
"æbler" finds "Æbler" (SQLite's own LIKE/lower fold ASCII only). The fold is a Python
function registered on the SQLite connection.

Every kind goes through its `.visible_to(viewer)` queryset: nothing a viewer may not read
is found. One query per kind searched, whatever the number of hits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import CharField, F, Func, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from circles.models import MeetingNote
from focus import policies
from focus.models import Case, Comment, FocusArea, GuidingQuestion
from members.models import User
from members.policies import is_member

KINDS = {
    "area": _("Fokusområder"),
    "question": _("Vejledende spørgsmål"),
    "case": _("Cases"),
    "comment": _("Kommentarer"),
    "note": _("Referater"),
    "member": _("Medlemmer"),
}
PER_KIND = 20
# A word in thousands of comments (e.g. "borgere", in one in eight) is ranked among its newest
# CANDIDATES matches, read backwards along the primary key, not all of them: reading and ranking
# 12,500 matching rows cost ~40 ms of a ~70 ms page (1,000 candidates still ~25 ms). Rarer
# words are ranked in full.
CANDIDATES = 400
MAX_QUERY_LENGTH = 200

# Highlight markers that cannot come from user text: the snippet is escaped first and the
# markers become <mark> afterwards, so no member-written markup ever reaches the page.
_START, _STOP = "\x02", "\x03"


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: SafeString
    rank: float
    meta: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


# --- query parsing ---------------------------------------------------------------------------

_TERM = re.compile(r"\w+", re.UNICODE)


def clean_query(q: str) -> str:
    """Control characters out (PostgreSQL rejects NUL), whitespace collapsed, length capped."""
    q = "".join(ch if ch.isprintable() else " " for ch in q)
    return " ".join(q.split())[:MAX_QUERY_LENGTH]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def _terms(q: str) -> tuple[list[str], list[str]]:
    """SQLite: websearch syntax approximated: words and "quoted phrases" must occur, -words
    must not; "or" is dropped (every remaining term is required)."""
    include: list[str] = []
    exclude: list[str] = []
    for neg1, phrase, neg2, word in _TOKEN.findall(q):
        text = phrase if phrase or neg1 else word
        words = [w.casefold() for w in _TERM.findall(text)]
        if not words or (not phrase and words == ["or"]):
            continue
        (exclude if (neg1 or neg2) else include).append(" ".join(words))
    return include[:10], exclude[:10]


# --- SQLite fallback -------------------------------------------------------------------------


class Fold(Func):
    function = "komdir_casefold"
    output_field = TextField()


def _ensure_sqlite_fold() -> None:
    connection.ensure_connection()
    connection.connection.create_function(
        "komdir_casefold", 1, lambda s: s.casefold() if isinstance(s, str) else s, deterministic=True
    )


def _sqlite_snippet(text: str, terms: list[str], width: int = 90) -> SafeString:
    folded = text.casefold()
    # casefold can change lengths ("ß" -> "ss"); positions are then approximate, which is fine
    # for a snippet.
    positions = [folded.find(t) for t in terms if folded.find(t) >= 0]
    start = max(0, min(positions) - width // 2) if positions else 0
    piece = text[start : start + width * 2]
    out = piece
    for term in sorted(set(terms), key=len, reverse=True):
        out = re.sub(f"({re.escape(term)})", f"{_START}\\1{_STOP}", out, flags=re.IGNORECASE)
    prefix = "… " if start else ""
    suffix = " …" if start + width * 2 < len(text) else ""
    return _marked(prefix + out + suffix)


# --- the kinds -------------------------------------------------------------------------------


@dataclass
class Source:
    kind: str
    title: list[str]  # weight A
    body: list[str]  # weight B
    snippet_field: str
    related: list[str]  # select_related for building the hit
    # PostgreSQL: a column holding exactly the weighted title/body vector, kept by triggers.
    stored_vector: str | None = None


class StoredVector(Func):
    """A tsvector column that the database keeps and the model does not declare (see
    focus/migrations/0010 and circles/migrations/0005). It is named through the alias of
    the row's own pk, so it follows the table when Django relabels it inside a subquery."""

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__(F("pk"))
        self.column = column

    def as_sql(self, compiler, connection, **extra_context):
        (pk,) = self.get_source_expressions()
        return f"{compiler.quote_name(pk.alias)}.{compiler.quote_name(self.column)}", []


def _text(*fields: str):
    parts = []
    for field in fields:
        parts += [Coalesce(F(field), Value(""), output_field=TextField()), Value(" ")]
    return Concat(*parts, output_field=TextField())


def _querysets(viewer, *, area_id: int | None, circle_id: int | None) -> dict[str, tuple[QuerySet, Source]]:
    member = is_member(viewer)
    sets: dict[str, tuple[QuerySet, Source]] = {}
    if circle_id is None:
        areas = FocusArea.objects.browsable()
        questions = GuidingQuestion.objects.browsable()
        cases = Case.objects.visible_to(viewer)
        comments = Comment.objects.visible_to(viewer).not_deleted()
        if area_id is not None:
            areas = areas.filter(pk=area_id)
            questions = questions.filter(focus_area_id=area_id)
            cases = cases.filter(focus_area_id=area_id)
            comments = comments.filter(focus_area_id=area_id)
        sets["area"] = (areas, Source("area", ["title"], ["lead", "body"], "lead", ["period"]))
        sets["question"] = (questions, Source("question", ["text"], [], "text", ["focus_area__period"]))
        sets["case"] = (
            cases,
            Source(
                "case",
                ["title"],
                ["summary", "body"],
                "summary",
                ["focus_area__period", "author", "municipality"],
                "search_vector",
            ),
        )
        if policies.comments.can_list(viewer):
            sets["comment"] = (
                comments,
                Source(
                    "comment", [], ["body"], "body", ["author", "case", "focus_area__period"], "search_vector"
                ),
            )
    if member:
        notes = MeetingNote.objects.published().visible_to(viewer)
        if area_id is not None:
            notes = notes.filter(focus_areas=area_id)
        if circle_id is not None:
            notes = notes.filter(meeting__circle_id=circle_id)
        sets["note"] = (
            notes,
            Source("note", ["meeting__title"], ["body"], "body", ["meeting__circle"], "search_vector"),
        )
        if area_id is None:
            # Exactly the directory's people (members.policies.MemberPolicy.listed): no staff or
            # administrator accounts, whose profiles answer 404, and no departed members.
            people = User.objects.listed_to(viewer)
            if circle_id is not None:
                people = people.filter(circle_memberships__circle_id=circle_id)
            sets["member"] = (
                people,
                Source(
                    "member",
                    ["first_name", "last_name"],
                    ["profile__title", "profile__municipality__name", "profile__bio"],
                    "profile__title",
                    ["profile__municipality"],
                ),
            )
    return sets


def _hit(kind: str, obj, snippet: SafeString, rank: float) -> Hit:
    if kind == "area":
        return Hit(kind, str(obj), obj.get_absolute_url(), snippet, rank, obj.period.title)
    if kind == "question":
        return Hit(kind, obj.text, obj.get_absolute_url(), snippet, rank, obj.focus_area.title)
    if kind == "case":
        meta = obj.author.get_full_name()
        if obj.municipality_id:
            meta += f", {obj.municipality.name}"
        return Hit(kind, obj.title, obj.get_absolute_url(), snippet, rank, meta)
    if kind == "comment":
        where = obj.case.title if obj.case_id else obj.focus_area.title
        return Hit(kind, f"{obj.author.get_full_name()}: {where}", obj.get_absolute_url(), snippet, rank)
    if kind == "note":
        circle = obj.meeting.circle.name if obj.meeting.circle_id else ""
        return Hit(kind, str(obj), obj.get_absolute_url(), snippet, rank, circle)
    profile = getattr(obj, "profile", None)
    meta = ""
    if profile is not None and profile.municipality_id:
        meta = profile.municipality.name
    url = reverse("directory:profile", kwargs={"pk": obj.pk})
    return Hit(kind, obj.get_full_name() or obj.email, url, snippet, rank, meta)


def _vector(source: Source):
    if source.stored_vector:
        return StoredVector(source.stored_vector)
    vector = None
    if source.title:
        vector = SearchVector(*source.title, config="danish", weight="A")
    if source.body:
        body = SearchVector(*source.body, config="danish", weight="B")
        vector = body if vector is None else vector + body
    return vector


def _search_postgres(qs: QuerySet, source: Source, q: str) -> list[Hit]:
    query = SearchQuery(q, config="danish", search_type="websearch")
    vector = _vector(source)
    headline = SearchHeadline(
        Coalesce(F(source.snippet_field), Value(""), output_field=TextField()),
        query,
        config="danish",
        start_sel=_START,
        stop_sel=_STOP,
        max_words=30,
        min_words=12,
        highlight_all=False,
    )
    # The best PER_KIND ids in a narrow subquery (the viewer's visibility filter, the search
    # filter, the rank); the rows shown, their related objects and ts_headline (slow) only
    # for those ids. The filter reads the GIN-indexed stored vectors where there are any.
    matching = qs.alias(search=vector).filter(search=query)
    if source.stored_vector:
        newest = matching.order_by("-pk").values("pk")[:CANDIDATES]
        matching = qs.model._default_manager.filter(pk__in=Subquery(newest)).alias(search=vector)
    ranked = matching.alias(rank=SearchRank(F("search"), query)).order_by("-rank", "-pk")
    best = ranked.values("pk")[:PER_KIND]
    hits = (
        qs.model._default_manager.filter(pk__in=Subquery(best))
        .select_related(*source.related)
        .annotate(rank=SearchRank(vector, query), snippet=headline)
        .order_by("-rank", "-pk")
    )
    return [_hit(source.kind, obj, _marked(obj.snippet or ""), float(obj.rank)) for obj in hits]


def _search_sqlite(qs: QuerySet, source: Source, terms: list[str], exclude: list[str]) -> list[Hit]:
    title = Fold(_text(*source.title)) if source.title else Value("", output_field=CharField())
    body = Fold(_text(*source.body)) if source.body else Value("", output_field=CharField())
    qs = qs.select_related(*source.related).annotate(s_title=title, s_body=body)
    for term in terms:
        qs = qs.filter(Q(s_title__contains=term) | Q(s_body__contains=term))
    for term in exclude:
        qs = qs.exclude(Q(s_title__contains=term) | Q(s_body__contains=term))
    objs = list(qs.order_by("-pk")[: PER_KIND * 3])
    hits = []
    for obj in objs:
        # A crude rank: title matches weigh more than body matches, like weights A and B.
        rank = sum(1.0 for t in terms if t in (obj.s_title or "")) + sum(
            0.4 for t in terms if t in (obj.s_body or "")
        )
        text = _attr(obj, source.snippet_field) or ""
        if not any(t in text.casefold() for t in terms) and source.body:
            text = _attr(obj, source.body[-1]) or text
        hits.append(_hit(source.kind, obj, _sqlite_snippet(text, terms), rank))
    hits.sort(key=lambda h: -h.rank)
    return hits[:PER_KIND]


def _attr(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def search(
    *, viewer, q: str, kind: str | None = None, area_id: int | None = None, circle_id: int | None = None
) -> dict:
    """Hits for `q` that `viewer` may read, best first, and the count per kind."""
    q = clean_query(q)
    sets = _querysets(viewer, area_id=area_id, circle_id=circle_id)
    if kind:
        sets = {k: v for k, v in sets.items() if k == kind}
    hits: list[Hit] = []
    counts: dict[str, int] = {}
    if q:
        if _is_postgres():
            for name, (qs, source) in sets.items():
                found = _search_postgres(qs, source, q)
                counts[name] = len(found)
                hits += found
        else:
            terms, exclude = _terms(q)
            if terms:
                _ensure_sqlite_fold()
                for name, (qs, source) in sets.items():
                    found = _search_sqlite(qs, source, terms, exclude)
                    counts[name] = len(found)
                    hits += found
    hits.sort(key=lambda h: -h.rank)
    return {"q": q, "hits": hits, "counts": counts, "kinds": list(sets)}
