"""Positions ("KOMDIR mener"), their saved texts, their sources and the consent to quote."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focus.models import Case, Comment, GuidingQuestion
from komdir.lib.dates import last_day
from members.models import Region


class PositionStatus(models.TextChoices):
    DRAFT = "draft", _("Udkast")
    PUBLISHED = "published", _("Offentliggjort")
    ARCHIVED = "archived", _("Afløst")


class PositionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PositionStatus.PUBLISHED)

    def visible_to(self, user):
        from focus.voice.policies import positions  # the same app's policies: the rule lives there

        return positions.visible(user, self)


class Position(models.Model):
    """KOMDIR's answer to a guiding question; or, with `consultation`, KOMDIR's response to a
    consultation (høringssvar), written, cited, consulted on and approved the same way."""

    question = models.ForeignKey(
        GuidingQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("spørgsmål"),
    )
    consultation = models.OneToOneField(
        "voice.Consultation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("høring"),
    )
    title = models.CharField(_("overskrift"), max_length=200)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=90, unique=True)
    body = models.TextField(_("holdning (Markdown)"), max_length=30000)
    status = models.CharField(
        _("status"), max_length=10, choices=PositionStatus.choices, default=PositionStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Consultation of the members before publishing: open while `comments_until` lies ahead, to
    # all members, or to those of one region (a circle's area) when `audience_region` is set.
    comments_until = models.DateTimeField(_("medlemmerne kan kommentere til"), null=True, blank=True)
    audience_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kun medlemmer i"),
    )
    # What the public reads: the title and text as they were approved.
    published_title = models.CharField(_("offentliggjort overskrift"), max_length=200, blank=True)
    published_body = models.TextField(_("offentliggjort tekst"), blank=True)
    published_version = models.PositiveIntegerField(_("offentliggjort version"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkendt af"),
    )
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("holdning")
        verbose_name_plural = _("holdninger")
        ordering = ["-published_at", "-created_at", "pk"]
        constraints = [
            # One answer per question stands at a time: publishing a new one retires the old.
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(status="published"),
                name="voice_one_published_position_per_question",
                violation_error_message=_("Der er allerede en offentliggjort holdning til spørgsmålet."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="voice_published_position_has_date",
            ),
            models.CheckConstraint(
                condition=Q(question__isnull=False) | Q(consultation__isnull=False),
                name="voice_position_answers_a_question_or_a_consultation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:position_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == PositionStatus.PUBLISHED

    @property
    def has_public_version(self) -> bool:
        """Published, or published and since retired (its address keeps working)."""
        return self.status in (PositionStatus.PUBLISHED, PositionStatus.ARCHIVED)

    @property
    def is_draft(self) -> bool:
        return self.status == PositionStatus.DRAFT

    @property
    def is_open_to_members(self) -> bool:
        """Opened to members for comments (the window may have passed: it stays readable)."""
        return self.is_draft and self.comments_until is not None

    @property
    def comments_open(self) -> bool:
        return self.is_open_to_members and timezone.now() < self.comments_until

    @property
    def comments_last_day(self):
        return last_day(self.comments_until)


class PositionRevision(models.Model):
    """Every saved text of a position, so drafts can be compared and nothing is lost."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("holdning")
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("overskrift"), max_length=200)
    body = models.TextField(_("tekst"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gemt"), default=timezone.now)

    class Meta:
        verbose_name = _("version af holdning")
        verbose_name_plural = _("versioner af holdninger")
        ordering = ["position", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["position", "version"], name="voice_revision_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.position} v{self.version}"


class Consent(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Kræver ikke samtykke")
    ASKED = "asked", _("Afventer svar")
    NAMED = "named", _("Ja, med navn")
    ANONYMOUS = "anonymous", _("Ja, anonymt")
    REFUSED = "refused", _("Nej")


GIVEN = (Consent.NAMED, Consent.ANONYMOUS)


class Citation(models.Model):
    """A case or a comment a position rests on, with an optional quote of the member's words.

    A quote from a comment or from a members-only case needs the member's consent before any
    public output shows it (`consent`); a members-only case's own title and text never do."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="citations", verbose_name=_("holdning")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("case"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("kommentar"),
    )
    input = models.ForeignKey(
        "voice.ConsultationInput",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("input til høring"),
    )
    quote = models.TextField(_("citat"), max_length=1500, blank=True)
    # Whose words they are (the case's or comment's author), kept so the consent stays theirs.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quote_requests",
        verbose_name=_("medlem"),
    )
    consent = models.CharField(
        _("samtykke"), max_length=12, choices=Consent.choices, default=Consent.NOT_NEEDED
    )
    asked_at = models.DateTimeField(_("spurgt"), null=True, blank=True)
    answered_at = models.DateTimeField(_("besvaret"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("kilde")
        verbose_name_plural = _("kilder")
        ordering = ["position", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(comment__isnull=True) & Q(input__isnull=True))
                | (Q(case__isnull=True) & Q(comment__isnull=False) & Q(input__isnull=True))
                | (Q(case__isnull=True) & Q(comment__isnull=True) & Q(input__isnull=False)),
                name="voice_citation_cites_one_thing",
            ),
            # A source is cited once per position (a double click, two tabs).
            *(
                models.UniqueConstraint(
                    fields=["position", name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"voice_citation_one_{name}_per_position",
                    violation_error_message=_("Kilden er allerede valgt."),
                )
                for name in ("case", "comment", "input")
            ),
        ]
        indexes = [models.Index(fields=["member", "consent"], name="voice_citation_member_idx")]

    def __str__(self) -> str:
        return self.quote[:80] or str(self.case or self.comment)

    def get_absolute_url(self) -> str:
        return reverse("voice:consent", kwargs={"pk": self.pk})

    @property
    def source(self):
        """The case, comment or consultation input cited."""
        if self.case_id:
            return self.case
        return self.comment if self.comment_id else self.input

    @property
    def consent_given(self) -> bool:
        return self.consent in GIVEN


class PositionComment(models.Model):
    """A member's comment on a draft opened to the members."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="member_comments", verbose_name=_("holdning")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("kommentar"), max_length=4000)
    created_at = models.DateTimeField(_("skrevet"), default=timezone.now)

    class Meta:
        verbose_name = _("kommentar til udkast til holdning")
        verbose_name_plural = _("kommentarer til udkast til holdninger")
        ordering = ["position", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]
