import io

import pytest

from circles.polls.models import Participation, Poll, Vote
from komdir.demo import circles as demo_circles
from komdir.demo import polls as demo
from komdir.demo.accounts import seed_accounts


@pytest.mark.django_db
def test_demo_polls_cover_open_closed_anonymous_and_circle_only_and_run_twice():
    seed_accounts(password="komdir-demo", totp_secret="JBSWY3DPEHPK3PXP")
    demo_circles.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    polls = list(Poll.objects.all())
    assert any(p.is_open and p.circle_id is None and not p.anonymous for p in polls)
    closed = [p for p in polls if p.is_closed]
    assert closed and all(p.anonymous and p.circle.slug == "nordjylland" for p in closed)
    assert Vote.objects.filter(poll__anonymous=True, voter__isnull=True).exists()
    assert any(p.meeting_id for p in polls)  # a poll before the general assembly
    # The demo member has something to vote in (and sees it on "Mit overblik").
    assert not Participation.objects.filter(user__email="medlem@komdir.test").exists()
    counts = (Poll.objects.count(), Vote.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (Poll.objects.count(), Vote.objects.count()) == counts
