"""Demo polls for `manage.py seed_demo`: an open named poll for all members (tied to the general
assembly), an open multiple-choice poll, and a closed anonymous proposal in Kreds Nordjylland.
Idempotent: a poll whose question exists is left alone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from circles.models import Circle, CircleMembership, Meeting, MeetingKind
from circles.polls import services
from circles.polls.models import Poll, PollKind, ResultsShown
from members.models import User

OPEN_QUESTION = "Hvilket fokusområde skal KOMDIR prioritere i udspillet til KL i foråret?"
MULTIPLE_QUESTION = "Hvilke emner vil du have på dagsordenen til generalforsamlingen?"
CLOSED_QUESTION = "Forslag: Kredsen holder næste møde sammen med Kreds Midtjylland"


def seed(*, stdout) -> None:
    secretariat = User.objects.filter(email="sekretariat@komdir.test").first()
    north = Circle.objects.filter(slug="nordjylland").first()
    lead = User.objects.filter(email="kredsformand@komdir.test").first()
    if secretariat is None or north is None or lead is None:
        stdout.write("polls: demokontiene mangler; springer demoafstemninger over.")
        return
    now = timezone.now()
    members = list(
        User.objects.filter(is_active=True, is_staff=False).exclude(email="medlem@komdir.test").order_by("pk")
    )
    created = 0
    if not Poll.objects.filter(question=OPEN_QUESTION).exists():
        poll = services.poll_create(
            actor=secretariat,
            question=OPEN_QUESTION,
            description=(
                "Sekretariatet samler et udspil om **frisættelse** til KL. Stem, og skriv gerne hvorfor."
            ),
            options=[
                "Borgernær velfærd og frisættelse",
                "Færre ressourcer til flere og mere komplekse opgaver",
                "Civilsamfund",
            ],
            opens_at=now,
            closes_at=now + timedelta(days=14),
            results_shown=ResultsShown.AFTER_VOTE,
        )
        for i, member in enumerate(members[:6]):
            options = list(poll.options.all())
            services.vote_cast(
                user=member,
                poll=poll,
                option_ids=[options[i % 2].pk],
                comment="Det er her, vi mærker presset.",
            )
        created += 1
    if not Poll.objects.filter(question=MULTIPLE_QUESTION).exists():
        assembly = Meeting.objects.filter(kind=MeetingKind.GENERAL_ASSEMBLY, starts_at__gt=now).first()
        services.poll_create(
            actor=secretariat,
            question=MULTIPLE_QUESTION,
            kind=PollKind.MULTIPLE,
            meeting=assembly,
            options=[
                "Rekruttering af ledere",
                "Frikommuneforsøg",
                "Samarbejde med civilsamfundet",
                "Digitalisering",
            ],
            opens_at=now,
            closes_at=now + timedelta(days=30),
            results_shown=ResultsShown.AFTER_CLOSE,
        )
        created += 1
    if not Poll.objects.filter(question=CLOSED_QUESTION).exists():
        poll = services.poll_create(
            actor=lead,
            circle=north,
            question=CLOSED_QUESTION,
            kind=PollKind.PROPOSAL,
            anonymous=True,
            description="Et fælles møde giver flere erfaringer på bordet – og længere transport.",
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=1),
        )
        voters = CircleMembership.objects.filter(circle=north, user__is_active=True, user__is_staff=False)
        options = list(poll.options.all())
        for i, membership in enumerate(voters.select_related("user").order_by("user_id")):
            if membership.user.email == "medlem2@komdir.test":
                continue  # the demo member can see a closed poll they did not vote in
            services.vote_cast(user=membership.user, poll=poll, option_ids=[options[i % 3].pk])
        services.poll_close(actor=lead, poll=poll)
        created += 1
    stdout.write(f"polls: {created} demoafstemninger oprettet.")
