from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_secretariat_group(sender, **kwargs):
    from members.services import secretariat_group_sync

    secretariat_group_sync()


def _record_login(sender, request, user, **kwargs):
    from members.services import session_record_login

    session_record_login(request=request, user=user)


def _end_other_sessions(sender, request, user, **kwargs):
    """A member changed or set their own password: every other browser is logged out."""
    from members.services import sessions_end_for_user

    session = getattr(request, "session", None)
    sessions_end_for_user(user=user, keep_session_key=session.session_key if session is not None else None)


def _end_all_sessions(sender, request, user, **kwargs):
    """A password reset from the e-mailed link: no session from before survives it."""
    from members.services import sessions_end_for_user

    sessions_end_for_user(user=user)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Medlemmer")

    def ready(self):
        # Hooks into Django's migrate so a fresh database always has the group.
        # Runs after every app so that permissions of apps migrated later are included.
        post_migrate.connect(_sync_secretariat_group, dispatch_uid="komdir-secretariat-group")
        # Sessions: every login is recorded, every password change ends the other sessions.
        from allauth.account import signals as account_signals
        from django.contrib.auth.signals import user_logged_in

        from members import caching

        caching.connect()

        user_logged_in.connect(_record_login, dispatch_uid="komdir-record-login")
        account_signals.password_changed.connect(_end_other_sessions, dispatch_uid="komdir-password-changed")
        account_signals.password_set.connect(_end_other_sessions, dispatch_uid="komdir-password-set")
        account_signals.password_reset.connect(_end_all_sessions, dispatch_uid="komdir-password-reset")
