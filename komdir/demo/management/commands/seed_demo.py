"""Create the demo accounts and demo content. Idempotent: running it twice changes nothing new."""

import argparse
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.signals import post_save

from komdir.demo import circles, contributions, decisions, polls, voice
from komdir.demo.accounts import DEMO_TOTP_SECRET, seed_accounts
from komdir.demo.large import seed_large


@contextmanager
def files_removed_on_failure():
    """Delete the files saved while the block ran if it fails: a rollback undoes rows, not files."""
    written: list[tuple] = []

    def remember(sender, instance, **kwargs):
        for field in instance._meta.concrete_fields:
            if isinstance(field, models.FileField):
                value = getattr(instance, field.attname)
                if value:
                    written.append((value.storage, value.name))

    post_save.connect(remember, weak=False, dispatch_uid="seed-demo-files")
    try:
        yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        post_save.disconnect(dispatch_uid="seed-demo-files")


class Command(BaseCommand):
    help = "Opretter demokonti og demoindhold (kun til udvikling og test)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="komdir-demo", help="Adgangskode til demokonti.")
        parser.add_argument(
            "--totp-secret",
            default=DEMO_TOTP_SECRET,
            help="Base32-hemmelighed til sekretariatets TOTP-app.",
        )
        parser.add_argument(
            "--scale",
            choices=["small", "large"],
            default="small",
            help="large: også det store datasæt til belastningstest (300 medlemmer, 5.000 cases, "
            "100.000 kommentarer, 2.000 møder med referater).",
        )
        # Hidden: tests shrink the large data set proportionally.
        parser.add_argument("--scale-factor", type=float, default=1.0, help=argparse.SUPPRESS)
        parser.add_argument(
            "--force", action="store_true", help="Kør også med DEBUG slået fra (fx i en testinstallation)."
        )

    def handle(self, *args, password, totp_secret, force, scale, scale_factor, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo opretter konti med kendte adgangskoder og kører kun med DJANGO_DEBUG=1. "
                "Brug --force, hvis det er en testinstallation."
            )
        try:
            import base64

            base64.b32decode(totp_secret.upper(), casefold=True)
        except ValueError:
            raise CommandError("--totp-secret skal være base32 (A-Z og 2-7).") from None

        # All or nothing: a run that fails halfway leaves no rows, no files and no mails (the
        # notices wait for the commit), so it can simply be run again.
        with files_removed_on_failure(), transaction.atomic():
            seed_accounts(password=password, totp_secret=totp_secret.upper())
            contributions.seed(stdout=self.stdout)
            circles.seed(stdout=self.stdout)
            polls.seed(stdout=self.stdout)
            decisions.seed(stdout=self.stdout)
            voice.seed(stdout=self.stdout)
            if scale == "large":
                seed_large(password=password, stdout=self.stdout, scale_factor=scale_factor)

        self.stdout.write(self.style.SUCCESS(f"Demodata er klar. Demokonti (adgangskode: {password}):"))
        self.stdout.write("  medlem@komdir.test        medlem, Kreds Hovedstaden")
        self.stdout.write("  medlem2@komdir.test       medlem, Kreds Nordjylland")
        self.stdout.write("  kredsformand@komdir.test  kredsformand, Kreds Nordjylland")
        self.stdout.write("  sekretariat@komdir.test   sekretariatet (admin med totrinsbekræftelse)")
        self.stdout.write(f"  TOTP-hemmelighed for sekretariatet: {totp_secret.upper()}")
