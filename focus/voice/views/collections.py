"""The case collections' pages: selector → policy → form → service → message → redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from focus.models import Case
from focus.voice import selectors, services
from focus.voice.exports import collection_docx, collection_pdf
from focus.voice.forms import CandidateFilterForm, CollectionForm, DispatchForm
from focus.voice.models import Collection
from focus.voice.policies import collections as policy
from komdir.lib import kept
from komdir.lib.access import public, public_with_members_content
from komdir.lib.markdown import render_markdown


def _collection_or_404(request, slug: str) -> Collection:
    collection = selectors.collection_get(slug=slug, viewer=request.user)
    if collection is None:
        raise Http404
    return collection


@public
def collection_list(request):
    context = {
        **selectors.collection_list(viewer=request.user),
        "can_create": policy.can_create(request.user),
    }
    return render(request, "voice/collection_list.html", context)


def _detail(request, collection: Collection, *, dispatch_form=None, status=200):
    viewer = request.user
    can_edit = policy.can_edit(viewer, collection)
    context = {
        "collection": collection,
        "intro_html": render_markdown(collection.intro),
        "cases": selectors.collection_cases(collection=collection, viewer=viewer),
        "can_edit": can_edit,
        "dispatches": list(collection.dispatches.all()),
    }
    if can_edit:
        filters = CandidateFilterForm(request.GET or None)
        wanted = filters.cleaned_data if filters.is_valid() else {}
        in_it = {case.pk for case in context["cases"]}
        context.update(
            filter_form=filters,
            candidates=[
                c for c in selectors.collection_candidates(viewer=viewer, filters=wanted) if c.pk not in in_it
            ],
            dispatch_form=dispatch_form or DispatchForm(),
        )
    return render(request, "voice/collection_detail.html", context, status=status)


@public_with_members_content
def collection_detail(request, slug: str):
    return _detail(request, _collection_or_404(request, slug))


def collection_create(request):
    if not policy.can_create(request.user):
        raise PermissionDenied
    form = CollectionForm(request.POST or None, initial={"audience": "members"})
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Samlingen er oprettet. Kun sekretariatet kan se den, indtil du offentliggør den.")
            )
            return redirect(collection)
    kept.restore(request, form)
    status = 400 if form.errors else 200
    return render(request, "voice/collection_form.html", {"form": form, "collection": None}, status=status)


def collection_edit(request, slug: str):
    collection = _collection_or_404(request, slug)
    if not policy.can_edit(request.user, collection):
        raise PermissionDenied
    initial = {f: getattr(collection, f) for f in services.COLLECTION_FIELDS}
    form = CollectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_update(
                actor=request.user, collection=collection, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Samlingen er gemt."))
            return redirect(collection)
    kept.restore(request, form)
    status = 400 if form.errors else 200
    return render(
        request, "voice/collection_form.html", {"form": form, "collection": collection}, status=status
    )


@require_POST
def collection_cases(request, slug: str):
    """Add, remove or move a case ("action": add / remove / up / down; "case": its id)."""
    collection = _collection_or_404(request, slug)
    if not policy.can_edit(request.user, collection):
        raise PermissionDenied
    raw = request.POST.get("case", "")
    case = Case.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() else None
    action = request.POST.get("action")
    if case is None or action not in ("add", "remove", "up", "down"):
        raise Http404
    try:
        if action == "add":
            services.collection_add_cases(actor=request.user, collection=collection, cases=[case])
            messages.success(request, _("Casen er tilføjet samlingen."))
        elif action == "remove":
            services.collection_remove_case(actor=request.user, collection=collection, case=case)
            messages.success(request, _("Casen er fjernet fra samlingen."))
        else:
            step = -1 if action == "up" else 1
            services.collection_move_case(actor=request.user, collection=collection, case=case, step=step)
            messages.success(request, _("Rækkefølgen er gemt."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(collection)


@require_POST
def collection_publish(request, slug: str):
    collection = _collection_or_404(request, slug)
    if not policy.can_edit(request.user, collection):
        raise PermissionDenied
    try:
        services.collection_publish(actor=request.user, collection=collection)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Samlingen er offentliggjort. Alle kan nu læse den.")
            if collection.is_public
            else _("Samlingen er offentliggjort for medlemmerne."),
        )
    return redirect(collection)


@require_POST
def collection_dispatch(request, slug: str):
    collection = _collection_or_404(request, slug)
    if not policy.can_edit(request.user, collection):
        raise PermissionDenied
    form = DispatchForm(request.POST)
    if form.is_valid():
        try:
            services.collection_dispatch_add(actor=request.user, collection=collection, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Afsendelsen er noteret."))
            return redirect(collection)
    return _detail(request, collection, dispatch_form=form, status=400)


def _download(request, slug: str, *, kind: str):
    collection = _collection_or_404(request, slug)
    cases = selectors.collection_cases(collection=collection, viewer=request.user)
    if kind == "pdf":
        body = collection_pdf(collection=collection, cases=cases, base_url=settings.SITE_URL)
        content_type = "application/pdf"
    else:
        body = collection_docx(collection=collection, cases=cases, base_url=settings.SITE_URL)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="eksempelsamling-{collection.slug}.{kind}"'
    return response


@public_with_members_content
def collection_pdf_download(request, slug: str):
    return _download(request, slug, kind="pdf")


@public_with_members_content
def collection_docx_download(request, slug: str):
    return _download(request, slug, kind="docx")
