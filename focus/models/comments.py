"""Comments on focus areas, guiding questions and cases, and their earlier versions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focus.models.cases import Case
from focus.models.moderation import Moderated
from focus.models.strategy import FocusArea, GuidingQuestion


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments `user` may read (focus.policies.CommentPolicy)."""
        from focus.policies import comments  # the same app's policies: the rule lives there

        return comments.visible(user, self)

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
            # The threads of an area's or a question's own discussion, oldest or newest first.
            models.Index(
                fields=["focus_area", "question", "created_at"],
                condition=Q(case__isnull=True, parent__isnull=True),
                name="comment_discussion_idx",
            ),
            # A member's newest comments (the profile page).
            models.Index(fields=["author", "-created_at", "-id"], name="comment_author_newest_idx"),
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
