import io

import pytest

from circles.decisions.models import ActionItem, Decision
from circles.models import MeetingNote
from komdir.demo import circles as demo_circles
from komdir.demo import decisions as demo
from komdir.demo.accounts import seed_accounts


@pytest.mark.django_db
def test_demo_has_an_approved_note_with_decisions_and_open_actions_and_a_shared_draft():
    seed_accounts(password="komdir-demo", totp_secret="JBSWY3DPEHPK3PXP")
    demo_circles.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    approved = MeetingNote.objects.get(decisions__isnull=False, decisions__pk=Decision.objects.first().pk)
    assert approved.is_published and approved.approved_by.email == "kredsformand@komdir.test"
    open_actions = ActionItem.objects.filter(status="open")
    assert open_actions.filter(owner__email="medlem2@komdir.test").exists()
    assert any(a.is_overdue for a in open_actions)
    assert MeetingNote.objects.filter(status="draft", shared_until__isnull=False).exists()
    counts = (Decision.objects.count(), ActionItem.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (Decision.objects.count(), ActionItem.objects.count()) == counts
