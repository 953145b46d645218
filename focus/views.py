from typing import NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from focus import policies, selectors, services
from focus.forms import CaseFilterForm, CaseForm, CommentForm, ReportForm
from focus.models import CaseStatus, FocusArea, GuidingQuestion
from komdir.lib import events, fragments, kept
from komdir.lib.access import public, public_with_members_content
from komdir.lib.conflicts import EditConflict
from komdir.lib.markdown import render_markdown
from members.policies import is_member


def _refuse(*, visible: bool) -> NoReturn:
    """The one answer to an action the user may not take: 404 when they may not even see the
    object (nothing is revealed), 403 (templates/403.html) when they see it but may not act."""
    if visible:
        raise PermissionDenied
    raise Http404


@public
def home(request):
    def context():
        latest = selectors.latest_contributions(viewer=request.user)
        return {
            "period": selectors.period_get_current(),
            "about": selectors.page_get(slug="om-komdir"),
            "latest_cases": latest["cases"],
            "latest_comments": latest["comments"],
        }

    return render(
        request,
        "focus/home.html",
        {"content_html": fragments.content(request, "focus/home.html", context=context)},
    )


@public
def period_list(request):
    return render(request, "focus/period_list.html", {"periods": selectors.period_list()})


@public
def period_detail(request, period_slug: str):
    period = selectors.period_get(slug=period_slug)
    if period is None:
        raise Http404
    return render(request, "focus/period_detail.html", {"period": period})


def _flag_threads(user, threads, *, case=None):
    """Permission flags for each comment, computed here so templates never ask (or query)."""
    for comment in threads:
        for item in [comment, *comment.thread_replies]:
            if case is not None:
                item.case = case
            item.can_edit = policies.can_edit_comment(user, item)
            item.can_delete = policies.can_delete_comment(user, item)
            item.can_report = policies.can_report_comment(user, item)
            item.can_reply = policies.can_reply_to_comment(user, item)
    return threads


@public
def area_detail(request, period_slug: str, area_slug: str):
    area = selectors.area_get(period_slug=period_slug, area_slug=area_slug)
    if area is None:
        raise Http404

    def context():
        # Bounded however many cases and comments pile up: newest case cards, a count, the
        # newest few cases and threads per question, each with a link to all of them.
        cases = selectors.area_case_overview(area=area, viewer=request.user)
        previews = selectors.comment_previews_for_area(area=area, viewer=request.user)
        empty = {"threads": [], "count": 0}
        cases_by_question = cases["by_question"]
        questions = list(area.questions.order_by("order", "pk"))
        for question in questions:
            question.area_cases = cases_by_question.get(question.pk, [])
            preview = previews.get(question.pk, empty)
            question.threads = _flag_threads(request.user, preview["threads"])
            question.thread_count = preview["count"]
        area_preview = previews.get(None, empty)
        return {
            "area": area,
            "period": area.period,
            "questions": questions,
            "latest_cases": cases["latest"],
            "case_count": cases["count"],
            "area_threads": _flag_threads(request.user, area_preview["threads"]),
            "area_thread_count": area_preview["count"],
            "can_view_comments": policies.can_view_comments(request.user),
            "can_comment": policies.can_comment(request.user) and not area.period.is_archived,
            "can_create_case": policies.can_create_case(request.user),
            "comment_form": CommentForm(),
            # What the apps above add to the page (circles: the meeting notes that discussed it).
            **{
                name: value
                for extra in events.ask("focus.area_shown", area=area, viewer=request.user)
                for name, value in extra.items()
            },
        }

    return render(
        request,
        "focus/area_detail.html",
        {
            "area": area,
            "period": area.period,
            "content_html": fragments.content(request, "focus/area_detail.html", area.pk, context=context),
        },
    )


@public
def page(request, slug: str):
    site_page = selectors.page_get(slug=slug)
    if site_page is None:
        raise Http404
    return render(request, "focus/page_detail.html", {"page": site_page})


