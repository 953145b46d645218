"""allauth's hooks: who may sign up, where `next=` may lead, what a login may cost, and how its
e-mails are written and sent."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from komdir.lib.mail import render_plain_text, render_subject
from komdir.lib.redirects import is_safe_next

# Password checks this process runs at once. PBKDF2 costs about a second of CPU, so
# a burst of logins would otherwise hold every worker thread; with one check per process the
# other threads keep serving pages (komdir/gunicorn.conf.py sizes the threads around this).
password_checks = threading.BoundedSemaphore(1)


@dataclass(frozen=True)
class PortalSite:
    """What allauth's templates call `current_site`: the portal's name and address from settings,
    never the host a request happened to arrive on (that made mails say "Hej fra 127.0.0.1:8100")."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name="KOMDIR-portalen", domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # The only way in is an invitation from the secretariat (members.services).
        return False

    def is_safe_url(self, url: str) -> bool:
        # Only our own host: allauth would also accept every host in ALLOWED_HOSTS and
        # CSRF_TRUSTED_ORIGINS, and plain HTTP on an HTTPS site.
        return is_safe_next(allauth_context.request, url)

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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth mail in Danish, signed by KOMDIR, whatever language the page was in.

        Links in it (password reset, confirmation) are built by allauth from the request the
        member just made, so they lead back to the host they used.
        """
        ctx = {
            "request": allauth_context.request,
            "email": email,
            "current_site": portal_site(),
            "site_url": settings.SITE_URL,
            **context,
        }
        with translation.override(settings.LANGUAGE_CODE):
            message = self.render_mail(template_prefix, email, ctx)
        message.send()

    def render_mail(self, template_prefix, email, context, headers=None) -> EmailMessage:
        # Plain text only, rendered without HTML escaping (komdir.lib.mail).
        to = [email] if isinstance(email, str) else email
        subject = render_subject(f"{template_prefix}_subject.txt", context)
        body = render_plain_text(f"{template_prefix}_message.txt", context).strip() + "\n"
        return EmailMessage(subject, body, self.get_from_email(), to, headers=headers)

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        # The notices greet the member by name like every other mail from the portal.
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)
