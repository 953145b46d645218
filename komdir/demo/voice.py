"""Demo positions for `manage.py seed_demo`: a published position on the first question of focus
area 1, citing a public case (no consent needed), a members-only case (quoted anonymously, with
consent) and a member's comment (quoted by name, with consent); and a draft on the second
question in consultation with all members (and a temperature check on it), with a quote still
waiting for medlem@komdir.test's answer. Idempotent: a question that has a position is left alone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from circles.polls import services as poll_services
from circles.polls.models import PollKind
from focus.models import Case, Comment, FocusArea, GuidingQuestion
from focus.voice import services
from focus.voice.models import Collection, CollectionAudience, Consent, Consultation, Rule, RuleUse
from members.models import User

PUBLISHED_TITLE = "Kommunerne skal kunne starte med borgerens egne mål – ikke med visitationen"
PUBLISHED_BODY = (
    "KOMDIR mener, at den nære velfærd skal tage udgangspunkt i, hvad borgeren selv vil og kan. "
    "Når kommunerne starter med rehabilitering og fælles mål, klarer flere ældre sig selv længere.\n\n"
    "## Det kræver\n\n"
    "- frihed til at tilrettelægge forløb uden faste visitationskataloger\n"
    "- dokumentation, der følger borgerens mål, ikke ydelsen\n"
    "- tillid til medarbejdernes faglige dømmekraft\n\n"
    "Medlemmernes erfaringer viser, at det kan lade sig gøre inden for et stramt budget."
)
DRAFT_TITLE = "Lokaldemokratiet styrkes, når borgerne prioriterer med"
DRAFT_BODY = (
    "KOMDIR mener, at kommunerne bør invitere borgerne ind, når velfærden skal prioriteres: "
    "borgertopmøder og lokale råd giver bedre beslutninger og større forståelse for de svære valg.\n\n"
    "*Udkast – sekretariatet vil gerne høre medlemmernes erfaringer.*"
)


def seed(*, stdout) -> None:
    secretary = User.objects.filter(email="sekretariat@komdir.test").first()
    questions = list(
        GuidingQuestion.objects.filter(focus_area__number=1, focus_area__period__status="current").order_by(
            "order", "pk"
        )[:2]
    )
    if secretary is None or len(questions) < 2:
        stdout.write("voice: demokontiene eller spørgsmålene mangler; springer holdninger over.")
        return
    made = 0
    if not questions[0].positions.exists():
        _published(secretary, questions[0])
        made += 1
    if not questions[1].positions.exists():
        _consultation(secretary, questions[1])
        made += 1
    if not Consultation.objects.exists():
        _consultations(secretary)
        made += 2
    if not Collection.objects.exists():
        _collections(secretary)
        made += 2
    if not Rule.objects.exists():
        _rules(secretary)
        made += 1
    stdout.write(f"voice: {made} holdninger, høringer, eksempelsamlinger og regler oprettet.")


def _cite(secretary, position, *, case=None, comment=None, quote="", answer=None):
    citation = services.citation_add(
        actor=secretary, position=position, case=case, comment=comment, quote=quote
    )
    if answer is not None and citation.consent == Consent.ASKED:
        services.consent_answer(user=citation.member, citation=citation, answer=answer)
    return citation


def _published(secretary, question) -> None:
    position = services.position_create(
        actor=secretary, question=question, title=PUBLISHED_TITLE, body=PUBLISHED_BODY
    )
    public = Case.objects.filter(title="Hverdagsrehabilitering før visitation til hjemmepleje").first()
    members_only = Case.objects.filter(title="Frikommuneforsøg på beskæftigelsesområdet").first()
    comment = Comment.objects.filter(body__startswith="Vi har lagt statusmødet fast tirsdag morgen").first()
    if public:
        _cite(secretary, position, case=public, quote="Efter to år bruger færre borgere hjemmepleje")
    if members_only:
        _cite(
            secretary,
            position,
            case=members_only,
            quote="frisættelse kræver nye balancer: retssikkerhed, ensartethed og faglig dømmekraft",
            answer=Consent.ANONYMOUS,
        )
    if comment:
        _cite(
            secretary,
            position,
            comment=comment,
            quote="Vi har lagt statusmødet fast tirsdag morgen og skåret det ned til 30 minutter.",
            answer=Consent.NAMED,
        )
    services.position_publish(actor=secretary, position=position, version=position.version)


def _consultation(secretary, question) -> None:
    position = services.position_create(
        actor=secretary, question=question, title=DRAFT_TITLE, body=DRAFT_BODY
    )
    summit = Case.objects.filter(title="Borgertopmøde om fremtidens nære velfærd").first()
    comment = Comment.objects.filter(body__startswith="Jeg savner, at vi taler mere om").first()
    if summit:
        _cite(secretary, position, case=summit)
    if comment:
        _cite(
            secretary,
            position,
            comment=comment,
            quote="hvordan vi prioriterer åbent over for borgerne, når ressourcerne ikke rækker",
        )
    position = services.position_open(
        actor=secretary, position=position, until=timezone.now() + timedelta(days=14)
    )
    # A temperature check on the draft (circles.polls, above focus: the demo may use both).
    poll_services.poll_create(
        actor=secretary,
        question=f"Kan du støtte udkastet ”{position.title}”?",
        kind=PollKind.PROPOSAL,
        position=position,
        opens_at=timezone.now(),
        closes_at=position.comments_until,
    )


def _consultations(secretary) -> None:
    """An open consultation with a member's input, and a sent one with a published response."""
    today = timezone.localdate()
    areas = list(FocusArea.objects.filter(period__status="current").order_by("number"))
    open_one = services.consultation_create(
        actor=secretary,
        title="Udkast til lov om frisættelse af kommunernes ældrepleje",
        sender="Social- og Boligministeriet",
        hearing_url="https://hoeringsportalen.dk/",
        body=(
            "Lovforslaget fjerner en række proceskrav i serviceloven. "
            "**Hvilke krav giver størst gevinst at fjerne?**"
        ),
        external_deadline=today + timedelta(days=28),
        input_deadline=today + timedelta(days=14),
        focus_areas=areas[:1],
    )
    member = User.objects.filter(email="medlem2@komdir.test").first()
    if member is not None:
        services.consultation_input_add(
            author=member,
            consultation=open_one,
            body=(
                "Dokumentationskravene ved hver ydelse bør væk: "
                "de fylder en time om dagen for hver medarbejder."
            ),
        )
    sent = services.consultation_create(
        actor=secretary,
        title="Høring over strategi for rekruttering til velfærdsområderne",
        sender="KL",
        external_deadline=today - timedelta(days=10),
        input_deadline=today - timedelta(days=20),
        focus_areas=areas[1:2],
    )
    response = services.consultation_respond(actor=secretary, consultation=sent)
    services.position_update(
        actor=secretary,
        position=response,
        version=response.version,
        title=response.title,
        body=response.body
        + "\n\nKOMDIR støtter strategien og peger på faste elevkontrakter som et virksomt greb.",
    )
    response.refresh_from_db()
    services.position_publish(actor=secretary, position=response, version=response.version)
    services.consultation_mark_sent(actor=secretary, consultation=sent, sent_on=today - timedelta(days=11))


