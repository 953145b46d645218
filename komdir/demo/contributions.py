"""Demo cases and comments for `manage.py seed_demo`. Idempotent: matched on author and title/text."""

from __future__ import annotations

from django.db import transaction

from focus import services
from focus.models import Case, Comment, FocusArea, GuidingQuestion, Report
from members.models import User

# (author e-mail, area number, question orders, title, summary, body, tags, public, published)
CASES = [
    (
        "medlem@komdir.test",
        1,
        [1],
        "Hverdagsrehabilitering før visitation til hjemmepleje",
        "Alle nye borgere med behov for hjælp i hjemmet starter med et forløb med hverdagsrehabilitering. "
        "Efter to år bruger færre borgere hjemmepleje, og flere klarer sig selv.",
        "## Baggrund\n\nVi stod med flere ældre og færre hænder. I stedet for at visitere direkte til "
        "hjemmepleje tilbyder vi nu et forløb på 8-12 uger med en terapeut og en social- og "
        "sundhedshjælper.\n\n## Hvad vi gjorde\n\n- Fælles mål med borgeren fra første besøg\n"
        "- Ugentlig tværfaglig status\n- Opfølgning efter tre måneder\n\n## Det har vi lært\n\n"
        "Det kræver, at visitationen og udførerne taler sammen hver uge. Læs evalueringen på "
        "[kommunens hjemmeside](https://www.kk.dk).",
        ["ældre", "rehabilitering", "demografi"],
        True,
        True,
    ),
    (
        "medlem2@komdir.test",
        1,
        [2],
        "Borgertopmøde om fremtidens nære velfærd",
        "Et borgertopmøde med 120 tilfældigt udvalgte borgere gav byrådet konkrete anbefalinger til, "
        "hvordan velfærden skal prioriteres i lokalsamfundene.",
        "Vi inviterede 120 borgere ved lodtrækning til tre lørdage. Byrådet forpligtede sig på forhånd "
        "til at svare skriftligt på hver anbefaling.\n\n**Resultat:** 14 anbefalinger, hvoraf 11 er "
        "indarbejdet i budgettet.",
        ["lokaldemokrati", "borgerinddragelse"],
        True,
        True,
    ),
    (
        "kredsformand@komdir.test",
        1,
        [3],
        "Frikommuneforsøg på beskæftigelsesområdet",
        "Vi har sat de lovbundne samtaler fri for ledige med komplekse problemer og lader i stedet "
        "borgeren og sagsbehandleren aftale rytmen.",
        "Forsøget viser, at frisættelse kræver nye balancer: retssikkerhed, ensartethed og faglig "
        "dømmekraft. Vi har lavet en enkel dokumentationsstandard, så tilsynet stadig kan følge med.",
        ["frisættelse", "beskæftigelse"],
        False,
        True,
    ),
    (
        "demo01@komdir.test",
        2,
        [1],
        "Lederudviklingsprogram for nye dagtilbudsledere",
        "Et toårigt program med mentorer og netværk har halveret udskiftningen blandt nye dagtilbudsledere.",
        "Nye ledere får en erfaren mentor fra en anden forvaltning og mødes i netværk hver anden måned. "
        "Programmet koster under én procent af lønsummen og har betalt sig hjem i sparede rekrutteringer.",
        ["rekruttering", "ledelse", "dagtilbud"],
        True,
        True,
    ),
    (
        "demo02@komdir.test",
        2,
        [1, 3],
        "Elevrum: social- og sundhedselever på fast kontrakt fra dag ét",
        "Vi ansætter social- og sundhedselever med jobgaranti og har nu dobbelt så mange ansøgere.",
        "Eleverne får fast kontrakt med jobgaranti ved bestået uddannelse. Samtidig har vi samlet "
        "praktikvejledningen i ét team, så eleverne møder de samme vejledere gennem hele forløbet.",
        ["rekruttering", "ældre", "uddannelse"],
        False,
        True,
    ),
    (
        "demo03@komdir.test",
        2,
        [2],
        "Skærmbesøg i hjemmeplejen – uden at miste nærværet",
        "Udvalgte besøg i hjemmeplejen foregår nu på skærm. Borgerne vælger selv, og ingen mister "
        "et fysisk besøg, de ønsker.",
        "Vi startede med medicinpåmindelser og morgensamtaler. 300 borgere bruger nu skærmbesøg. "
        "Det frigør omkring 20 årsværk, som bruges på borgere med de største behov.\n\n"
        "Etikken var vigtig: borgeren kan altid sige fra, og vi følger op hvert kvartal.",
        ["velfærdsteknologi", "ældre", "digitalisering"],
        True,
        True,
    ),
    (
        "demo04@komdir.test",
        2,
        [3],
        "Fælles driftsenhed for vej og park på tværs af to kommuner",
        "To nabokommuner har samlet drift af veje og grønne områder i én enhed med fælles maskinpark.",
        "Samarbejdet er organiseret som et § 60-selskab. Besparelsen er 8 procent, og vi har fået "
        "et stærkere fagligt miljø, som gør det lettere at rekruttere specialister.",
        ["tværkommunalt samarbejde", "organisering"],
        False,
        True,
    ),
    (
        "demo05@komdir.test",
        3,
        [1],
        "Frivillige besøgsvenner på plejecentrene",
        "Et partnerskab med Røde Kors giver hver beboer på kommunens plejecentre mulighed for en fast "
        "besøgsven.",
        "Kommunen står for koordinationen og et introduktionskursus; foreningen rekrutterer. "
        "Over 90 frivillige er tilknyttet, og ensomheden blandt beboerne er faldet målbart.",
        ["frivillige", "ældre", "ensomhed"],
        True,
        True,
    ),
    (
        "demo06@komdir.test",
        3,
        [2],
        "Idrætsforeninger som lektiecaféer",
        "Byens idrætsforeninger driver lektiecaféer i samarbejde med skolerne – med klare aftaler om "
        "ansvar og børneattester.",
        "Samarbejdet rejste spørgsmål om ansvar, tavshedspligt og økonomi. Vi har lavet en standardaftale, "
        "som andre kommuner gerne må bruge.",
        ["frivillige", "skole", "civilsamfund"],
        False,
        True,
    ),
    (
        "demo07@komdir.test",
        3,
        [3],
        "Partnerskabsmodel for samarbejde med civilsamfundet",
        "En enkel model i fire trin hjælper forvaltningerne med at indgå og evaluere partnerskaber med "
        "foreninger.",
        "1. Fælles formål\n2. Roller og ansvar\n3. Økonomi og data\n4. Evaluering efter et år\n\n"
        "Modellen bruges nu i alle forvaltninger.",
        ["civilsamfund", "partnerskaber"],
        True,
        True,
    ),
    (
        "demo10@komdir.test",
        1,
        [],
        "Nærhedsbudget i landsbyerne",
        "Landsbyrådene får en pulje, de selv prioriterer, til små anlæg og aktiviteter.",
        "Puljen er på 2 mio. kr. årligt. Landsbyrådene beslutter selv; forvaltningen hjælper med "
        "tilladelser.",
        ["lokaldemokrati", "landdistrikter"],
        False,
        True,
    ),
    (
        "demo09@komdir.test",
        2,
        [1],
        "Seniorpolitik der holder på erfarne medarbejdere",
        "Kladde: erfaringer med seniorordninger, som får flere til at blive et par år længere.",
        "Kladde – tal og erfaringer følger.",
        ["rekruttering", "seniorer"],
        False,
        False,
    ),
]

