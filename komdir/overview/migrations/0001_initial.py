"""Takes over the tables members created (members 0006); 0002 renames them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The tables were created by members' migrations; this takes over Django's idea of them.
        ("members", "0006_move_follows_seen_digest_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DigestLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('week', models.DateField(verbose_name='uge (mandag)')),
                        ('since', models.DateTimeField(verbose_name='nyt siden')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='oprettet')),
                        ('item_count', models.PositiveIntegerField(default=0, verbose_name='antal punkter')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digests', to=settings.AUTH_USER_MODEL, verbose_name='medlem')),
                    ],
                    options={
                        'verbose_name': 'ugentligt overblik',
                        'verbose_name_plural': 'ugentlige overblik',
                        'db_table': 'members_digestlog',
                        'ordering': ['-week'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'week'), name='one_digest_per_week')],
                    },
                ),
                migrations.CreateModel(
                    name='SeenItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('case', 'Case'), ('comment', 'Kommentar'), ('note', 'Referat'), ('meeting', 'Møde'), ('area', 'Drøftelse af fokusområde'), ('question', 'Drøftelse af spørgsmål')], max_length=10, verbose_name='type')),
                        ('object_id', models.PositiveBigIntegerField(verbose_name='id')),
                        ('seen_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='set')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seen_items', to=settings.AUTH_USER_MODEL, verbose_name='medlem')),
                    ],
                    options={
                        'verbose_name': 'set af medlem',
                        'verbose_name_plural': 'set af medlemmer',
                        'db_table': 'members_seenitem',
                        'indexes': [models.Index(fields=['user', '-seen_at'], name='seen_user_latest_idx')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind', 'object_id'), name='one_seen_per_item')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
