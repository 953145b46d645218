from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from members.policies import is_member, is_secretariat


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("Under forberedelse")
    CURRENT = "current", _("Gældende")
    ARCHIVED = "archived", _("Arkiveret")


class StrategyPeriodQuerySet(models.QuerySet):
    def browsable(self):
        return self.exclude(status=PeriodStatus.DRAFT)

    def current(self):
        return self.filter(status=PeriodStatus.CURRENT)


class StrategyPeriod(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=60, unique=True)
    start_year = models.PositiveSmallIntegerField(_("første år"))
    end_year = models.PositiveSmallIntegerField(_("sidste år"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    intro = models.TextField(_("indledning (Markdown)"), blank=True)
    intro_html = models.TextField(editable=False, blank=True)

    objects = StrategyPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategiperiode")
        verbose_name_plural = _("strategiperioder")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="current"),
                name="one_current_strategy_period",
                violation_error_message=_("Der kan kun være én gældende periode."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="period_ends_after_it_starts",
                violation_error_message=_("Sidste år skal være samme år som eller efter første år."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("focus:period_detail", kwargs={"period_slug": self.slug})

    @property
    def is_current(self) -> bool:
        return self.status == PeriodStatus.CURRENT

    @property
    def is_archived(self) -> bool:
        return self.status == PeriodStatus.ARCHIVED


class FocusArea(models.Model):
    period = models.ForeignKey(
        StrategyPeriod, on_delete=models.PROTECT, related_name="areas", verbose_name=_("periode")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=80)
    lead = models.TextField(_("indledende sætning"))
    body = models.TextField(_("brødtekst (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområder")
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="unique_area_number"),
            models.UniqueConstraint(fields=["period", "slug"], name="unique_area_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "focus:area_detail",
            kwargs={"period_slug": self.period.slug, "area_slug": self.slug},
        )


class GuidingQuestion(models.Model):
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="questions", verbose_name=_("fokusområde")
    )
    text = models.TextField(_("spørgsmål"))
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("vejledende spørgsmål")
        verbose_name_plural = _("vejledende spørgsmål")
        ordering = ["focus_area", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return f"{self.focus_area.get_absolute_url()}#spoergsmaal-{self.pk}"


class SitePage(models.Model):
    """Texts the secretariat edits in admin: about, privacy, accessibility statement."""

    slug = models.SlugField(_("kortnavn"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    class Meta:
        verbose_name = _("side")
        verbose_name_plural = _("sider")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("focus:page", kwargs={"slug": self.slug})


# --- Member contributions: cases, comments, reports -----------------------------------------


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    PUBLISHED = "published", _("Offentliggjort")


def viewer_kind(user) -> str:
    if is_secretariat(user):
        return "secretariat"
    if is_member(user):
        return "member"
    return "visitor"


class CaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaseStatus.PUBLISHED)

    def not_hidden(self):
        return self.filter(hidden_at__isnull=True)

    def visible_to(self, user):
        """Cases `user` may read: the single source for every page, list and feed.

        visitor: published, public, not hidden; member: published and not hidden, plus own
        drafts; secretariat: published including hidden (marked in the page), plus own drafts.
        Other people's drafts are private to their author for everyone.
        """
        kind = viewer_kind(user)
        if kind == "visitor":
            return self.filter(status=CaseStatus.PUBLISHED, is_public=True, hidden_at__isnull=True)
        # As can_view_case: a hidden draft is read by nobody, not even by an author on the secretariat.
        own_draft = Q(status=CaseStatus.DRAFT, author=user, hidden_at__isnull=True)
        if kind == "secretariat":
            return self.filter(Q(status=CaseStatus.PUBLISHED) | own_draft)
        return self.filter(
            Q(status=CaseStatus.PUBLISHED, hidden_at__isnull=True) | (own_draft & Q(hidden_at__isnull=True))
        )


class Moderated(models.Model):
    """What the secretariat's moderation sets on a case or a comment (focus.services
    content_hide / content_restore): hidden content leaves every page for members."""

    hidden_at = models.DateTimeField(_("skjult"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skjult af"),
    )
    hidden_reason = models.TextField(_("begrundelse for skjul/genskab"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Case(Moderated):
    """A concrete example from a member's municipality, tied to a focus area."""

    # A draft may be only a title; a published case has its area, summary and body (constraint).
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("fokusområde"),
    )
    questions = models.ManyToManyField(
        GuidingQuestion,
        blank=True,
        related_name="cases",
        verbose_name=_("vejledende spørgsmål, casen svarer på"),
    )
    author = models.ForeignKey(
        "members.User", on_delete=models.PROTECT, related_name="cases", verbose_name=_("forfatter")
    )
    # Copied from the author's profile when the case is written: a later move to another
    # municipality must not change where the example came from.
    municipality = models.ForeignKey(
        "members.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("kommune"),
    )
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=80)
    summary = models.TextField(_("kort resumé"), max_length=600, blank=True)
    body = models.TextField(_("tekst (Markdown)"), max_length=50000, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    tags = TaggableManager(_("emneord"), blank=True, related_name="cases")
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    is_public = models.BooleanField(_("må vises offentligt"), default=False)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Comments neither deleted nor hidden, kept by focus.services (case_comments_recount) so
    # "most discussed" sorts on a column instead of counting 100,000 comments per request.
    comment_count = models.PositiveIntegerField(_("antal kommentarer"), default=0, editable=False)
    # A random value from the create form (see Comment.submission_token): the same form sent
    # twice (a double click, back and send again) makes one case.
    submission_token = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="case_status_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_case_has_published_at",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(focus_area__isnull=False) & ~Q(summary="") & ~Q(body="")),
                name="published_case_is_complete",
                violation_error_message=_(
                    "Før casen kan offentliggøres, skal den have et fokusområde, "
                    "et kort resumé og en beskrivelse."
                ),
            ),
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=~Q(submission_token=""),
                name="case_unique_submission",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("focus:case_detail", kwargs={"pk": self.pk, "slug": self.slug or "case"})

    @property
    def is_draft(self) -> bool:
        return self.status == CaseStatus.DRAFT


class CaseRevision(models.Model):
    """A case as it was before an edit: nothing a member wrote is lost by editing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("case"))
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("kort resumé"))
    body = models.TextField(_("tekst (Markdown)"))
    tag_names = models.TextField(_("emneord"), blank=True)
    is_public = models.BooleanField(_("må vises offentligt"), default=False)
    edited_by = models.ForeignKey(
        "members.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("rettet af")
    )
    created_at = models.DateTimeField(_("gemt"), default=timezone.now)

    class Meta:
        verbose_name = _("tidligere version af case")
        verbose_name_plural = _("tidligere versioner af cases")
        ordering = ["case", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments `user` may read. Soft-deleted comments stay in (threads show a placeholder).

        Visitors read no comments. Members read comments that are not hidden, on areas,
        questions and on cases they may read; the secretariat also reads hidden ones.
        """
        kind = viewer_kind(user)
        if kind == "visitor":
            return self.none()
        on_readable_case = Q(case__isnull=True) | Q(case__status=CaseStatus.PUBLISHED)
        if kind == "secretariat":
            return self.filter(on_readable_case)
        return self.filter(
            Q(hidden_at__isnull=True)
            & (Q(case__isnull=True) | Q(case__status=CaseStatus.PUBLISHED, case__hidden_at__isnull=True))
            & (Q(parent__isnull=True) | Q(parent__hidden_at__isnull=True))
        )

    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)


class Comment(Moderated):
    """A comment on a focus area, on one of its guiding questions or on a case.

    `focus_area` is always set (the area the discussion belongs to), so an area page reads
    its whole discussion in one query; at most one of `question` and `case` narrows it.
    """

    author = models.ForeignKey(
        "members.User", on_delete=models.PROTECT, related_name="comments", verbose_name=_("forfatter")
    )
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="comments", verbose_name=_("fokusområde")
    )
    question = models.ForeignKey(
        GuidingQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("vejledende spørgsmål"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="comments", verbose_name=_("case")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("svar på"),
    )
    body = models.TextField(_("kommentar (Markdown)"), max_length=10000)
    body_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    edited_at = models.DateTimeField(_("redigeret"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("slettet"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # A random value from the comment form: a double-clicked submit sends it twice, and the
    # unique constraint below lets only one comment exist for it.
    submission_token = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="comment_case_idx"),
            models.Index(fields=["focus_area", "created_at"], name="comment_area_idx"),
            # The home page's newest comments (issue 9: a backward scan instead of a sort of all).
            models.Index(fields=["-created_at", "-id"], name="comment_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=True) | Q(case__isnull=True),
                name="comment_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=~Q(submission_token=""),
                name="comment_unique_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:50]}"

    def get_absolute_url(self) -> str:
        # Long discussions are paged, so the lasting address is a permalink that finds the page.
        return reverse("focus:comment_permalink", kwargs={"pk": self.pk})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class CommentRevision(models.Model):
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("kommentar")
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("kommentar (Markdown)"))
    created_at = models.DateTimeField(_("gemt"), default=timezone.now)

    class Meta:
        verbose_name = _("tidligere version af kommentar")
        verbose_name_plural = _("tidligere versioner af kommentarer")
        ordering = ["comment", "-version"]

    def __str__(self) -> str:
        return f"{self.comment_id} v{self.version}"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    """A member's report of a case or a comment to the secretariat."""

    reporter = models.ForeignKey(
        "members.User", on_delete=models.PROTECT, related_name="reports", verbose_name=_("indberettet af")
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="reports", verbose_name=_("case")
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("kommentar"),
    )
    reason = models.TextField(_("begrundelse"), max_length=2000)
    created_at = models.DateTimeField(_("indberettet"), default=timezone.now)
    resolved_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afsluttet af"),
    )
    resolution = models.TextField(_("sekretariatets bemærkning"), blank=True)
    # A random value from the create form (see Comment.submission_token): the same form sent
    # twice (a double click, back and send again) makes one report.
    submission_token = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("indberetning")
        verbose_name_plural = _("indberetninger")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(comment__isnull=True))
                | (Q(case__isnull=True) & Q(comment__isnull=False)),
                name="report_has_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "submission_token"],
                condition=~Q(submission_token=""),
                name="report_unique_submission",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Indberetning %(pk)s") % {"pk": self.pk}

    @property
    def target(self):
        return self.case if self.case_id else self.comment

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
