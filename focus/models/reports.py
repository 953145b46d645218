"""Members' reports of a case or a comment to the secretariat."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from focus.models.cases import Case
from focus.models.comments import Comment


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports `user` may read (focus.policies.ReportPolicy)."""
        from focus.policies import reports  # the same app's policies: the rule lives there

        return reports.visible(user, self)

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
