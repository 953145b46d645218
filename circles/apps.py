from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = _("Kredse")

    def ready(self):
        from circles import caching, subscribers

        subscribers.subscribe()
        caching.connect()
