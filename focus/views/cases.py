"""The case pages: list, detail, write, edit, the author's drafts."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focus import policies, selectors, services
from focus.caching import CASES, COMMENTS, FILTERS, case_tag
from focus.forms import CaseFilterForm, CaseForm, CommentForm
from focus.models import CaseStatus
from focus.views.comments import flag_threads
from focus.views.common import already_sent, audience, refuse
from focus.voice import policies as voice_policies
from focus.voice import selectors as voice_selectors
from focus.voice.forms import CaseRuleForm
from komdir.lib import events, fragments, kept
from komdir.lib.access import public, public_with_members_content
from komdir.lib.conflicts import EditConflict
from komdir.lib.markdown import render_markdown


@public
def case_list(request):
    def context():
        choices = selectors.case_filter_choices(viewer=request.user)
        filter_form = CaseFilterForm(request.GET or None, choices=choices)
        filters = filter_form.filters() if request.GET else {"sort": "newest"}
        page_obj = selectors.case_list_page(viewer=request.user, page=request.GET.get("side"), **filters)
        query = request.GET.copy()
        query.pop("side", None)
        return {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "cases": page_obj.object_list,
            "querystring": query.urlencode(),
            "can_create_case": policies.cases.can_create(request.user),
            "is_filtered": any(v for k, v in filters.items() if k != "sort"),
        }

    # The newest first shows no comment (the cards' counts are holes); the most discussed do.
    newest = request.GET.get("sort") in (None, "", "newest")
    depends = [CASES, FILTERS] if newest else [CASES, FILTERS, COMMENTS]
    content_html = fragments.content(
        request, "focus/case_list.html", audience=audience(request), depends=depends, context=context
    )
    return render(request, "focus/case_list.html", {"content_html": content_html})


@public_with_members_content
def case_detail(request, pk: int, slug: str):
    case = selectors.case_get(pk=pk, viewer=request.user, details=False)
    if case is None or not policies.cases.can_view(request.user, case):
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
            "threads": flag_threads(request.user, page_obj.object_list if page_obj else [], case=full),
            "can_edit": policies.cases.can_edit(request.user, full),
            "can_comment": policies.cases.can_comment(request.user, full),
            "can_report": policies.cases.can_report(request.user, full),
            "can_view_comments": policies.comments.can_list(request.user),
            "comment_form": CommentForm(),
            # Where KOMDIR has used it (focus.voice): positions, responses, collections.
            **voice_selectors.case_voice(case=full, viewer=request.user),
            "rule_form": CaseRuleForm() if voice_policies.rules.can_cite(request.user, full) else None,
        }

    content_html = fragments.content(
        request,
        "focus/case_detail.html",
        # The case's author sees "Ret casen"; every comment's own actions are holes.
        audience=audience(request, wrote=case.author_id == request.user.pk),
        depends=[case_tag(case.pk)],
        context=context,
    )
    return render(request, "focus/case_detail.html", {"case": case, "content_html": content_html})


def _case_form_page(request, *, form, case=None, preview_html=None, status=200):
    return render(
        request,
        "focus/case_form.html",
        {"form": form, "case": case, "preview_html": preview_html},
        status=status,
    )


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
    if not policies.cases.can_create(request.user):
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
        return already_sent(request, existing)
    if not form.is_valid():
        return _case_form_page(request, form=form)
    if action == "preview":
        return _case_form_page(request, form=form, preview_html=render_markdown(form.cleaned_data["body"]))
    existing = selectors.case_submitted(
        author=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
    )
    if existing is not None:
        return already_sent(request, existing)
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
    if case is None or not policies.cases.can_edit(request.user, case):
        refuse(visible=case is not None)
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
    if not policies.cases.can_create(request.user):
        raise Http404
    return render(
        request, "focus/case_drafts.html", {"cases": selectors.case_list_drafts(author=request.user)}
    )
