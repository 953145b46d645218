"""Remind those signed up for a meeting the day before: run every hour from cron or a systemd
timer (docs/deploy.md). Each answer is claimed once (`reminded_at`), so running it twice, or on
two servers at once, sends nothing twice; a member who cancels before the mail goes gets none."""

from django.core.management.base import BaseCommand

from circles import services


class Command(BaseCommand):
    help = "Sender påmindelser om møder, der begynder inden for det næste døgn, til de tilmeldte."

    def handle(self, *args, **options):
        claimed = services.reminders_claim()
        self.stdout.write(f"{len(claimed)} påmindelser sat i kø.")