# --- Cases -----------------------------------------------------------------------------------


@public
def case_list(request):
    def context():
        choices = selectors.case_filter_choices(viewer=request.user)
        filter_form = CaseFilterForm(request.GET or None, choices=choices)
        filters = filter_form.filters() if request.GET else {"sort": "newest"}
        cases = selectors.case_list(viewer=request.user, **filters)
        page_obj = Paginator(cases, selectors.CASE_PAGE_SIZE).get_page(request.GET.get("side"))
        query = request.GET.copy()
        query.pop("side", None)
        return {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "cases": page_obj.object_list,
            "querystring": query.urlencode(),
            "can_create_case": policies.can_create_case(request.user),
            "is_filtered": any(v for k, v in filters.items() if k != "sort"),
        }

    content_html = fragments.content(
        request, "focus/case_list.html", request.GET.urlencode(), context=context
    )
    return render(request, "focus/case_list.html", {"content_html": content_html})


@public_with_members_content
def case_detail(request, pk: int, slug: str):
    case = selectors.case_get(pk=pk, viewer=request.user, details=False)
    if case is None or not policies.can_view_case(request.user, case):
        raise Http404
    if slug != case.slug:
        return redirect(case, permanent=True)
    events.emit_in_transaction("item_seen", user=request.user, kind="case", object_id=case.pk)

    page = request.GET.get("side")

    def context():
        full = selectors.case_get(pk=case.pk, viewer=request.user)
        page_obj = selectors.comment_threads_for_case(case=full, viewer=request.user, page=page)
        return {
            "case": full,
            "page_obj": page_obj,
            "threads": _flag_threads(request.user, page_obj.object_list if page_obj else [], case=full),
            "can_edit": policies.can_edit_case(request.user, full),
            "can_comment": policies.can_comment_on_case(request.user, full),
            "can_report": policies.can_report_case(request.user, full),
            "can_view_comments": policies.can_view_comments(request.user),
            "comment_form": CommentForm(),
        }

    content_html = fragments.content(request, "focus/case_detail.html", case.pk, page, context=context)
    return render(request, "focus/case_detail.html", {"case": case, "content_html": content_html})


def discussion(request, kind: str, pk: int):
    """The whole discussion of a focus area or a guiding question, a page of threads at a time."""
    target = selectors.discussion_target_get(kind=kind, pk=pk)
    if target is None:
        raise Http404
    if not policies.can_view_comments(request.user):
        raise Http404
    area = target if kind == "area" else target.focus_area
    seen_kind = "area" if kind == "area" else "question"
    events.emit_in_transaction("item_seen", user=request.user, kind=seen_kind, object_id=target.pk)
    page = request.GET.get("side")

    def context():
        page_obj = selectors.comment_thread_page(
            viewer=request.user, page=page, **({"area": area} if kind == "area" else {"question": target})
        )
        return {
            "kind": kind,
            "target": target,
            "area": area,
            "page_obj": page_obj,
            "threads": _flag_threads(request.user, page_obj.object_list),
            "add_url": reverse("focus:comment_add", args=[kind, target.pk]),
            "can_comment": policies.can_comment(request.user) and not area.period.is_archived,
        }

    return render(
        request,
        "focus/discussion.html",
        {
            "kind": kind,
            "target": target,
            "area": area,
            "content_html": fragments.content(
                request, "focus/discussion.html", kind, target.pk, page, context=context
            ),
        },
    )


def _comment_location(request, comment) -> str:
    """Where `comment` is shown: the area page while its thread is among the newest there (a new
    comment written on the area page lands back on it), else its discussion's page that holds it."""
    if selectors.comment_in_area_preview(comment=comment, viewer=request.user):
        return f"{comment.focus_area.get_absolute_url()}#kommentar-{comment.pk}"
    number = selectors.comment_page_number(comment=comment, viewer=request.user)
    if comment.case_id:
        base = comment.case.get_absolute_url()
    elif comment.question_id:
        base = reverse("focus:discussion", args=["question", comment.question_id])
    else:
        base = reverse("focus:discussion", args=["area", comment.focus_area_id])
    return f"{base}{f'?side={number}' if number > 1 else ''}#kommentar-{comment.pk}"


