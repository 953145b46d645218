"""Polls: a question for all members or one circle, its options, who took part and the votes.

An anonymous poll never stores who voted what. Who took part (`Participation`, so that each
member votes once) and what was voted (`Vote`, `VoteChoice`) are kept apart: an anonymous vote
has no voter, no time and a random key, so neither a column nor the order of the keys leads from
a vote back to a member.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Meeting


class PollKind(models.TextChoices):
    SINGLE = "single", _("Ét svar")
    MULTIPLE = "multiple", _("Flere svar")
    PROPOSAL = "proposal", _("Forslag: enig, afventer, uenig eller blokerer")


class ResultsShown(models.TextChoices):
    AFTER_VOTE = "after_vote", _("Når man har stemt")
    AFTER_CLOSE = "after_close", _("Først når afstemningen er lukket")


# A proposal's answers (Loomio's), in this order.
PROPOSAL_OPTIONS = (_("Enig"), _("Afventer"), _("Uenig"), _("Blokerer"))


class PollStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Åbner senere")
    OPEN = "open", _("Åben")
    CLOSED = "closed", _("Lukket")


class PollQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())

    def visible_to(self, user):
        from circles.polls.policies import polls  # the same app's policy, which imports these models

        return polls.visible(user, self)


class Poll(models.Model):
    """A question put to all members (`circle` empty) or to one circle's members."""

    circle = models.ForeignKey(
        Circle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("kreds"),
        help_text=_("Tom: alle medlemmer kan stemme."),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("møde"),
    )
    # A temperature check on a draft of KOMDIR's position, in consultation with all members.
    position = models.ForeignKey(
        "voice.Position",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("udkast til holdning"),
    )
    question = models.CharField(_("spørgsmål"), max_length=300)
    description = models.TextField(_("baggrund (Markdown)"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=PollKind.choices, default=PollKind.SINGLE)
    anonymous = models.BooleanField(
        _("hemmelig afstemning"),
        default=False,
        help_text=_("Ingen kan se, hvem der har stemt hvad – heller ikke sekretariatet."),
    )
    results_shown = models.CharField(
        _("resultatet vises"), max_length=12, choices=ResultsShown.choices, default=ResultsShown.AFTER_VOTE
    )
    opens_at = models.DateTimeField(_("åbner"))
    closes_at = models.DateTimeField(_("lukker"))
    closed_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("lukket før tid af"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)
    # One value per rendered form: the same form sent twice makes one poll.
    submission_token = models.CharField(max_length=64, blank=True, editable=False)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("afstemning")
        verbose_name_plural = _("afstemninger")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="poll_closes_after_it_opens"
            ),
            models.UniqueConstraint(
                fields=["created_by", "submission_token"],
                condition=~models.Q(submission_token=""),
                name="one_poll_per_submission",
            ),
        ]
        indexes = [models.Index(fields=["closes_at", "opens_at"], name="poll_open_idx")]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("polls:poll_detail", kwargs={"pk": self.pk})

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return PollStatus.UPCOMING
        if now < self.closes_at:
            return PollStatus.OPEN
        return PollStatus.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status() == PollStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status() == PollStatus.CLOSED

    @property
    def status_label(self) -> str:
        return PollStatus(self.status()).label

    @property
    def allows_several(self) -> bool:
        return self.kind == PollKind.MULTIPLE


class PollOption(models.Model):
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="options", verbose_name=_("afstemning")
    )
    label = models.CharField(_("svarmulighed"), max_length=200)
    position = models.PositiveSmallIntegerField(_("placering"), default=0)

    class Meta:
        verbose_name = _("svarmulighed")
        verbose_name_plural = _("svarmuligheder")
        ordering = ["poll", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """That a member has voted (one row per member and poll); in an anonymous poll all that is known."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(_("stemt"), default=timezone.now)

    class Meta:
        verbose_name = _("deltagelse")
        verbose_name_plural = _("deltagelser")
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.poll_id}"


class Vote(models.Model):
    """What was voted. Named polls: `voter` and times. Anonymous polls: neither, and a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stemt af"),
    )
    comment = models.TextField(_("kommentar"), blank=True)
    cast_at = models.DateTimeField(_("stemt"), null=True, blank=True)
    changed_at = models.DateTimeField(_("ændret"), null=True, blank=True)
    options = models.ManyToManyField(PollOption, through="VoteChoice", related_name="votes")

    class Meta:
        verbose_name = _("stemme")
        verbose_name_plural = _("stemmer")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "voter"],
                condition=models.Q(voter__isnull=False),
                name="one_named_vote_per_member",
            )
        ]

    def __str__(self) -> str:
        return str(self.pk)


class VoteChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "option"], name="one_choice_per_option")]

    def __str__(self) -> str:
        return str(self.pk)
