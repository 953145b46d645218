import threading

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from komdir.redirects import is_safe_next

# Password checks this process runs at once (issue 13). PBKDF2 costs about a second of CPU, so
# a burst of logins would otherwise hold every worker thread; with one check per process the
# other threads keep serving pages (komdir/gunicorn.conf.py sizes the threads around this).
password_checks = threading.BoundedSemaphore(1)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # The only way in is an invitation from the secretariat (members.services).
        return False

    def is_safe_url(self, url: str) -> bool:
        # Only our own host: allauth would also accept every host in ALLOWED_HOSTS and
        # CSRF_TRUSTED_ORIGINS, and plain HTTP on an HTTPS site.
        return is_safe_next(context.request, url)

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth's per-address and per-account limits first (they refuse before any hash is
        computed), then wait briefly for this process's password-check slot, or refuse."""
        super().pre_authenticate(request, **credentials)
        wait = getattr(settings, "KOMDIR_LOGIN_HASH_WAIT_SECONDS", 1.0)
        if not password_checks.acquire(timeout=max(wait, 0)):
            # Not the member's fault: the attempt does not count against their limits.
            self._rollback_login_failed_rl_usage()
            raise forms.ValidationError(
                _(
                    "Login er midlertidigt ikke muligt, fordi mange logger ind lige nu. "
                    "Prøv igen om et øjeblik."
                ),
                code="login_busy",
            )
        self._holds_password_check = True

    def authenticate(self, request, **credentials):
        self._holds_password_check = False
        try:
            return super().authenticate(request, **credentials)
        finally:
            if self._holds_password_check:
                self._holds_password_check = False
                password_checks.release()
