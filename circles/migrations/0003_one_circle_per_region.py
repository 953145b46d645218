"""Start with one circle per region. Circles are data: the secretariat edits them in admin."""

from django.db import migrations

CIRCLES = {
    "1084": ("Kreds Hovedstaden", "hovedstaden"),
    "1085": ("Kreds Sjælland", "sjaelland"),
    "1083": ("Kreds Syddanmark", "syddanmark"),
    "1082": ("Kreds Midtjylland", "midtjylland"),
    "1081": ("Kreds Nordjylland", "nordjylland"),
}


def load(apps, schema_editor):
    Region = apps.get_model("members", "Region")
    Circle = apps.get_model("circles", "Circle")
    for region in Region.objects.all():
        name, slug = CIRCLES.get(
            region.code, (region.name.replace("Region", "Kreds"), f"kreds-{region.code}")
        )
        Circle.objects.get_or_create(slug=slug, defaults={"name": name, "region": region})


class Migration(migrations.Migration):
    dependencies = [
        ("circles", "0002_initial"),
        ("members", "0002_load_municipalities"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