def comment_permalink(request, pk: int):
    """A comment's lasting address (e-mails, search, the overview): sends on to its page."""
    comment = selectors.comment_get(pk=pk, viewer=request.user)
    if comment is None or not policies.can_view_comment(request.user, comment):
        raise Http404
    events.emit_in_transaction("item_seen", user=request.user, kind="comment", object_id=comment.pk)
    return redirect(_comment_location(request, comment))


def _case_form_page(request, *, form, case=None, preview_html=None, status=200):
    return render(
        request,
        "focus/case_form.html",
        {"form": form, "case": case, "preview_html": preview_html},
        status=status,
    )


def _already_sent(request, result, url=None):
    """The answer to a form sent a second time: the first result, and nothing made again."""
    messages.info(
        request, _("Du har allerede sendt formularen, så vi har ikke gemt den igen. Her er det, du sendte.")
    )
    return redirect(url or result)


def _case_data(form) -> dict:
    data = form.cleaned_data
    return {
        "focus_area": data["focus_area"],
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "questions": list(data["questions"]),
        "tags": data["tags"],
        "is_public": data["is_public"],
    }


def case_create(request):
    if not policies.can_create_case(request.user):
        raise Http404
    if request.method != "POST":
        initial = {}
        area_pk = request.GET.get("omraade")
        if area_pk and area_pk.isdigit():
            initial["focus_area"] = area_pk
        question_pk = request.GET.get("spoergsmaal")
        if question_pk and question_pk.isdigit():
            initial["questions"] = [question_pk]
        form = CaseForm(initial=initial)
        kept.restore(request, form)
        return _case_form_page(request, form=form)
    action = request.POST.get("action", "draft")
    form = CaseForm(request.POST, draft=action != "publish")
    token = request.POST.get("submission_token", "")
    existing = selectors.case_submitted(author=request.user, submission_token=token)
    if existing is not None and action != "preview":
        return _already_sent(request, existing)
    if not form.is_valid():
        return _case_form_page(request, form=form)
    if action == "preview":
        return _case_form_page(request, form=form, preview_html=render_markdown(form.cleaned_data["body"]))
    existing = selectors.case_submitted(
        author=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
    )
    if existing is not None:
        return _already_sent(request, existing)
    try:
        case = services.case_create(
            author=request.user,
            publish=action == "publish",
            submission_token=form.cleaned_data["submission_token"],
            **_case_data(form),
        )
    except services.ValidationError as exc:
        form.add_error(None, exc)
        return _case_form_page(request, form=form)
    if case.status == CaseStatus.PUBLISHED:
        messages.success(request, _("Din case er offentliggjort."))
    else:
        messages.success(request, _("Din case er gemt som kladde. Kun du kan se den."))
    return redirect(case)


