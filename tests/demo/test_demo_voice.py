import io

import pytest
from django.test import Client

from circles.polls.models import Poll
from focus.voice.models import (
    Collection,
    Consent,
    Consultation,
    ConsultationInput,
    Position,
    PositionStatus,
    Rule,
)
from komdir.demo import contributions as demo_contributions
from komdir.demo import voice as demo
from komdir.demo.accounts import seed_accounts


@pytest.mark.django_db
def test_demo_has_positions_with_consented_quotes_a_draft_in_consultation_and_consultations():
    seed_accounts(password="komdir-demo", totp_secret="JBSWY3DPEHPK3PXP")
    demo_contributions.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    published = Position.objects.get(status=PositionStatus.PUBLISHED, consultation__isnull=True)
    consents = set(published.citations.values_list("consent", flat=True))
    assert {Consent.NAMED, Consent.ANONYMOUS, Consent.NOT_NEEDED} <= consents
    page = Client().get(published.get_absolute_url()).content.decode()
    assert "Vi har lagt statusmødet fast tirsdag morgen" in page  # consented, by name
    assert "en kommunaldirektør i" in page or "en direktør i" in page  # consented, anonymously
    draft = Position.objects.get(status=PositionStatus.DRAFT)
    assert draft.comments_open and draft.citations.filter(consent=Consent.ASKED).exists()
    assert Poll.objects.filter(position=draft).exists()
    statuses = {c.status for c in Consultation.objects.all()}
    assert statuses == {"open", "sent"}
    sent = Consultation.objects.get(sent_on__isnull=False)
    assert sent.response.is_published and ConsultationInput.objects.exists()
    public = Collection.objects.get(audience="public")
    assert public.is_published and public.items.count() >= 2
    assert all(item.case.is_public for item in public.items.all())
    assert Collection.objects.get(audience="members").dispatches.exists()
    assert Rule.objects.filter(confirmed=True, case_uses__isnull=False).exists()
    assert Rule.objects.filter(confirmed=False).exists()
    counts = (
        Position.objects.count(),
        Poll.objects.count(),
        Consultation.objects.count(),
        Collection.objects.count(),
    )
    demo.seed(stdout=io.StringIO())
    assert (
        Position.objects.count(),
        Poll.objects.count(),
        Consultation.objects.count(),
        Collection.objects.count(),
    ) == counts
