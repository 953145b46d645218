"""The strategy "Fokusområder 2023-2025" word for word: the portal's content of record.

Only extraction artefacts of the source document were mended (broken lines, lost bullets).
Loaded by the data migration focus/0002; kept as a module so tests can compare with it.
"""

PERIOD = {
    "title": "Fokusområder 2023-2025",
    "slug": "2023-2025",
    "start_year": 2023,
    "end_year": 2025,
    "intro": (
        "I perioden 2023-2025 vil KOMDIR have tre fokusområder:\n\n"
        "1. Udvikling af den borgernære velfærd og frisættelse\n"
        "2. Færre ressourcer til flere og mere komplekse opgaver\n"
        "3. Civilsamfund.\n\n"
        "De tre fokusområder fylder i hverdagen i kommunerne. De afspejler også nationale "
        "dagsordener, hvor omverdenen forventer KOMDIRs engagement. Kommunaldirektører har en "
        "særlig indsigt og legitimitet på disse områder.\n\n"
        "Fokusområderne er således med til at styrke foreningens relationer til omverdenen, og "
        "gøre foreningen spilbar i den offentlige debat om kommunedanmark."
    ),
}

PURPOSE_LEAD = "Foreningens formål som beskrevet i vedtægterne er:"

PURPOSE = [
    "KOMDIR er et forum for kommunale topchefer, som ønsker en kvalificeret platform for dialog "
    "og videndeling om det overordnede og tværgående strategiske lederskab samt om den "
    "kommunale topleders udvikling, udfordringer og faglighed.",
    "KOMDIR ønsker at optræde som en konstruktiv meningsdanner, der deltager i den offentlige "
    "debat om kommunernes rolle og udviklingen af den danske velfærdsmodel med udgangspunkt "
    "i topchefens position.",
    "Foreningen er et kollegaskab, hvor relationerne mellem medlemmerne er afgørende for, at vi "
    "lykkes som forening. Vores kollegaskab indebærer, at vi mødes i de regionale kredse, til "
    "foreningens generalforsamling og til faglige arrangementer med eksterne samarbejdspartnere. "
    "I det helt nære er vores kollegaskab, at vi rækker ud til hinanden og deler vores "
    "perspektiver på hverdagen som kommunaldirektør.",
]

QUESTIONS_LEAD = "KOMDIR er blandt andet nysgerrig på følgende:"

AREAS = [
    {
        "number": 1,
        "title": "Udvikling af den borgernære velfærd og frisættelse",
        "slug": "borgernaer-velfaerd-og-frisaettelse",
        "lead": (
            "KOMDIR arbejder for at udvikle den borgernære velfærd, så den giver mest mulig "
            "værdi for borgerne, politikere og medarbejdere."
        ),
        "body": [
            "Med Økonomiaftalen 2024 er der fra nationalt holdt iværksat aktiviteter om "
            "frisættelse, som foreningen vil bidrage til.",
            "Det kræver indsigt i den kommunale opgaveløsning at realisere en frisættelse i den "
            "offentlige sektor. KOMDIR vil bidrage til, at dialogen om frisættelse forankres i "
            "det lokale demokrati og i kommunen som organisation.",
            "KOMDIR vil i dialogen tage udgangspunkt i, hvad der er kommunernes rolle og hvad, "
            "borgerne kan forvente af den borgernære velfærd. Det handler fx om kommunale "
            "serviceniveauer, hvem der har ansvaret for levering af en service og hvem, der skal "
            "finansiere den.",
            "KOMDIR vil bidrage til, at de mange komplicerede balancer i en frisættelsesproces, "
            "indgår som centrale parametre i debatten og implementeringsprocessen. KOMDIR vil "
            "medvirke med konkrete eksempler til, hvordan frisættelse kan implementeres på en "
            "måde, der fungerer for borgere, ansatte og lokalpolitikere.",
            "KOMDIR vil arbejde med, hvordan den borgernære velfærd kan udvikles gennem fx "
            "sammenhængende borgerforløb, frisættelse af kommunerne og partnerskaber med "
            "civilsamfundet.",
        ],
        "questions": [
            "Hvordan lykkedes vi som samfund med at fremtidssikre velfærdssamfundet i en "
            "situation med demografiske udfordringer og stigende forventningspres?",
            "Hvordan sikrer vi den lokaldemokratiske samtale og forankring om fremtidens "
            "velfærdssamfund og udvikling af borgernær velfærd?",
            "Hvordan bidrager vi til, at de mange komplicerede balancer i frisættelsen, indgår "
            "som centrale parametre i debatten og implementeringen?",
        ],
    },
    {
        "number": 2,
        "title": "Færre ressourcer til flere og mere komplekse opgaver",
        "slug": "faerre-ressourcer-flere-opgaver",
        "lead": (
            "KOMDIR arbejder for at finde løsninger på den udfordring, at vi har færre "
            "ressourcer til at løse flere og mere komplekse opgaver."
        ),
        "body": [
            "Kommunerne er udsat for et massivt forventningspres fra omverdenen, som står i "
            "modsætning til de aktuelle rekrutteringsudfordringer og de økonomiske rammer.",
            "Manglen på arbejdskraft og det faldende optag på professionsuddannelserne og andre "
            "uddannelser, der understøtter velfærdssamfundet, stiller krav til os om at "
            "gennemføre grundlæggende forandringer.",
            "Kommunale arbejdspladser er meningsfulde arbejdspladser, hvor der hver dag findes "
            "løsninger på de samfundsmæssige udfordringer. Det er arbejdspladser, hvor "
            "medarbejdere og ledere er en del af noget større, og hvor der er plads til faglig "
            "medbestemmelse i opgaveløsningen.",
        ],
        "questions": [
            "Hvordan tiltrækker og fastholder vi medarbejdere og ledere til kommunerne nu og i fremtiden?",
            "Hvordan kan de teknologiske og digitale løsninger indgå som en del af svaret, uden "
            "at kompromittere grundlæggende menneskelige værdier?",
            "Hvordan leder, styrer og organiserer vi levering af kommunale opgaver på en måde, "
            "som bidrager positivt på mulighederne for at rekruttere og fastholde medarbejdere?",
        ],
    },
    {
        "number": 3,
        "title": "Civilsamfund",
        "slug": "civilsamfund",
        "lead": "KOMDIR arbejder for at styrke samarbejdet mellem civilsamfundet og kommunerne.",
        "body": [
            "Danmark har en lang tradition med andelsbevægelse, arbejderbevægelse og højskoler, "
            "hvor vi som civilsamfund finder fælles løsninger. Civilsamfundet har vist en "
            "robusthed under samfundskriser.",
            "KOMDIR vil søge dialog og samarbejde med omverdenen om, hvad øget samarbejde mellem "
            "kommuner og civilsamfund dækker over, og hvad det kan være et svar på. KOMDIR ønsker "
            "at bidrage med et nuanceret og dækkende billede af, hvordan frivillige, foreninger "
            "og andre civilsamfundsaktører kan supplere den kommunale opgaveløsning. Det handler "
            "fx om at undersøge, hvad civilsamfundsaktiviteter er i sig selv, men også om "
            "styring og ledelse af samarbejdet.",
            "Kommunerne skal møde civilsamfundsaktører med tillid og respekt som kompetente "
            "samarbejdspartnere. Kommunerne må have opmærksomhed på ikke at overtage "
            "opgaveområder, som civilsamfundet varetager.",
            "Kommunerne kan gøre det nemmere for civilsamfundsaktører at udøve deres "
            "aktiviteter. Det kan undersøges, hvordan rammerne om det gode liv for borgerne i "
            "højere grad kan skabes sammen med civilsamfundsaktører.",
            "Kommunernes samarbejde med civilsamfundsaktører rejser en række dilemmaer og "
            "spændinger mellem de forskellige hensyn til ligebehandling, retssikkerhed, "
            "forsyningssikkerhed og politisk gennemsigtighed, som bør afdækkes nærmere for at "
            "sikre et stadig tættere samarbejde.",
        ],
        "questions": [
            "Hvilke civilsamfundsaktiviteter kan supplere de kommunale opgaver?",
            "Hvilke muligheder og udfordringer rejser et tættere samarbejde med civilsamfundsaktører?",
            "Hvordan kan vi medvirke til at videreudvikle operationelle modeller for "
            "samarbejdet, der kan bruges i den kommunale hverdag?",
        ],
    },
]

