"""The secretariat's admin for members: users, invitations (one or a whole file), members'
e-mail addresses and two-factor devices, regions and municipalities, the audit log.

Importing the package registers every page (Django's autodiscover imports `members.admin`).
"""

from allauth.usersessions.models import UserSession
from django.contrib import admin

from members.admin import accounts, invitations, log, places, users
from members.admin.mixins import AuditedAdminMixin, SecretFieldsAdminMixin

# allauth's own screen deletes only the record, not the session; sessions are ended by the
# services (deactivation, password, deletion) and by members on their sessions page.
if admin.site.is_registered(UserSession):
    admin.site.unregister(UserSession)

__all__ = ["AuditedAdminMixin", "SecretFieldsAdminMixin", "accounts", "invitations", "log", "places", "users"]
