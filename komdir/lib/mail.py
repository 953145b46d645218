"""One way to send a templated e-mail (plain text and HTML) through Django's mail system."""

from __future__ import annotations

from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a subject or text/plain body without HTML escaping.

    Django's templates escape for HTML; in plain text `<b>Æ & "Ø"</b>` must stay as written,
    not become `&lt;b&gt;Æ &amp; …`. Only the HTML part of a mail is escaped.
    """
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_subject(template_name: str, context: dict) -> str:
    """One line of plain text, with the portal's prefix."""
    subject = " ".join(render_plain_text(template_name, context).split())
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject


def send_templated_mail(
    *,
    template_prefix: str,
    to: list[str],
    context: dict,
    headers: dict | None = None,
    attachments: list[tuple[str, bytes, str] | MIMEPart] | None = None,
) -> None:
    """Render `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` and send them.

    Mails are always written in Danish, whatever language the sender's request used, and
    link to KOMDIR_SITE_URL (`site_url`), since many are sent outside any request.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_subject(f"{template_prefix}_subject.txt", context)
        text = render_plain_text(f"{template_prefix}.txt", context)
        html = render_to_string(f"{template_prefix}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to, headers=headers
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments or ():
        # A MIMEPart when the type needs parameters (text/calendar; method=...).
        if isinstance(attachment, MIMEPart):
            message.attach(attachment)
        else:
            message.attach(*attachment)
    message.send()
