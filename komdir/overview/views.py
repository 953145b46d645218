"""Mit overblik: what is new in what the member follows, until they have seen it or mark it read."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from komdir.lib import fragments
from komdir.overview import selectors, services
from members.policies import is_member


def _overview_page(request, *, week: bool):
    if not is_member(request.user):
        raise Http404
    visit = services.overview_visit(user=request.user)
    # The news hang on the read marker and on what the member has seen since (a case opened,
    # a note read), so both are part of the key (komdir/lib/fragments.py).
    content_html = fragments.content(
        request,
        "members/overview.html",
        "week" if week else "new",
        visit["since"].isoformat(),
        visit["latest_seen"].isoformat() if visit["latest_seen"] else "-",
        context=lambda: selectors.overview_data(user=request.user, visit=visit, week=week),
    )
    return render(request, "members/overview.html", {"content_html": content_html, "week": week})


@never_cache
def overview(request):
    return _overview_page(request, week=False)


@never_cache
def overview_week(request):
    """ "Seneste 7 dage": the week's items, whether seen or not."""
    return _overview_page(request, week=True)


@require_POST
def overview_mark_read(request):
    if not is_member(request.user):
        raise Http404
    # The moment the page was shown: what arrived after it stays new.
    try:
        until = parse_datetime(request.POST.get("until", ""))
    except ValueError:
        until = None
    if until is not None and timezone.is_naive(until):
        until = None
    services.overview_mark_read(user=request.user, until=until)
    messages.success(request, _("Alt i dit overblik er markeret som læst."))
    return redirect("overview:overview")
