from django.db import migrations, models
from django.utils import timezone


def start_clock_for_those_who_left(apps, schema_editor):
    # When existing inactive members left was never recorded: start their clock now, so no one
    # is anonymised earlier than the privacy page promises.
    User = apps.get_model("members", "User")
    User.objects.filter(is_active=False, departed_at__isnull=True).update(departed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_follows_notification_settings_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="departed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Hvornår medlemmet blev deaktiveret eller slettede sin konto.",
                null=True,
                verbose_name="stoppet",
            ),
        ),
        migrations.RunPython(start_clock_for_those_who_left, migrations.RunPython.noop),
    ]
