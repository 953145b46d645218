"""A real mail backend for tests: the mail server refuses the first `failures_left` sends
(as an SMTP server that is restarting does), then delivers to django.core.mail.outbox."""

from __future__ import annotations

import smtplib

from django.core.mail.backends import locmem


class FlakyEmailBackend(locmem.EmailBackend):
    failures_left = 0  # shared by every connection: Django opens a new one per message
    attempts = 0

    def send_messages(self, messages):
        FlakyEmailBackend.attempts += 1
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
