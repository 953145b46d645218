"""Load the 5 regions and all 98 municipalities (members/data/kommuner.csv, DAGI codes 2026)."""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "kommuner.csv"


def load(apps, schema_editor):
    Region = apps.get_model("members", "Region")
    Municipality = apps.get_model("members", "Municipality")
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    regions = {}
    for row in rows:
        code = row["regionskode"].strip()
        if code not in regions:
            regions[code], _ = Region.objects.update_or_create(
                code=code, defaults={"name": row["region"].strip()}
            )
    for row in rows:
        Municipality.objects.update_or_create(
            code=row["kommunekode"].strip(),
            defaults={"name": row["kommune"].strip(), "region": regions[row["regionskode"].strip()]},
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
