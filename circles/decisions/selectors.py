"""Reads for a note's page, the overview, the digest and a focus area's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BigIntegerField, CharField, F, Prefetch, Q, TextField, Value
from django.urls import reverse
from django.utils import timezone

from circles.decisions.models import ActionItem, ActionStatus, Decision, NoteComment
from circles.decisions.policies import actions as action_policy
from circles.models import MeetingNote, NoteStatus, NoteVisibility, viewer_lead_circle_ids
from focus.models import FocusArea, GuidingQuestion
from members.policies import is_member, is_secretariat


def note_items(*, note: MeetingNote, viewer) -> dict:
    """The decisions, actions and draft comments of a note the viewer may read."""
    decisions = list(
        Decision.objects.filter(note=note).prefetch_related(
            Prefetch("focus_areas", queryset=FocusArea.objects.select_related("period").order_by("number")),
            Prefetch("questions", queryset=GuidingQuestion.objects.order_by("order", "pk")),
        )
    )
    actions = list(
        ActionItem.objects.filter(note=note).select_related("owner").order_by("status", "due_date", "pk")
    )
    for action in actions:
        action.note = note
        action.can_complete = action_policy.can_complete(viewer, action)
    comments = []
    if note.is_shared_for_comments:
        comments = list(NoteComment.objects.filter(note=note).select_related("author"))
    return {"decisions": decisions, "actions": actions, "review_comments": comments}


def _published_visible(viewer):
    return MeetingNote.objects.published().visible_to(viewer)


def actions_queryset(*, viewer):
    """Open actions for "Mit overblik" and the digest: the viewer's own (from published notes
    they may read) and, for a circle lead, those past their date in the circles they lead (all
    circles, for the secretariat). None when there are none to look for."""
    if not is_member(viewer):
        return None
    mine = Q(owner=viewer, note__in=MeetingNote.objects.published().visible_to(viewer))
    wanted = mine
    leads = viewer_lead_circle_ids(viewer)
    overdue = Q(due_date__lt=timezone.localdate(), note__status=NoteStatus.PUBLISHED)
    if is_secretariat(viewer):
        wanted |= overdue
    elif leads:
        wanted |= overdue & Q(note__meeting__circle_id__in=sorted(leads))
    return ActionItem.objects.filter(wanted, status=ActionStatus.OPEN)


def actions_for(*, viewer) -> dict[str, list[ActionItem]]:
    """The same, as actions split into the viewer's own and the overdue ones of others."""
    qs = actions_queryset(viewer=viewer)
    found = (
        []
        if qs is None
        else list(qs.select_related("owner", "note__meeting").order_by("due_date", "pk")[:50])
    )
    return {
        "my_actions": [a for a in found if a.owner_id == viewer.pk],
        "overdue_actions": [a for a in found if a.is_overdue and a.owner_id != viewer.pk],
    }


@dataclass(frozen=True)
class AreaItem:
    """A row of a focus area's "Drøftet i kredsene" (a note) or "Besluttet i kredsene" (a decision)."""

    kind: str
    note_id: int
    title: str
    starts_at: datetime
    circle_name: str | None
    visibility: str
    decision_id: int | None
    text: str

    @property
    def url(self) -> str:
        url = reverse("circles:note_detail", kwargs={"pk": self.note_id})
        return f"{url}#beslutning-{self.decision_id}" if self.decision_id else url

    @property
    def is_circle_only(self) -> bool:
        return self.visibility == NoteVisibility.CIRCLE


_AREA_COLUMNS = ("kind", "note_id", "title", "starts_at", "circle_name", "visibility", "decision_id", "text")


def notes_and_decisions_for_area(*, area, viewer, limit: int = 10) -> dict[str, list[AreaItem]]:
    """The published notes that discussed `area` and the decisions linked to it, that `viewer`
    may read, newest first: one query (a UNION), so the area's page stays within its budget."""
    if not is_member(viewer):
        return {"notes": [], "area_decisions": []}
    readable = MeetingNote.objects.published().visible_to(viewer)
    notes = (
        readable.filter(focus_areas=area)
        .annotate(
            kind=Value("note", output_field=CharField()),
            note_id=F("pk"),
            title=F("meeting__title"),
            starts_at=F("meeting__starts_at"),
            circle_name=F("meeting__circle__name"),
            decision_id=Value(None, output_field=BigIntegerField()),
            text=Value("", output_field=TextField()),
        )
        .values_list(*_AREA_COLUMNS)
        .order_by()
    )
    decisions = (
        Decision.objects.filter(focus_areas=area, note__in=readable)
        .annotate(
            kind=Value("decision", output_field=CharField()),
            title=F("note__meeting__title"),
            starts_at=F("note__meeting__starts_at"),
            circle_name=F("note__meeting__circle__name"),
            visibility=F("note__visibility"),
            decision_id=F("pk"),
        )
        .values_list(*_AREA_COLUMNS)
        .order_by()
    )
    # SQLite takes no ORDER BY or LIMIT inside a UNION's parts: the whole is ordered and cut,
    # generously, and each list is cut to `limit` here.
    union = notes.union(decisions, all=True).order_by("-starts_at", "-note_id", "-decision_id")
    rows = [AreaItem(*row) for row in union[: limit * 4]]
    return {
        "notes": [r for r in rows if r.kind == "note"][:limit],
        "area_decisions": [r for r in rows if r.kind == "decision"][:limit],
    }
