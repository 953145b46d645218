"""Load "Fokusområder 2023-2025" (focus/seed_content.py) and the secretariat's site pages."""

from django.db import migrations

from komdir.lib.markdown import render_markdown


def load(apps, schema_editor):
    from focus import seed_content as seed

    StrategyPeriod = apps.get_model("focus", "StrategyPeriod")
    FocusArea = apps.get_model("focus", "FocusArea")
    GuidingQuestion = apps.get_model("focus", "GuidingQuestion")
    SitePage = apps.get_model("focus", "SitePage")

    period, _ = StrategyPeriod.objects.update_or_create(
        slug=seed.PERIOD["slug"],
        defaults={
            "title": seed.PERIOD["title"],
            "start_year": seed.PERIOD["start_year"],
            "end_year": seed.PERIOD["end_year"],
            "status": "current",
            "intro": seed.PERIOD["intro"],
            "intro_html": render_markdown(seed.PERIOD["intro"]),
        },
    )
    for data in seed.AREAS:
        body = "\n\n".join(data["body"])
        area, _ = FocusArea.objects.update_or_create(
            period=period,
            number=data["number"],
            defaults={
                "title": data["title"],
                "slug": data["slug"],
                "lead": data["lead"],
                "body": body,
                "body_html": render_markdown(body),
            },
        )
        area.questions.all().delete()
        for order, text in enumerate(data["questions"], start=1):
            GuidingQuestion.objects.create(focus_area=area, text=text, order=order)
    for page in seed.PAGES:
        SitePage.objects.update_or_create(
            slug=page["slug"],
            defaults={
                "title": page["title"],
                "body": page["body"],
                "body_html": render_markdown(page["body"]),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("focus", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
