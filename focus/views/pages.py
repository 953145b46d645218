"""The strategy's pages: home, periods, focus areas, the site's own pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from focus import policies, selectors
from focus.caching import CASES, COMMENTS, area_tag
from focus.forms import CommentForm
from focus.views.comments import flag_threads
from focus.views.common import area_audience, audience
from focus.voice import policies as voice_policies
from focus.voice import selectors as voice_selectors
from komdir.lib import events, fragments
from komdir.lib.access import public


@public
def home(request):
    def context():
        latest = selectors.latest_contributions(viewer=request.user)
        return {
            "period": selectors.period_get_current(),
            "about": selectors.page_get(slug="om-komdir"),
            "latest_cases": latest["cases"],
            "latest_comments": latest["comments"],
        }

    return render(
        request,
        "focus/home.html",
        {
            "content_html": fragments.content(
                request,
                "focus/home.html",
                audience=audience(request),
                depends=[CASES, COMMENTS],
                context=context,
            )
        },
    )


@public
def period_list(request):
    return render(request, "focus/period_list.html", {"periods": selectors.period_list()})


@public
def period_detail(request, period_slug: str):
    period = selectors.period_get(slug=period_slug)
    if period is None:
        raise Http404
    return render(request, "focus/period_detail.html", {"period": period})


@public
def area_detail(request, period_slug: str, area_slug: str):
    area = selectors.area_get(period_slug=period_slug, area_slug=area_slug)
    if area is None:
        raise Http404

    def context():
        # Bounded however many cases and comments pile up: newest case cards, a count, the
        # newest few cases and threads per question, each with a link to all of them.
        cases = selectors.area_case_overview(area=area, viewer=request.user)
        previews = selectors.comment_previews_for_area(area=area, viewer=request.user)
        empty = {"threads": [], "count": 0}
        cases_by_question = cases["by_question"]
        questions = list(voice_selectors.with_positions(area.questions.order_by("order", "pk")))
        for question in questions:
            question.area_cases = cases_by_question.get(question.pk, [])
            preview = previews.get(question.pk, empty)
            question.threads = flag_threads(request.user, preview["threads"])
            question.thread_count = preview["count"]
        area_preview = previews.get(None, empty)
        return {
            "area": area,
            "period": area.period,
            "questions": questions,
            "latest_cases": cases["latest"],
            "case_count": cases["count"],
            "area_threads": flag_threads(request.user, area_preview["threads"]),
            "area_thread_count": area_preview["count"],
            "can_view_comments": policies.comments.can_list(request.user),
            "can_comment": policies.areas.can_comment(request.user, area),
            "can_create_case": policies.cases.can_create(request.user),
            "can_draft_position": voice_policies.positions.can_create(request.user),
            "comment_form": CommentForm(),
            # What the apps above add to the page (circles: the meeting notes that discussed it).
            **{
                name: value
                for extra in events.ask("focus.area_shown", area=area, viewer=request.user)
                for name, value in extra.items()
            },
        }

    extra, depends = area_audience(request)
    content_html = fragments.content(
        request,
        "focus/area_detail.html",
        audience=lambda: audience(request, extra=extra()),
        depends=[area_tag(area.pk), *depends],
        context=context,
    )
    return render(
        request,
        "focus/area_detail.html",
        {"area": area, "period": area.period, "content_html": content_html},
    )


@public
def page(request, slug: str):
    site_page = selectors.page_get(slug=slug)
    if site_page is None:
        raise Http404
    return render(request, "focus/page_detail.html", {"page": site_page})
