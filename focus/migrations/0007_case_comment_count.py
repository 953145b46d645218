"""Case.comment_count, kept by focus.services.case_comments_recount (issue 9), filled in here."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_comment_counts(apps, schema_editor):
    Case = apps.get_model("focus", "Case")
    Comment = apps.get_model("focus", "Comment")
    visible = (
        Comment.objects.filter(case=OuterRef("pk"), deleted_at__isnull=True, hidden_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Case.objects.update(comment_count=Coalesce(Subquery(visible), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("focus", "0006_comment_newest_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="comment_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="antal kommentarer"),
        ),
        migrations.RunPython(fill_comment_counts, migrations.RunPython.noop),
    ]
