from django.http import Http404
from django.shortcuts import render

from focus import selectors


def home(request):
    period = selectors.period_get_current()
    about = selectors.page_get(slug="om-komdir")
    return render(request, "focus/home.html", {"period": period, "about": about})


def period_list(request):
    return render(request, "focus/period_list.html", {"periods": selectors.period_list()})


def period_detail(request, period_slug: str):
    period = selectors.period_get(slug=period_slug)
    if period is None:
        raise Http404
    return render(request, "focus/period_detail.html", {"period": period})


def area_detail(request, period_slug: str, area_slug: str):
    area = selectors.area_get(period_slug=period_slug, area_slug=area_slug)
    if area is None:
        raise Http404
    return render(request, "focus/area_detail.html", {"area": area, "period": area.period})


def page(request, slug: str):
    site_page = selectors.page_get(slug=slug)
    if site_page is None:
        raise Http404
    return render(request, "focus/page_detail.html", {"page": site_page})
