"""Mit overblik: what is new in what the member follows, until they have seen it or mark it read."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from komdir.overview import selectors, services
from members.policies import is_member


def _overview_page(request, *, week: bool):
    if not is_member(request.user):
        raise Http404
    visit = services.overview_visit(user=request.user)
    # One member's own news: nothing here is shared with anyone, so nothing is cached.
    content_html = render_to_string(
        "members/overview.html#content",
        selectors.overview_data(user=request.user, visit=visit, week=week),
        request=request,
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
