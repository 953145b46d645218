from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocusConfig(AppConfig):
    name = "focus"
    verbose_name = _("Fokusområder og indhold")
