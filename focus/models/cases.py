"""Cases: members' concrete examples from their municipalities, and their earlier versions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from focus.models.moderation import Moderated
from focus.models.strategy import FocusArea, GuidingQuestion


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    PUBLISHED = "published", _("Offentliggjort")


class CaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaseStatus.PUBLISHED)

    def not_hidden(self):
        return self.filter(hidden_at__isnull=True)

    def visible_to(self, user):
        """Cases `user` may read: the single source for every page, list and feed."""
        from focus.policies import cases  # the same app's policies: the rule lives there

        return cases.visible(user, self)


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
            # The case lists' counts, filters and pages read this index alone (an index-only
            # scan), not the table with every case's text: it holds each column the viewer's
            # visibility, the filters and both sort orders need.
            models.Index(
                fields=["status", "-published_at", "-id"],
                include=["hidden_at", "author", "is_public", "focus_area", "municipality", "comment_count"],
                name="case_listing_idx",
            ),
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
