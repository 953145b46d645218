"""Atom feed of the public cases of one focus area: what a visitor may read, nothing more."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from focus import selectors
from focus.models import Case, FocusArea


class AreaCasesFeed(Feed):
    feed_type = Atom1Feed
    # Public: feed readers cannot log in (Django's LoginRequiredMiddleware reads this).
    login_required = False

    def get_object(self, request, period_slug: str, area_slug: str) -> FocusArea:
        area = selectors.area_get(period_slug=period_slug, area_slug=area_slug)
        if area is None:
            raise Http404
        return area

    def title(self, obj: FocusArea) -> str:
        return _("KOMDIR-portalen: cases om %(area)s") % {"area": obj.title}

    def subtitle(self, obj: FocusArea) -> str:
        return obj.lead

    def link(self, obj: FocusArea) -> str:
        return obj.get_absolute_url()

    def items(self, obj: FocusArea):
        # Always the visitor's view: a feed reader has no session, and a feed URL gets shared.
        return (
            Case.objects.visible_to(AnonymousUser())
            .filter(focus_area=obj)
            .select_related("author", "municipality", "focus_area__period")
            .order_by("-published_at", "-pk")[:30]
        )

    def item_title(self, item: Case) -> str:
        return item.title

    def item_description(self, item: Case) -> str:
        return item.summary

    def item_link(self, item: Case) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Case):
        return item.published_at

    def item_updateddate(self, item: Case):
        return item.updated_at

    def item_author_name(self, item: Case) -> str:
        name = item.author.get_full_name()
        if item.municipality_id:
            name += f", {item.municipality.name}"
        return name