PAGES = [
    {
        "slug": "om-komdir",
        "title": "Om KOMDIR",
        "body": "\n\n".join(
            [
                "KOMDIR – Kommunaldirektørforeningen i Danmark – er foreningen for de kommunale "
                "topchefer i landets 98 kommuner.",
                PURPOSE_LEAD,
                *PURPOSE,
                "Medlemsportalen er stedet, hvor medlemmerne arbejder videre med foreningens "
                "fokusområder mellem møderne: deler konkrete eksempler fra egen kommune, "
                "drøfter de spørgsmål, foreningen er nysgerrig på, og følger arbejdet i de "
                "regionale kredse.",
            ]
        ),
    },
    {
        "slug": "privatlivspolitik",
        "title": "Privatlivspolitik",
        "body": (
            "KOMDIR er dataansvarlig for de oplysninger, medlemsportalen behandler.\n\n"
            "## Hvilke oplysninger vi behandler\n\n"
            "- Navn, e-mail, stillingsbetegnelse, kommune, niveau og eventuelt telefonnummer "
            "og en kort præsentation, som du selv skriver.\n"
            "- Det, du skriver i portalen: cases, kommentarer og referater, med tidligere "
            "versioner, så intet går tabt ved en redigering.\n"
            "- Tekniske oplysninger om log ind (tidspunkt, fejlede forsøg), så vi kan beskytte "
            "din konto. Vi gemmer aldrig adgangskoder i klartekst.\n\n"
            "## Hvorfor\n\n"
            "Oplysningerne bruges til at drive foreningens medlemsfællesskab (foreningens "
            "legitime interesse og medlemsaftalen). De deles ikke med andre, og de bruges ikke "
            "til markedsføring.\n\n"
            "## Hvem kan se hvad\n\n"
            "Offentlige sider kan ses af alle. Alt andet kan kun ses af medlemmer, og referater "
            'markeret "kun kredsen" kun af kredsens medlemmer.\n\n'
            "## Dine rettigheder\n\n"
            "Du kan få indsigt i, rette og slette dine oplysninger. Kontakt sekretariatet."
        ),
    },
    {
        "slug": "tilgaengelighedserklaering",
        "title": "Tilgængelighedserklæring",
        "body": (
            "KOMDIR ønsker, at medlemsportalen kan bruges af alle. Portalen er bygget på Det "
            "Fælles Designsystem og har som mål at overholde WCAG 2.1 niveau AA.\n\n"
            "## Sådan tester vi\n\n"
            "Portalens sider testes automatisk og manuelt for brug med tastatur, "
            "skærmlæser og på små skærme.\n\n"
            "## Kendte begrænsninger\n\n"
            "Vedhæftede filer, som medlemmerne selv uploader, kan være mindre tilgængelige end "
            "portalens egne sider.\n\n"
            "## Kontakt\n\n"
            "Oplever du problemer med tilgængeligheden, så skriv til sekretariatet. Du kan "
            "også klage til Digitaliseringsstyrelsen via digst.dk."
        ),
    },
]
