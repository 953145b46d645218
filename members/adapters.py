"""allauth's hooks: who may sign up, and how its e-mails are written and sent."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from komdir.mail import render_plain_text, render_subject


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
        # Plain text only, rendered without HTML escaping (komdir.mail).
        to = [email] if isinstance(email, str) else email
        subject = render_subject(f"{template_prefix}_subject.txt", context)
        body = render_plain_text(f"{template_prefix}_message.txt", context).strip() + "\n"
        return EmailMessage(subject, body, self.get_from_email(), to, headers=headers)

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        # The notices greet the member by name like every other mail from the portal.
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)
