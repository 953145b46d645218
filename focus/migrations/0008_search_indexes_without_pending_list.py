"""Search GIN indexes without a pending list (issue 9), PostgreSQL only.

With `fastupdate` on, new entries wait in a pending list that every search scans linearly
until (auto)vacuum merges it; on a server where autovacuum is off or behind (as on the CI
machine) all 5,000 cases and 27,000 comment entries sat there and searches read them row by
row. Writes to the index become a little slower; searches stay fast.
"""

from django.db import migrations

INDEXES = ("comment_search_idx", "case_search_idx")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} SET (fastupdate = on)")


class Migration(migrations.Migration):
    dependencies = [("focus", "0007_case_comment_count")]

    operations = [migrations.RunPython(forward, backward)]
