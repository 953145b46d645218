from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "komdir.overview"
    label = "overview"
    verbose_name = _("Mit overblik")

    def ready(self):
        from komdir.overview import services

        services.subscribe()