# (author, target, text, replies); target: ("case", title) | ("area", number) | ("question", number, order)
COMMENTS = [
    (
        "medlem2@komdir.test",
        ("case", "Hverdagsrehabilitering før visitation til hjemmepleje"),
        "Meget inspirerende. Hvordan har I fået terapeuterne med på den ugentlige status?",
        [
            (
                "medlem@komdir.test",
                "Vi har lagt statusmødet fast tirsdag morgen og skåret det ned til 30 minutter. "
                "Det gjorde forskellen.",
            )
        ],
    ),
    (
        "demo10@komdir.test",
        ("case", "Hverdagsrehabilitering før visitation til hjemmepleje"),
        "Vi overvejer det samme i Thisted. Må vi se jeres evaluering?",
        [],
    ),
    (
        "demo11@komdir.test",
        ("case", "Skærmbesøg i hjemmeplejen – uden at miste nærværet"),
        "Hvordan har I håndteret de borgere, der ikke selv kan betjene en skærm?",
        [("demo03@komdir.test", "Pårørende og hjemmeplejen hjælper med opsætningen de første uger.")],
    ),
    (
        "kredsformand@komdir.test",
        ("case", "Lederudviklingsprogram for nye dagtilbudsledere"),
        "Kan mentorordningen bruges på tværs af kommunerne i kredsen? Det kunne vi tage op på næste "
        "kredsmøde.",
        [],
    ),
    (
        "demo12@komdir.test",
        ("case", "Partnerskabsmodel for samarbejde med civilsamfundet"),
        "Vi har brugt modellen i Holbæk med stor succes. Især trin 3 om data var nyttigt.",
        [],
    ),
    (
        "medlem@komdir.test",
        ("area", 1),
        "Jeg savner, at vi taler mere om, hvordan vi prioriterer åbent over for borgerne, når ressourcerne "
        "ikke rækker.",
        [
            (
                "demo05@komdir.test",
                "Enig. Borgertopmødet i Aalborg er et godt eksempel på, hvordan det kan gøres.",
            ),
        ],
    ),
    (
        "demo06@komdir.test",
        ("area", 2),
        "Rekruttering er den største udfordring i vores kommune lige nu. Vi bør dele flere konkrete "
        "erfaringer.",
        [],
    ),
    (
        "demo07@komdir.test",
        ("area", 3),
        "Civilsamfundet kan meget, men vi skal passe på ikke at gøre foreningerne til underleverandører.",
        [("medlem2@komdir.test", "God pointe. Frivilligheden skal blive frivillig.")],
    ),
    (
        "demo10@komdir.test",
        ("question", 1, 1),
        "Demografien rammer landkommunerne først. Vi bør se på fælles løsninger på tværs af kommunegrænser.",
        [],
    ),
    (
        "demo01@komdir.test",
        ("question", 2, 1),
        "Fleksible arbejdstider har hjulpet os mere end løntillæg.",
        [("demo02@komdir.test", "Det samme gælder hos os – særligt for småbørnsforældre.")],
    ),
    (
        "demo04@komdir.test",
        ("question", 2, 2),
        "Teknologien skal frigøre tid til relationer, ikke erstatte dem.",
        [],
    ),
    (
        "demo09@komdir.test",
        ("question", 3, 2),
        "Det svære er ansvarsfordelingen, når noget går galt. Har nogen en god model?",
        [("demo07@komdir.test", "Se vores partnerskabsmodel – trin 2 handler netop om roller og ansvar.")],
    ),
    (
        "demo12@komdir.test",
        ("question", 1, 2),
        "Lokaldemokratiet styrkes, når borgerne ser, at deres input faktisk bliver brugt.",
        [],
    ),
    (
        "demo08@komdir.test",
        ("question", 1, 3),
        "Frisættelse kræver tillid både fra politikerne og fra staten.",
        [],
    ),
    (
        "demo11@komdir.test",
        ("question", 2, 3),
        "Vi har gode erfaringer med at organisere os i tværgående teams omkring borgeren.",
        [],
    ),
    (
        "demo03@komdir.test",
        ("question", 3, 1),
        "Besøgsvenner og spisefællesskaber er oplagte supplementer til den kommunale indsats.",
        [],
    ),
    (
        "demo05@komdir.test",
        ("question", 3, 3),
        "Det hjælper at have én indgang i kommunen for foreningerne.",
        [],
    ),
]


