"""Services for member contributions: history, soft deletion, snapshots, hooks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from focus import services
from focus.models import Case, CaseRevision, CaseStatus, Comment, CommentRevision, FocusArea, Report
from komdir.lib import events
from members.models import Municipality
from tests.focus.conftest import make_case


@pytest.mark.django_db
def test_case_keeps_the_authors_municipality_as_it_was_when_posted(member, area):
    case = make_case(member, area)
    assert case.municipality.name == "København"
    member.profile.municipality = Municipality.objects.get(name="Aarhus")
    member.profile.save()
    case.refresh_from_db()
    assert case.municipality.name == "København"


@pytest.mark.django_db
def test_case_markdown_is_rendered_once_on_write(member, area):
    case = make_case(member, area, body="Se [link](javascript:alert(1)) og **fed**")
    assert "<strong>fed</strong>" in case.body_html
    assert 'href="javascript' not in case.body_html and "<a" not in case.body_html


@pytest.mark.django_db
def test_editing_a_case_keeps_the_previous_version(member, area, question):
    case = make_case(member, area, title="Første titel", body="Første tekst", tags=["a", "b"])
    services.case_update(
        case=case,
        editor=member,
        focus_area=area,
        title="Anden titel",
        summary="Nyt resumé",
        body="Anden tekst",
        questions=[question],
        tags=["c"],
        is_public=True,
    )
    case.refresh_from_db()
    assert case.title == "Anden titel" and case.version == 2 and case.is_public
    revision = CaseRevision.objects.get(case=case)
    assert (revision.title, revision.body, revision.version, revision.tag_names) == (
        "Første titel",
        "Første tekst",
        1,
        "a, b",
    )
    assert list(case.tags.names()) == ["c"]


@pytest.mark.django_db
def test_questions_must_belong_to_the_cases_area(member, area):
    other_area = FocusArea.objects.get(period__status="current", number=2)
    with pytest.raises(ValidationError):
        make_case(member, area, questions=[other_area.questions.first()])
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_publishing_a_draft_sets_the_publication_time(member, area):
    case = make_case(member, area, publish=False)
    assert case.status == CaseStatus.DRAFT and case.published_at is None
    case = services.case_publish(case=case, actor=member)
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None


@pytest.mark.django_db
def test_published_case_without_publication_time_is_refused_by_the_database(member, area):
    case = make_case(member, area)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(published_at=None)


@pytest.mark.django_db
def test_comment_edit_keeps_history_and_marks_the_comment_edited(member, public_case):
    comment = services.comment_add(author=member, body="Før", case=public_case)
    assert not comment.is_edited
    comment = services.comment_edit(comment=comment, editor=member, body="Efter")
    assert comment.is_edited and comment.version == 2
    assert CommentRevision.objects.get(comment=comment).body == "Før"


@pytest.mark.django_db
def test_comment_delete_is_soft_and_replies_stay(member, other_member, public_case, client):
    top = services.comment_add(author=member, body="Hemmeligt indhold der slettes", case=public_case)
    services.comment_add(author=other_member, body="Et svar der bliver", parent=top)
    services.comment_delete(comment=top, actor=member)
    top.refresh_from_db()
    assert top.is_deleted and top.body == "Hemmeligt indhold der slettes"
    client.force_login(other_member)
    html = client.get(public_case.get_absolute_url()).content.decode()
    assert "Kommentaren er slettet" in html
    assert "Hemmeligt indhold der slettes" not in html
    assert "Et svar der bliver" in html


@pytest.mark.django_db
def test_replies_are_one_level_deep(member, other_member, public_case):
    top = services.comment_add(author=member, body="Top", case=public_case)
    reply = services.comment_add(author=other_member, body="Svar", parent=top)
    assert reply.case_id == public_case.pk and reply.parent_id == top.pk
    with pytest.raises(services.PermissionDenied):
        services.comment_add(author=member, body="Svar på svar", parent=reply)


@pytest.mark.django_db
def test_a_comment_cannot_be_on_both_a_question_and_a_case(member, public_case, question):
    comment = services.comment_add(author=member, body="x", case=public_case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(question=question)


@pytest.mark.django_db
def test_hide_and_restore_need_a_reason_and_resolve_closes_the_report(member, secretariat, public_case):
    report = services.report_create(reporter=member, case=public_case, reason="Forkert")
    with pytest.raises(ValidationError):
        services.content_hide(obj=public_case, actor=secretariat, reason="  ")
    case = services.content_hide(obj=public_case, actor=secretariat, reason="Undersøges")
    assert case.is_hidden and case.hidden_by == secretariat
    case = services.content_restore(obj=case, actor=secretariat, reason="I orden")
    assert not case.is_hidden and case.hidden_reason == "I orden"
    report = services.report_resolve(report=report, actor=secretariat, resolution="Set")
    assert not report.is_open
    assert Report.objects.open().count() == 0


@pytest.mark.django_db(transaction=True)
def test_events_reach_subscribers_only_after_commit(member, area):
    seen = []
    with events.subscribed_temporarily("focus.case_published", lambda case: seen.append(case.title)):
        with transaction.atomic():
            make_case(member, area, title="Med hook")
            assert seen == []
        assert seen == ["Med hook"]
        with pytest.raises(RuntimeError), transaction.atomic():
            make_case(member, area, title="Rulles tilbage")
            raise RuntimeError
        assert seen == ["Med hook"]
    make_case(member, area, title="Efter afmelding")
    assert seen == ["Med hook"]


@pytest.mark.django_db
def test_seed_demo_content_is_idempotent_and_spread_out():
    from io import StringIO

    from focus.models import GuidingQuestion
    from komdir.demo import contributions as demo
    from komdir.demo.accounts import seed_accounts

    seed_accounts(password="x", totp_secret="JBSWY3DPEHPK3PXP")
    demo.seed(stdout=StringIO())
    counts = (Case.objects.count(), Comment.objects.count())
    demo.seed(stdout=StringIO())
    assert (Case.objects.count(), Comment.objects.count()) == counts
    published = Case.objects.filter(status=CaseStatus.PUBLISHED)
    assert published.filter(is_public=True).exists() and published.filter(is_public=False).exists()
    assert Case.objects.filter(status=CaseStatus.DRAFT).exists()
    current_areas = FocusArea.objects.filter(period__status="current")
    assert set(published.values_list("focus_area", flat=True)) == set(
        current_areas.values_list("pk", flat=True)
    )
    questions = GuidingQuestion.objects.filter(focus_area__in=current_areas)
    answered = set(published.values_list("questions", flat=True))
    discussed = set(Comment.objects.values_list("question", flat=True))
    assert all(q.pk in answered and q.pk in discussed for q in questions)
    assert published.values("municipality").distinct().count() >= 8
    assert Comment.objects.filter(parent__isnull=False).exists()
