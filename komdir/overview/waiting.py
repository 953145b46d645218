"""What waits for the member on "Mit overblik": polls to vote in and actions to do (theirs, and
for a circle lead those past their date), in one query (a UNION), so the page stays within its
query budget however much there is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import BigIntegerField, CharField, DateField, DateTimeField, F, Value
from django.urls import reverse
from django.utils import timezone

from circles.decisions.selectors import actions_queryset
from circles.polls.selectors import open_polls_queryset

_COLUMNS = (
    "row_kind",
    "pk",
    "text",
    "title",
    "circle_name",
    "closes_at",
    "due_date",
    "owner_id",
    "owner_first",
    "owner_last",
    "note_id",
)


@dataclass(frozen=True)
class Waiting:
    kind: str  # "poll" or "action"
    pk: int
    text: str
    title: str | None  # the meeting an action came from
    circle_name: str | None
    closes_at: datetime | None
    due_date: date | None
    owner_id: int | None
    owner_first: str | None
    owner_last: str | None
    note_id: int | None

    @property
    def url(self) -> str:
        if self.kind == "poll":
            return reverse("polls:poll_detail", kwargs={"pk": self.pk})
        return f"{reverse('circles:note_detail', kwargs={'pk': self.note_id})}#handling-{self.pk}"

    @property
    def owner_name(self) -> str:
        return " ".join(part for part in (self.owner_first, self.owner_last) if part)

    @property
    def is_overdue(self) -> bool:
        return self.due_date is not None and self.due_date < timezone.localdate()


def waiting_for(*, user) -> dict[str, list[Waiting]]:
    polls = open_polls_queryset(viewer=user)
    actions = actions_queryset(viewer=user)
    parts = []
    if polls is not None:
        parts.append(
            polls.annotate(
                row_kind=Value("poll", output_field=CharField()),
                text=F("question"),
                title=Value(None, output_field=CharField()),
                circle_name=F("circle__name"),
                due_date=Value(None, output_field=DateField()),
                owner_id=Value(None, output_field=BigIntegerField()),
                owner_first=Value(None, output_field=CharField()),
                owner_last=Value(None, output_field=CharField()),
                note_id=Value(None, output_field=BigIntegerField()),
            )
            .values_list(*_COLUMNS)
            .order_by()
        )
    if actions is not None:
        parts.append(
            actions.annotate(
                row_kind=Value("action", output_field=CharField()),
                title=F("note__meeting__title"),
                circle_name=F("note__meeting__circle__name"),
                closes_at=Value(None, output_field=DateTimeField()),
                owner_first=F("owner__first_name"),
                owner_last=F("owner__last_name"),
            )
            .values_list(*_COLUMNS)
            .order_by()
        )
    rows: list[Waiting] = []
    if parts:
        query = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
        rows = [Waiting(*row) for row in query.order_by("closes_at", "due_date")[:100]]
    rows.sort(key=lambda w: (w.closes_at or datetime.max.replace(tzinfo=UTC), w.due_date or date.max, w.pk))
    return {
        "open_polls": [w for w in rows if w.kind == "poll"],
        "my_actions": [w for w in rows if w.kind == "action" and w.owner_id == user.pk],
        "overdue_actions": [w for w in rows if w.kind == "action" and w.owner_id != user.pk and w.is_overdue],
    }
