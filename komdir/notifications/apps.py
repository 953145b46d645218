from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "komdir.notifications"
    label = "notifications"
    verbose_name = _("Notifikationer")

    def ready(self):
        from komdir.notifications import subscribers
        from komdir.notifications.templatetags import follows  # noqa: F401 - registers the follow-button hole

        subscribers.subscribe()
