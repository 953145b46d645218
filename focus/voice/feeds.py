"""Atom feed of KOMDIR's published positions: the public version, as a visitor reads it."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from focus.voice import selectors
from focus.voice.models import Position


class PositionsFeed(Feed):
    feed_type = Atom1Feed
    login_required = False  # feed readers cannot log in

    def title(self) -> str:
        return _("KOMDIR mener")

    def subtitle(self) -> str:
        return _("KOMDIR's holdninger til spørgsmålene i foreningens fokusområder.")

    def link(self) -> str:
        return reverse("voice:position_list")

    def items(self):
        return selectors.published_for_feed()

    def item_title(self, item: Position) -> str:
        return item.published_title

    def item_description(self, item: Position) -> str:
        return item.question.text

    def item_link(self, item: Position) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Position):
        return item.published_at

    def item_author_name(self, item: Position) -> str:
        return "KOMDIR"