def case_edit(request, pk: int):
    case = selectors.case_get(pk=pk, viewer=request.user)
    if case is None or not policies.can_edit_case(request.user, case):
        _refuse(visible=case is not None)
    if request.method != "POST":
        form = CaseForm(
            case=case,
            initial={
                "title": case.title,
                "summary": case.summary,
                "body": case.body,
                "focus_area": case.focus_area_id,
                "questions": [q.pk for q in case.questions.all()],
                "tags": ", ".join(sorted(t.name for t in case.tags.all())),
                "is_public": case.is_public,
                "version": case.version,
            },
        )
        kept.restore(request, form)
        return _case_form_page(request, form=form, case=case)
    action = request.POST.get("action", "save")
    form = CaseForm(request.POST, case=case, draft=case.is_draft and action != "publish")
    if not form.is_valid():
        return _case_form_page(request, form=form, case=case)
    if action == "preview":
        return _case_form_page(
            request, form=form, case=case, preview_html=render_markdown(form.cleaned_data["body"])
        )
    publish = action == "publish" and case.is_draft
    try:
        case = services.case_update(
            case=case,
            editor=request.user,
            expected_version=form.cleaned_data.get("version"),
            publish=publish,
            **_case_data(form),
        )
    except IntegrityError:
        # The database refused a step (a concurrent change): the whole save was rolled back.
        form.add_error(
            None,
            _(
                "Intet er gemt, fordi casen blev ændret et andet sted samtidig. "
                "Din tekst står herunder; prøv igen."
            ),
        )
        return _case_form_page(request, form=form, case=case)
    except EditConflict as exc:
        # The member's text comes back; saving again replaces the newer version on purpose.
        data = request.POST.copy()
        data["version"] = exc.current_version
        form = CaseForm(data, case=case, draft=case.is_draft and action != "publish")
        form.is_valid()
        form.add_error(None, exc)
        return _case_form_page(request, form=form, case=case, status=409)
    except services.ValidationError as exc:
        form.add_error(None, exc)
        return _case_form_page(request, form=form, case=case)
    if publish:
        messages.success(request, _("Din case er offentliggjort."))
    else:
        messages.success(request, _("Dine ændringer er gemt."))
    return redirect(case)


def my_drafts(request):
    if not is_member(request.user):
        raise Http404
    return render(
        request, "focus/case_drafts.html", {"cases": selectors.case_list_drafts(author=request.user)}
    )


# --- Comments --------------------------------------------------------------------------------


def _comment_target(request, kind: str, pk: int) -> dict:
    """The thing a new comment is about: 404 if the viewer may not read it, 403 if they may
    read it but not comment (a visitor, an archived period, a draft)."""
    if kind == "case":
        case = selectors.case_get(pk=pk, viewer=request.user)
        if case is None or not policies.can_comment_on_case(request.user, case):
            _refuse(visible=case is not None)
        return {"case": case, "title": case.title, "url": case.get_absolute_url()}
    if kind == "area":
        area = (
            FocusArea.objects.select_related("period").exclude(period__status="draft").filter(pk=pk).first()
        )
        if area is None or area.period.is_archived or not policies.can_comment(request.user):
            _refuse(visible=area is not None)
        return {"focus_area": area, "title": area.title, "url": area.get_absolute_url()}
    if kind == "question":
        question = (
            GuidingQuestion.objects.select_related("focus_area__period")
            .exclude(focus_area__period__status="draft")
            .filter(pk=pk)
            .first()
        )
        if (
            question is None
            or question.focus_area.period.is_archived
            or not policies.can_comment(request.user)
        ):
            _refuse(visible=question is not None)
        return {
            "question": question,
            "title": question.text,
            "url": question.get_absolute_url(),
        }
    raise Http404


def _comment_form_page(request, *, form, title, back_url, heading, status=200, comment=None):
    return render(
        request,
        "focus/comment_form.html",
        {"form": form, "target_title": title, "back_url": back_url, "heading": heading, "comment": comment},
        status=status,
    )


def _comment_sent_before(request):
    """The answer to a comment form sent again (back button, double click): the first comment."""
    if request.method != "POST":
        return None
    existing = selectors.comment_submitted(
        author=request.user,
        submission_token=request.POST.get("submission_token", ""),
        body=request.POST.get("body", ""),
    )
    if existing is None:
        return None
    return _already_sent(request, existing, _comment_location(request, existing))


