from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "circles.decisions"
    label = "decisions"
    verbose_name = _("Beslutninger og handlinger")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from circles.decisions import caching

        caching.connect()
