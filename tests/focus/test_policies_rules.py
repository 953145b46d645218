"""focus's policies: the page (can_view) and the list (visible) answer from one definition."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from focus import policies, services
from focus.models import Case, Comment
from tests.focus.conftest import make_case


@pytest.fixture
def every_case(member, other_member, secretariat, area):
    def hidden(case):
        return services.content_hide(obj=case, actor=secretariat, reason="Test")

    return {
        "public": make_case(member, area, title="Offentlig", public=True),
        "members": make_case(member, area, title="Medlemmer"),
        "draft": make_case(member, area, title="Kladde", publish=False),
        "hidden": hidden(make_case(member, area, title="Skjult", public=True)),
        "hidden draft": hidden(make_case(member, area, title="Skjult kladde", publish=False)),
        "secretariat's draft": make_case(secretariat, area, title="Sekretariatets kladde", publish=False),
        "secretariat's hidden draft": hidden(
            make_case(secretariat, area, title="Sekretariatets skjulte kladde", publish=False)
        ),
    }


@pytest.fixture
def every_comment(member, other_member, secretariat, area, question, every_case):
    def hidden(comment):
        return services.content_hide(obj=comment, actor=secretariat, reason="Test")

    on_area = services.comment_add(author=member, body="Om området", focus_area=area)
    hidden_top = hidden(services.comment_add(author=member, body="Skjult", focus_area=area))
    on_hidden_case = services.comment_add(author=member, body="Før skjul", case=every_case["members"])
    comments = {
        "area": on_area,
        "question": services.comment_add(author=other_member, body="Om spørgsmålet", question=question),
        "case": services.comment_add(author=member, body="Om casen", case=every_case["public"]),
        "reply": services.comment_add(author=other_member, body="Svar", parent=on_area),
        "hidden": hidden_top,
        "reply to hidden": services.comment_add(author=other_member, body="Svar til skjult", parent=on_area),
        "deleted": services.comment_delete(
            comment=services.comment_add(author=member, body="Slettet", focus_area=area), actor=member
        ),
        "on a case hidden later": on_hidden_case,
    }
    # A reply written before its parent was hidden.
    Comment.objects.filter(pk=comments["reply to hidden"].pk).update(parent=hidden_top)
    hidden(every_case["members"])
    return {name: Comment.objects.get(pk=c.pk) for name, c in comments.items()}


def _users(member, other_member, secretariat):
    return {
        "visitor": AnonymousUser(),
        "author": member,
        "other member": other_member,
        "secretariat": secretariat,
    }


@pytest.mark.django_db
def test_the_case_page_and_the_case_lists_agree_for_every_role(member, other_member, secretariat, every_case):
    for role, user in _users(member, other_member, secretariat).items():
        listed = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        for name, case in every_case.items():
            case = Case.objects.get(pk=case.pk)
            assert policies.cases.can_view(user, case) is (case.pk in listed), (role, name)


@pytest.mark.django_db
def test_the_secretariat_reads_its_own_hidden_draft_as_it_reads_all_hidden_cases(secretariat, every_case):
    case = every_case["secretariat's hidden draft"]
    assert policies.cases.can_view(secretariat, case)


@pytest.mark.django_db
def test_a_comment_and_the_discussions_agree_for_every_role(member, other_member, secretariat, every_comment):
    for role, user in _users(member, other_member, secretariat).items():
        listed = set(Comment.objects.visible_to(user).values_list("pk", flat=True))
        for name, comment in every_comment.items():
            comment = Comment.objects.get(pk=comment.pk)
            assert policies.comments.can_view(user, comment) is (comment.pk in listed), (role, name)
    members_see = set(Comment.objects.visible_to(other_member).values_list("pk", flat=True))
    hidden = {every_comment[name].pk for name in ("hidden", "reply to hidden", "on a case hidden later")}
    assert not members_see & hidden
    assert hidden <= set(Comment.objects.visible_to(secretariat).values_list("pk", flat=True))


@pytest.mark.django_db
def test_every_action_is_asked_by_name(member, secretariat, every_case):
    case = every_case["public"]
    assert policies.cases.can(member, "edit", case) and not policies.cases.can(secretariat, "edit", case)
    assert policies.cases.can(secretariat, "moderate", case) and not policies.cases.can(
        member, "moderate", case
    )
    assert policies.comments.can(member, "list") and not policies.comments.can(AnonymousUser(), "create")
    with pytest.raises(ValueError):
        policies.cases.can(member, "delete", case)


@pytest.mark.django_db
def test_areas_of_a_period_in_preparation_are_browsed_by_no_one_and_archived_ones_are_read_only(member, area):
    from focus.models import FocusArea, GuidingQuestion, PeriodStatus, StrategyPeriod
    from focus.services import area_save, period_save

    draft = period_save(period=StrategyPeriod(title="Næste", slug="naeste", start_year=2026, end_year=2028))
    new_area = area_save(
        area=FocusArea(period=draft, number=1, title="Nyt", slug="nyt", lead="Lead", body="Tekst")
    )
    GuidingQuestion.objects.create(focus_area=new_area, text="Hvad nu?")
    assert not policies.areas.can_view(member, new_area)
    assert new_area not in FocusArea.objects.browsable()
    assert not GuidingQuestion.objects.browsable().filter(focus_area=new_area).exists()
    assert GuidingQuestion.objects.browsable().filter(focus_area=area).exists()
    assert policies.areas.can_comment(member, area)
    StrategyPeriod.objects.filter(pk=area.period_id).update(status=PeriodStatus.ARCHIVED)
    area.refresh_from_db()
    area.period.refresh_from_db()
    assert policies.areas.can_view(member, area) and not policies.areas.can_comment(member, area)
    assert not policies.areas.can_comment(AnonymousUser(), FocusArea.objects.browsable().first())


@pytest.mark.django_db
def test_a_member_reads_their_own_reports_and_the_secretariat_all(
    member, other_member, secretariat, every_case
):
    report = services.report_create(reporter=member, reason="Forkert", case=every_case["public"])
    assert policies.reports.can_view(member, report) and not policies.reports.can_view(other_member, report)
    assert list(policies.reports.visible(secretariat)) == [report]
    assert not policies.reports.visible(AnonymousUser()).exists()
    assert policies.reports.can_resolve(secretariat, report) and not policies.reports.can_resolve(
        member, report
    )


@pytest.mark.django_db
def test_an_archived_periods_discussions_take_no_new_comments_even_past_the_pages(member, area, question):
    from focus.models import FocusArea, GuidingQuestion, PeriodStatus, StrategyPeriod

    StrategyPeriod.objects.filter(pk=area.period_id).update(status=PeriodStatus.ARCHIVED)
    with pytest.raises(services.PermissionDenied):
        services.comment_add(author=member, body="For sent", focus_area=FocusArea.objects.get(pk=area.pk))
    with pytest.raises(services.PermissionDenied):
        services.comment_add(
            author=member, body="For sent", question=GuidingQuestion.objects.get(pk=question.pk)
        )
    assert not Comment.objects.filter(body="For sent").exists()
