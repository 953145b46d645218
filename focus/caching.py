"""What focus's pages depend on in the shared fragment cache (komdir/lib/fragments/), and
which of focus's writes refresh them: one place, so a new page or model is described here."""

from __future__ import annotations

from komdir.lib import fragments

# The tags focus's pages depend on.
CASES = "focus.cases"  # cases wherever they are listed: case lists, home, search
# Comments wherever they are listed (home's newest, search) and the order of the most discussed
# cases. A case card's count of comments is a hole (focus/templatetags/focus_cards.py).
COMMENTS = "focus.comments"
FILTERS = "focus.filters"  # the case list's filter choices (areas, questions, tags in use)


def case_tag(pk: int | None) -> str:
    return f"focus.case:{pk}"


def area_tag(pk: int | None) -> str:
    """An area's page and its discussions (the area and each of its guiding questions)."""
    return f"focus.area:{pk}"


def _case_written(case, **kwargs):
    return [case_tag(case.pk), area_tag(case.focus_area_id), CASES, FILTERS]


def _comment_written(comment, created=False, **kwargs):
    # Its own page at once: the case's, or its area's page and discussions (which show only
    # comments on no case). A new comment reaches the lists within fragments.SOON_SECONDS; an
    # edit, a deletion or a hidden comment leaves them at once.
    own = case_tag(comment.case_id) if comment.case_id else area_tag(comment.focus_area_id)
    return [own, fragments.soon(COMMENTS) if created else COMMENTS]


def _case_questions_changed(instance, **kwargs):
    if kwargs.get("reverse"):
        return [None]  # a question's cases changed from the question's side: reach unknown
    return [case_tag(instance.pk), CASES, FILTERS]


def _tagged(instance, **kwargs):
    return [case_tag(getattr(instance, "object_id", None)), CASES, FILTERS]


def connect() -> None:
    fragments.watch(
        "focus",
        {
            "case": _case_written,
            "case_questions": _case_questions_changed,
            "comment": _comment_written,
            "caserevision": fragments.QUIET,
            "commentrevision": fragments.QUIET,
            # Reports are the secretariat's work list in the admin; no cached page shows them.
            "report": fragments.QUIET,
            # The strategy (periods, areas, questions, pages) is on every page: all refresh.
            "strategyperiod": fragments.EVERYTHING,
            "focusarea": fragments.EVERYTHING,
            "guidingquestion": fragments.EVERYTHING,
            "sitepage": fragments.EVERYTHING,
        },
    )
    # Cases are tagged with taggit.
    fragments.watch("taggit", {"tag": _tagged, "taggeditem": _tagged})
