"""Send the weekly digest: run once a week from cron or a systemd timer (see README).

Safe to run more than once: each member's digest of a week is claimed in DigestLog before
it is queued, so a second run in the same week sends nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from komdir.overview import selectors, services
from komdir.overview.tasks import send_digest


class Command(BaseCommand):
    help = "Sender det ugentlige overblik til medlemmer, der ikke har fået det i denne uge."

    def handle(self, *args, **options):
        now = timezone.now()
        queued = 0
        for user in selectors.digest_recipients():
            digest = services.digest_claim(user=user, now=now)
            if digest is None:
                continue
            send_digest.enqueue(digest_id=digest.pk)
            queued += 1
        self.stdout.write(f"{queued} ugentlige overblik sat i kø.")
