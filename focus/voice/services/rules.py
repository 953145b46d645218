"""Every write of the rules to lift: the secretariat keeps the list, a case's author names rules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from focus.models import Case
from focus.voice.models import CaseRule, Rule, RuleUse
from focus.voice.policies import rules as policy
from members.models import User


def _normal(law: str, paragraph: str) -> tuple[str, str]:
    law = " ".join(law.split())
    paragraph = " ".join(paragraph.replace("§", "§ ").split())
    if not law or not paragraph:
        raise ValidationError(
            _("Skriv både loven og paragraffen, fx Serviceloven og § 83."), code="incomplete"
        )
    return law[:1].upper() + law[1:], paragraph


@transaction.atomic
def rule_create(*, actor: User, law: str, paragraph: str, description: str = "") -> Rule:
    """The secretariat adds a rule to the list (confirmed); one that is there already is confirmed."""
    if not policy.can_create(actor):
        raise PermissionDenied
    law, paragraph = _normal(law, paragraph)
    rule, created = Rule.objects.get_or_create(
        law=law, paragraph=paragraph, defaults={"description": description.strip(), "confirmed": True}
    )
    if not created and not rule.confirmed:
        rule.confirmed = True
        rule.save(update_fields=["confirmed"])
    return rule


@transaction.atomic
def rule_confirm(*, actor: User, rule: Rule) -> Rule:
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if not policy.can_confirm(actor, rule):
        raise PermissionDenied
    rule.confirmed = True
    rule.save(update_fields=["confirmed"])
    return rule


@transaction.atomic
def case_rule_add(
    *,
    actor: User,
    case: Case,
    rule: Rule | None = None,
    law: str = "",
    paragraph: str = "",
    use: str = RuleUse.LIFT,
) -> CaseRule:
    """The case's author names a rule from the list, or proposes one (law and paragraph) for the
    secretariat to confirm; a proposed rule counts on the list once it is confirmed."""
    case = Case.objects.get(pk=case.pk)
    if not policy.can_cite(actor, case):
        raise PermissionDenied
    if use not in RuleUse.values:
        raise ValidationError(_("Vælg, om casen vil have reglen løftet eller har arbejdet uden om den."))
    if rule is None:
        law, paragraph = _normal(law, paragraph)
        rule, _created = Rule.objects.get_or_create(
            law=law, paragraph=paragraph, defaults={"proposed_by": actor}
        )
    elif not policy.can_view(actor, rule):
        raise PermissionDenied
    try:
        with transaction.atomic():
            return CaseRule.objects.create(case=case, rule=rule, use=use)
    except IntegrityError:
        raise ValidationError(_("Reglen er allerede nævnt i casen."), code="twice") from None


@transaction.atomic
def case_rule_remove(*, actor: User, case: Case, rule: Rule) -> None:
    if not policy.can_cite(actor, Case.objects.get(pk=case.pk)):
        raise PermissionDenied
    CaseRule.objects.filter(case=case, rule=rule).delete()
