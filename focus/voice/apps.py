from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """What KOMDIR says: positions on the guiding questions, built from members' cases and
    comments (consultation responses and case collections follow the same rules)."""

    name = "focus.voice"
    label = "voice"
    verbose_name = _("KOMDIR mener")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from focus.voice import caching

        caching.connect()
