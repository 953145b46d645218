"""`{% comment_count case %}`: a case card's count of comments.

A case list is cached until its cases change, not its comments: in a cached fragment the count
is a hole, filled for each request with one query for the whole page's cards, so a comment a
second never re-renders the lists that show its count (komdir/lib/fragments/).
"""

from django import template
from django.utils.translation import ngettext

from focus import selectors
from komdir.lib import fragments

register = template.Library()


def _text(count: int) -> str:
    return ngettext("%(counter)s kommentar", "%(counter)s kommentarer", count) % {"counter": count}


def _fill(request, holes: list[tuple]) -> list[str]:
    counts = selectors.case_comment_counts([pk for (pk,) in holes])
    return [_text(counts.get(pk, 0)) for (pk,) in holes]


fragments.register_hole("comment_count", _fill, batch=True)


@register.simple_tag(takes_context=True)
def comment_count(context, case) -> str:
    placeholder = fragments.hole(context, "comment_count", case.pk)
    return placeholder if placeholder is not None else _text(case.comment_count)