def _target(spec) -> dict:
    areas = FocusArea.objects.filter(period__status="current")
    if spec[0] == "case":
        return {"case": Case.objects.get(title=spec[1])}
    if spec[0] == "area":
        return {"focus_area": areas.get(number=spec[1])}
    return {
        "question": GuidingQuestion.objects.get(
            focus_area__in=areas, focus_area__number=spec[1], order=spec[2]
        )
    }


@transaction.atomic
def seed(*, stdout) -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@komdir.test")}
    areas = {a.number: a for a in FocusArea.objects.filter(period__status="current")}
    if not areas:
        stdout.write("Ingen gældende strategiperiode: springer demo-cases over.")
        return
    created_cases = 0
    for email, number, orders, title, summary, body, tags, public, published in CASES:
        author = users.get(email)
        if author is None or Case.objects.filter(author=author, title=title).exists():
            continue
        area = areas[number]
        services.case_create(
            author=author,
            focus_area=area,
            title=title,
            summary=summary,
            body=body,
            questions=list(area.questions.filter(order__in=orders)),
            tags=tags,
            is_public=public,
            publish=published,
        )
        created_cases += 1

    created_comments = 0
    for email, target, text, replies in COMMENTS:
        author = users.get(email)
        if author is None:
            continue
        comment = Comment.objects.filter(author=author, body=text).first()
        if comment is None:
            comment = services.comment_add(author=author, body=text, **_target(target))
            created_comments += 1
        for reply_email, reply_text in replies:
            reply_author = users.get(reply_email)
            if reply_author is None or Comment.objects.filter(author=reply_author, body=reply_text).exists():
                continue
            services.comment_add(author=reply_author, body=reply_text, parent=comment)
            created_comments += 1
    # One open report, so the secretariat's moderation list has something to show.
    reported = Comment.objects.filter(body__startswith="Civilsamfundet kan meget").first()
    reporter = users.get("demo04@komdir.test")
    if reported is not None and reporter is not None and not Report.objects.filter(comment=reported).exists():
        services.report_create(
            reporter=reporter,
            comment=reported,
            reason="Jeg synes, kommentaren generaliserer om foreningerne. Kan sekretariatet se på den?",
        )
    stdout.write(f"Demo-cases: {created_cases} nye; demo-kommentarer: {created_comments} nye.")
