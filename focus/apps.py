from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusConfig(AppConfig):
    name = "focus"
    verbose_name = _("Fokusområder og indhold")

    def ready(self):
        # Which writes refresh which cached pages, and the holes focus's forms leave in them
        # (komdir/lib/fragments/): registered before the first request can need them.
        from focus import caching
        from focus.templatetags import (
            focus_cards,  # noqa: F401 - registers the comment-count hole
            focus_forms,  # noqa: F401 - registers the submission-token hole
        )

        caching.connect()
