"""Security events to the `komdir.security` log: who, what, from where — never a secret.

Connected to Django's and allauth's signals (the third-party hook points) in
komdir.apps.PortalAdminConfig.ready().
"""

from __future__ import annotations

import hashlib
import logging

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.admin.models import LogEntry
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save

logger = logging.getLogger("komdir.security")


def _ip(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


def _login_fingerprint(value: str) -> str:
    # A failed login names an e-mail that may not exist; log a short hash, not the address.
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:12] if value else "-"


def logged_in(sender, request, user, **kwargs):
    logger.info("login.success user=%s ip=%s", user.pk, _ip(request))


def logged_out(sender, request, user, **kwargs):
    logger.info("logout user=%s ip=%s", getattr(user, "pk", "-"), _ip(request))


def login_failed(sender, credentials, request=None, **kwargs):
    login = credentials.get("email") or credentials.get("username") or credentials.get("login") or ""
    logger.warning("login.failed login_hash=%s ip=%s", _login_fingerprint(str(login)), _ip(request))


def mfa_used(sender, request, user, authenticator, **kwargs):
    logger.info("mfa.success user=%s type=%s ip=%s", user.pk, authenticator.type, _ip(request))


def mfa_failed(sender, request, user, **kwargs):
    logger.warning("mfa.failed user=%s ip=%s", user.pk, _ip(request))


def mfa_changed(event: str):
    def receiver(sender, request, user, **kwargs):
        logger.info("mfa.%s user=%s ip=%s", event, user.pk, _ip(request))

    return receiver


def password_changed(sender, request, user, **kwargs):
    logger.info("password.changed user=%s ip=%s", user.pk, _ip(request))


def password_reset(sender, request, user, **kwargs):
    logger.info("password.reset user=%s ip=%s", user.pk, _ip(request))


def admin_change(sender, instance: LogEntry, created: bool, **kwargs):
    if created:
        logger.info(
            "admin.%s user=%s object=%s.%s:%s",
            {1: "add", 2: "change", 3: "delete"}.get(instance.action_flag, instance.action_flag),
            instance.user_id,
            instance.content_type.app_label if instance.content_type_id else "-",
            instance.content_type.model if instance.content_type_id else "-",
            instance.object_id,
        )


_mfa_added = mfa_changed("added")
_mfa_removed = mfa_changed("removed")


def connect() -> None:
    from komdir.middleware import on_user_logged_in

    auth_signals.user_logged_in.connect(on_user_logged_in, dispatch_uid="komdir-session-clock")
    auth_signals.user_logged_in.connect(logged_in, dispatch_uid="komdir-sec-login")
    auth_signals.user_logged_out.connect(logged_out, dispatch_uid="komdir-sec-logout")
    auth_signals.user_login_failed.connect(login_failed, dispatch_uid="komdir-sec-login-failed")
    mfa_signals.authenticator_used.connect(mfa_used, dispatch_uid="komdir-sec-mfa-used")
    mfa_signals.authentication_failed.connect(mfa_failed, dispatch_uid="komdir-sec-mfa-failed")
    mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="komdir-sec-mfa-added")
    mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="komdir-sec-mfa-removed")
    account_signals.password_changed.connect(password_changed, dispatch_uid="komdir-sec-pw-changed")
    account_signals.password_reset.connect(password_reset, dispatch_uid="komdir-sec-pw-reset")
    post_save.connect(admin_change, sender=LogEntry, dispatch_uid="komdir-sec-admin")
