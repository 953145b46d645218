"""Anonymise members who left more than a retention period ago (GDPR art. 5(1)(e)).

A member who leaves is deactivated by the secretariat; their name stays on what they wrote
for the retention period (so the association can answer questions about past discussions),
then this command removes their personal data as members.services.account_delete does. Run daily.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from komdir.privacy import selectors, services

DEFAULT_DAYS = 730  # 24 months


class Command(BaseCommand):
    help = "Anonymise members who left (were deactivated) more than the retention period ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=getattr(settings, "KOMDIR_DEPARTED_RETENTION_DAYS", DEFAULT_DAYS),
            help="Retention period in days (default: KOMDIR_DEPARTED_RETENTION_DAYS or 730).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only list who would be anonymised.")

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 1:
            self.stderr.write("--days must be at least 1.")
            return
        departed = list(selectors.departed_members(older_than=timedelta(days=days)))
        for user in departed:
            if not dry_run:
                services.account_delete(user=user, actor=None, delete_contributions=False)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{len(departed)} departed member(s) {verb} (retention {days} days).")