def _collections(secretary) -> None:
    """A public collection of public cases, and a members-only one that was sent to KL."""
    published = Case.objects.filter(status="published", hidden_at__isnull=True).order_by("pk")
    public = services.collection_create(
        actor=secretary,
        title="Frisættelse i praksis – eksempler fra kommunerne",
        audience=CollectionAudience.PUBLIC,
        intro="Eksempler på, hvordan kommunerne sætter **borgerens mål** før proceskravene.",
    )
    services.collection_add_cases(
        actor=secretary, collection=public, cases=list(published.filter(is_public=True)[:4])
    )
    services.collection_publish(actor=secretary, collection=public)
    members = services.collection_create(
        actor=secretary,
        title="Rekruttering på velfærdsområderne – til KL's arbejdsgruppe",
        audience=CollectionAudience.MEMBERS,
        intro="Samlet til KL's arbejdsgruppe om rekruttering. Kun for medlemmer.",
    )
    services.collection_add_cases(
        actor=secretary,
        collection=members,
        cases=list(published.filter(tags__name="rekruttering").distinct()[:5]),
    )
    services.collection_publish(actor=secretary, collection=members)
    services.collection_dispatch_add(
        actor=secretary,
        collection=members,
        recipient="KL's arbejdsgruppe om rekruttering",
        sent_on=timezone.localdate(),
    )


RULES = [
    ("Serviceloven", "§ 83", "Visitation til personlig og praktisk hjælp efter faste kriterier"),
    ("Serviceloven", "§ 88", "Dokumentation af hver ydelse"),
    ("Beskæftigelsesindsatsloven", "§ 22", "Lovbundne jobsamtaler med faste intervaller"),
    ("Dagtilbudsloven", "§ 8", "Pædagogiske læreplaner med faste temaer"),
]
# (case title, law, paragraph, use): the authors name the rules their cases want lifted.
CITED = [
    ("Hverdagsrehabilitering før visitation til hjemmepleje", "Serviceloven", "§ 83", RuleUse.LIFT),
    ("Hverdagsrehabilitering før visitation til hjemmepleje", "Serviceloven", "§ 88", RuleUse.LIFT),
    (
        "Frikommuneforsøg på beskæftigelsesområdet",
        "Beskæftigelsesindsatsloven",
        "§ 22",
        RuleUse.WORKED_AROUND,
    ),
    ("Skærmbesøg i hjemmeplejen – uden at miste nærværet", "Serviceloven", "§ 83", RuleUse.LIFT),
]


def _rules(secretary) -> None:
    for law, paragraph, description in RULES:
        services.rule_create(actor=secretary, law=law, paragraph=paragraph, description=description)
    for title, law, paragraph, use in CITED:
        case = Case.objects.filter(title=title).select_related("author").first()
        if case is not None:
            rule = Rule.objects.get(law=law, paragraph=paragraph)
            services.case_rule_add(actor=case.author, case=case, rule=rule, use=use)
    # One proposed by a member, waiting for the secretariat.
    case = (
        Case.objects.filter(title="Lederudviklingsprogram for nye dagtilbudsledere")
        .select_related("author")
        .first()
    )
    if case is not None:
        services.case_rule_add(actor=case.author, case=case, law="Dagtilbudsloven", paragraph="§ 7")
