from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_secretariat_group(sender, **kwargs):
    from members.services import secretariat_group_sync

    secretariat_group_sync()


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Medlemmer")

    def ready(self):
        # Hooks into Django's migrate so a fresh database always has the group.
        # Runs after every app so that permissions of apps migrated later are included.
        post_migrate.connect(_sync_secretariat_group, dispatch_uid="komdir-secretariat-group")
        # Notifications: an explicit registry in focus.services / circles.services, no signals.
        from members.notifications import register_hooks

        register_hooks()
