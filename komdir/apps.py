from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin with the portal's two-factor admin site.

    Also the project-level hook: it connects the security log to Django's and allauth's signals,
    and the invalidation of cached page fragments to every content write.
    """

    default_site = "komdir.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        from komdir import fragments, security

        security.connect()
        fragments.connect()
