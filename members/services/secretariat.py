"""The group "Sekretariat" and what it may do."""

from __future__ import annotations

SECRETARIAT_GROUP = "Sekretariat"
SECRETARIAT_APPS = [
    "members",
    "focus",
    "circles",
    "polls",
    "decisions",
    "voice",
    "taggit",
    "notifications",
    "overview",
]
# Of allauth's accounts the secretariat handles members' e-mail addresses and removes a lost
# two-factor device; it never adds or edits an authenticator (its data is the secret). Whose
# account, the admin decides per object (members.policies.AccountPolicy.can_manage). Of the mail
# queue it reads the results, so a mail that failed after its last retry is seen in the admin.
SECRETARIAT_ACCOUNT_PERMISSIONS = {
    "account": ["view_emailaddress", "add_emailaddress", "change_emailaddress", "delete_emailaddress"],
    "mfa": ["view_authenticator", "delete_authenticator"],
    "django_tasks_database": ["view_dbtaskresult"],
}


def secretariat_group_sync() -> None:
    """Give the group "Sekretariat" every permission on the portal's own content, and on
    allauth's accounts and the mail queue exactly SECRETARIAT_ACCOUNT_PERMISSIONS.

    Runs after each migrate, so new models' permissions reach the group without a manual step,
    and a wider account grant left in the database by an earlier version is taken back.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    accounts = Q(pk__in=[])
    for app_label, codenames in SECRETARIAT_ACCOUNT_PERMISSIONS.items():
        accounts |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(
        *Permission.objects.filter(Q(content_type__app_label__in=SECRETARIAT_APPS) | accounts)
    )
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label__in=SECRETARIAT_ACCOUNT_PERMISSIONS).exclude(
            accounts
        )
    )
