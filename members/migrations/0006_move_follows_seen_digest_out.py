"""Follows and notification settings move to komdir.notifications, seen items and the digest log
to komdir.overview: members holds people only (docs/architecture.md).

Only Django's idea of the models moves here; the tables stay, and the new apps' first migrations
take them over (then rename them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_seen_items_overview"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Follow"),
                migrations.DeleteModel(name="NotificationSettings"),
                migrations.DeleteModel(name="SeenItem"),
                migrations.DeleteModel(name="DigestLog"),
            ],
            database_operations=[],
        ),
    ]
