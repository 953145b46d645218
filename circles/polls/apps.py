from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "circles.polls"
    label = "polls"
    verbose_name = _("Afstemninger")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from circles.polls import subscribers

        subscribers.subscribe()
