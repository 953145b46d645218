from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import pre_migrate


def create_cache_tables(sender, *, using="default", verbosity=1, **kwargs):
    """The database cache tables (settings.CACHES) exist before any migration runs.

    Data migrations write content, and content writes bump the fragment generation in the cache;
    the first login writes its rate limits there. Without this `migrate` crashed on a fresh
    database and a migrated one answered 500 until someone ran `createcachetable` by hand.
    Idempotent: existing tables are left as they are.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class PortalAdminConfig(AdminConfig):
    """Django's admin with the portal's two-factor admin site.

    Also the project-level hook: it connects the security log to Django's and allauth's signals,
    the invalidation of cached page fragments to every content write, and the creation of the
    cache tables to `migrate`.
    """

    default_site = "komdir.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        from komdir import security
        from komdir.lib import fragments

        security.connect()
        fragments.connect()
        # Sent once per app before any migration runs; this app's is enough.
        pre_migrate.connect(create_cache_tables, sender=self, dispatch_uid="komdir-cache-tables")
