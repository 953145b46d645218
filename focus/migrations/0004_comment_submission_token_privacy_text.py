"""A double-click guard for comments, and the privacy page's account of "Mine data" (issue 7)."""

from django.conf import settings
from django.db import migrations, models

PRIVACY_SLUG = "privatlivspolitik"

PRIVACY_BODY = """KOMDIR er dataansvarlig for de oplysninger, medlemsportalen behandler.

## Hvilke oplysninger vi behandler

- Navn, e-mail, stillingsbetegnelse, kommune, niveau og eventuelt telefonnummer og en kort præsentation, som du selv skriver.
- Din kreds og din rolle i den, dine tilmeldinger til møder, det du følger, og dine indstillinger for e-mails.
- Det, du skriver i portalen: cases, kommentarer og referater, med tidligere versioner, så intet går tabt ved en redigering.
- Invitationen, du fik fra sekretariatet (navn, e-mail, kommune, niveau).
- Tekniske oplysninger om log ind (tidspunkt, fejlede forsøg, totrinsbekræftelse), så vi kan beskytte din konto. Vi gemmer aldrig adgangskoder i klartekst, og loggen indeholder aldrig adgangskoder eller koder.

## Hvorfor

Oplysningerne bruges til at drive foreningens medlemsfællesskab (foreningens legitime interesse og medlemsaftalen). De deles ikke med andre, og de bruges ikke til markedsføring.

## Hvem kan se hvad

Offentlige sider kan ses af alle. Alt andet kan kun ses af medlemmer, og referater markeret "kun kredsen" kun af kredsens medlemmer.

## Mine data: hent og slet selv

Under **Mine data** (via din profil) kan du til enhver tid:

- **hente alt**, hvad portalen har gemt om dig, som én fil (JSON): profil, invitationer, cases og kommentarer med deres tidligere versioner, referater, tilmeldinger, det du følger, og dine indstillinger;
- **slette din konto**. Dit navn, din e-mail, din profil, dine tilmeldinger, det du følger, og dine indstillinger slettes med det samme, og du logges ud alle steder.

## Hvad vi gemmer, når du sletter eller forlader foreningen

- Dine cases og kommentarer bliver stående under navnet "Tidligere medlem", fordi de er en del af medlemmernes fælles drøftelser, og andres svar ellers mister deres sammenhæng. Vil du også have dem fjernet, sætter du flueben ved "Slet også mine cases og kommentarer", når du sletter kontoen; så forsvinder de fra alle sider, lister og e-mails.
- Når du forlader foreningen, deaktiverer sekretariatet din konto. Dit navn står ved det, du har skrevet, i 24 måneder, så foreningen kan svare på spørgsmål om tidligere drøftelser. Derefter anonymiseres kontoen automatisk på samme måde, som hvis du selv havde slettet den.
- Sikkerhedsloggen (log ind, fejlede forsøg) gemmes i 12 måneder for at kunne opdage misbrug.
- Sikkerhedskopier af databasen gemmes i 35 dage og slettes derefter.

## Dine rettigheder

Du har ret til indsigt, berigtigelse, sletning, dataportabilitet og indsigelse (databeskyttelsesforordningens artikel 15-21). Det meste kan du gøre selv under Mine data; ellers kontakt sekretariatet. Du kan klage til Datatilsynet.
"""


def update_privacy_page(apps, schema_editor):
    from komdir.lib.markdown import render_markdown

    SitePage = apps.get_model("focus", "SitePage")
    page = SitePage.objects.filter(slug=PRIVACY_SLUG).first()
    if page is None:
        return
    page.body = PRIVACY_BODY
    page.body_html = render_markdown(PRIVACY_BODY)
    page.save(update_fields=["body", "body_html", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("focus", "0003_member_contributions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="submission_token",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission_token", ""), _negated=True),
                fields=("author", "submission_token"),
                name="comment_unique_submission",
            ),
        ),
        migrations.RunPython(update_privacy_page, migrations.RunPython.noop),
    ]