def comment_add(request, kind: str, pk: int):
    target = _comment_target(request, kind, pk)
    form = CommentForm(request.POST or None)
    if (sent := _comment_sent_before(request)) is not None:
        return sent
    if request.method != "POST":
        # The comment forms live on the pages; this page is where text kept over a login
        # (or a stale form) comes back to be checked and sent.
        kept.restore(request, form)
    if request.method != "POST" or not form.is_valid():
        return _comment_form_page(
            request, form=form, title=target["title"], back_url=target["url"], heading=_("Skriv en kommentar")
        )
    comment = services.comment_add(
        author=request.user,
        body=form.cleaned_data["body"],
        submission_token=form.cleaned_data.get("submission_token", ""),
        case=target.get("case"),
        focus_area=target.get("focus_area"),
        question=target.get("question"),
    )
    messages.success(request, _("Din kommentar er tilføjet."))
    return redirect(_comment_location(request, selectors.comment_get(pk=comment.pk, viewer=request.user)))


def _comment_or_404(request, pk: int):
    comment = selectors.comment_get(pk=pk, viewer=request.user)
    if comment is None or not policies.can_view_comment(request.user, comment):
        raise Http404
    return comment


def comment_reply(request, pk: int):
    parent = _comment_or_404(request, pk)
    if not policies.can_reply_to_comment(request.user, parent):
        _refuse(visible=True)
    form = CommentForm(request.POST or None)
    if (sent := _comment_sent_before(request)) is not None:
        return sent
    if request.method == "POST" and form.is_valid():
        reply = services.comment_add(
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            submission_token=form.cleaned_data.get("submission_token", ""),
        )
        messages.success(request, _("Dit svar er tilføjet."))
        return redirect(_comment_location(request, selectors.comment_get(pk=reply.pk, viewer=request.user)))
    kept.restore(request, form)
    return _comment_form_page(
        request,
        form=form,
        title=parent.author.get_full_name(),
        back_url=parent.get_absolute_url(),
        heading=_("Svar på kommentar"),
        comment=parent,
    )


def comment_edit(request, pk: int):
    comment = _comment_or_404(request, pk)
    if not policies.can_edit_comment(request.user, comment):
        _refuse(visible=True)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.comment_edit(comment=comment, editor=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Din kommentar er rettet."))
        return redirect(_comment_location(request, comment))
    kept.restore(request, form)
    return _comment_form_page(
        request,
        form=form,
        title=comment.author.get_full_name(),
        back_url=comment.get_absolute_url(),
        heading=_("Ret din kommentar"),
    )


def comment_delete(request, pk: int):
    comment = _comment_or_404(request, pk)
    if not policies.can_delete_comment(request.user, comment):
        _refuse(visible=True)
    if request.method == "POST":
        services.comment_delete(comment=comment, actor=request.user)
        messages.success(request, _("Din kommentar er slettet."))
        return redirect(_comment_location(request, comment))
    return render(request, "focus/comment_delete.html", {"comment": comment})


# --- Reports ---------------------------------------------------------------------------------


def report(request, kind: str, pk: int):
    if kind == "case":
        case = selectors.case_get(pk=pk, viewer=request.user)
        if case is None or not policies.can_report_case(request.user, case):
            _refuse(visible=case is not None)
        target, title, back_url = {"case": case}, case.title, case.get_absolute_url()
    elif kind == "comment":
        comment = _comment_or_404(request, pk)
        if not policies.can_report_comment(request.user, comment):
            _refuse(visible=True)
        target, title, back_url = {"comment": comment}, comment.body[:80], comment.get_absolute_url()
    else:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and selectors.report_submitted(
        reporter=request.user, submission_token=request.POST.get("submission_token", "")
    ):
        return _already_sent(request, None, back_url)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            submission_token=form.cleaned_data["submission_token"],
            **target,
        )
        messages.success(request, _("Tak. Sekretariatet ser på din indberetning."))
        return redirect(back_url)
    kept.restore(request, form)
    return render(
        request, "focus/report_form.html", {"form": form, "target_title": title, "back_url": back_url}
    )


# --- search (issue 5) ------------------------------------------------------------------------
