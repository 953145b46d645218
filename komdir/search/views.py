"""/soeg/: one search box for the whole portal; every result through its model's visibility."""

from django.shortcuts import render

from circles import caching as circle_caching
from circles import policies as circle_policies
from circles.models import Circle
from focus import caching as focus_caching
from focus.models import FocusArea
from focus.policies import viewer_kind
from komdir.lib import fragments
from komdir.lib.access import public
from komdir.search import selectors as site_search
from members.policies import is_member


def _int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@public
def search(request):
    raw = request.GET.get("q", "")
    kind = request.GET.get("type") or None
    if kind not in site_search.KINDS:
        kind = None
    area_id = _int_or_none(request.GET.get("omraade"))
    circle_id = _int_or_none(request.GET.get("kreds")) if is_member(request.user) else None
    too_long = len(raw) > site_search.MAX_QUERY_LENGTH

    def context():
        result = site_search.search(
            viewer=request.user, q=raw, kind=kind, area_id=area_id, circle_id=circle_id
        )
        return {
            **result,
            "too_long": too_long,
            "max_length": site_search.MAX_QUERY_LENGTH,
            "kind": kind,
            "kind_choices": [(key, label) for key, label in site_search.KINDS.items()],
            "area_id": area_id,
            "circle_id": circle_id,
            "areas": list(FocusArea.objects.filter(period__status="current").order_by("number")),
            "circles": list(circle_policies.circles.visible(request.user, Circle.objects.order_by("name"))),
        }

    # Cached per kind of viewer and seat in circles; a write to any case, comment, meeting or
    # note refreshes it, so nothing hidden or deleted since stays findable (komdir/lib/fragments/).
    content_html = fragments.content(
        request,
        "focus/search.html",
        audience=f"{viewer_kind(request.user)};{circle_policies.audience(request.user)}",
        depends=[focus_caching.CASES, focus_caching.COMMENTS, circle_caching.NOTES, circle_caching.MEETINGS],
        context=context,
    )
    return render(
        request, "focus/search.html", {"q": site_search.clean_query(raw), "content_html": content_html}
    )
