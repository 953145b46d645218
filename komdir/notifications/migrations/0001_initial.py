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
                    name='NotificationSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('mail_replies', models.BooleanField(default=True, verbose_name='Svar på mine kommentarer')),
                        ('mail_case_comments', models.BooleanField(default=True, verbose_name='Kommentarer på mine cases')),
                        ('mail_circle_notes', models.BooleanField(default=True, verbose_name='Nye referater i min kreds')),
                        ('mail_circle_meetings', models.BooleanField(default=True, verbose_name='Nye møder i min kreds')),
                        ('weekly_digest', models.BooleanField(default=True, verbose_name='Ugentligt overblik over det, jeg følger')),
                        ('overview_read_at', models.DateTimeField(blank=True, null=True, verbose_name='overblik læst indtil')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_settings', to=settings.AUTH_USER_MODEL, verbose_name='medlem')),
                    ],
                    options={
                        'verbose_name': 'notifikationsindstillinger',
                        'verbose_name_plural': 'notifikationsindstillinger',
                        'db_table': 'members_notificationsettings',
                    },
                ),
                migrations.CreateModel(
                    name='Follow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('area', 'Fokusområde'), ('case', 'Case'), ('circle', 'Kreds')], max_length=10, verbose_name='type')),
                        ('object_id', models.PositiveBigIntegerField(verbose_name='id')),
                        ('active', models.BooleanField(default=True, verbose_name='følger')),
                        ('automatic', models.BooleanField(default=False, verbose_name='automatisk')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='oprettet')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='senest ændret')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to=settings.AUTH_USER_MODEL, verbose_name='medlem')),
                    ],
                    options={
                        'verbose_name': 'følger',
                        'verbose_name_plural': 'følger',
                        'db_table': 'members_follow',
                        'ordering': ['user', 'kind', 'object_id'],
                        'indexes': [models.Index(fields=['kind', 'object_id'], name='follow_object_idx')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind', 'object_id'), name='one_follow_per_object')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
