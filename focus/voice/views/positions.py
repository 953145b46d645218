"""The positions' pages ("KOMDIR mener"): selector → policy → form → service → message → redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from focus.models import Case, Comment, GuidingQuestion
from focus.policies import cases as case_policy
from focus.policies import comments as comment_policy
from focus.views.common import refuse
from focus.voice import selectors, services
from focus.voice.forms import (
    CitationForm,
    ConsentForm,
    OpenForm,
    PositionCommentForm,
    PositionForm,
    PublishForm,
)
from focus.voice.models import Citation, ConsultationInput, Position, PositionStatus
from focus.voice.pdf import position_pdf
from focus.voice.policies import citations as citation_policy
from focus.voice.policies import positions as policy
from komdir.lib import events, kept
from komdir.lib.access import public, public_with_members_content
from komdir.lib.conflicts import EditConflict, keep_text_on_conflict
from komdir.lib.dates import end_of_day
from komdir.lib.markdown import render_markdown
from members.policies import is_member, is_secretariat


def _position_or_404(request, slug: str) -> Position:
    position = selectors.position_get(slug=slug, viewer=request.user)
    if position is None:
        raise Http404
    return position


@public
def position_list(request):
    return render(
        request,
        "voice/position_list.html",
        {**selectors.position_list(viewer=request.user), "can_create": policy.can_create(request.user)},
    )


def _detail_context(request, position: Position, **forms) -> dict:
    viewer = request.user
    context = {
        "position": position,
        "question": position.question,
        "area": position.question.focus_area if position.question_id else None,
        # The consultation is for members: a visitor reads the response, not a link to a login.
        "consultation": position.consultation,
        "consultation_readable": position.consultation_id is not None and is_member(viewer),
        "can_edit": policy.can_edit(viewer, position),
        "can_publish": policy.can_publish(viewer, position),
        "public_citations": selectors.public_citations(position=position)
        if position.has_public_version
        else [],
        "body_html": render_markdown(
            position.published_body if position.has_public_version else position.body
        ),
        # What the apps above add (circles.polls: the temperature checks on the draft).
        **{
            name: value
            for extra in events.ask("voice.position_shown", position=position, viewer=viewer)
            for name, value in extra.items()
        },
    }
    if not position.has_public_version or is_member(viewer):
        context["citations"] = selectors.citations_for(position=position, viewer=viewer)
    if position.is_open_to_members:
        context["member_comments"] = selectors.member_comments_for(position=position, viewer=viewer)
    if policy.can_comment(viewer, position) or "comment_form" in forms:
        context["comment_form"] = forms.get("comment_form") or PositionCommentForm()
    if policy.can_open(viewer, position):
        initial = {"until": position.comments_last_day, "region": position.audience_region_id}
        context["open_form"] = forms.get("open_form") or OpenForm(initial=initial)
    return context


@public_with_members_content
@never_cache
def position_detail(request, slug: str):
    position = _position_or_404(request, slug)
    return render(request, "voice/position_detail.html", _detail_context(request, position))


def position_create(request):
    if not policy.can_create(request.user):
        raise PermissionDenied
    question = get_object_or_404(
        GuidingQuestion.objects.browsable().select_related("focus_area__period"),
        pk=request.GET.get("spoergsmaal") or request.POST.get("question") or 0,
    )
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        position = services.position_create(
            actor=request.user,
            question=question,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Udkastet er gemt. Kun sekretariatet kan se det. Tilføj nu kilderne."))
        return redirect("voice:position_sources", slug=position.slug)
    kept.restore(request, form)
    return render(
        request,
        "voice/position_form.html",
        {"form": form, "question": question},
        status=400 if form.errors else 200,
    )


def position_edit(request, slug: str):
    position = _position_or_404(request, slug)
    if not policy.can_edit(request.user, position):
        refuse(visible=True)
    initial = {"title": position.title, "body": position.body, "version": position.version}
    form = PositionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.position_update(
                actor=request.user,
                position=position,
                version=data["version"],
                title=data["title"],
                body=data["body"],
            )
        except EditConflict as exc:
            keep_text_on_conflict(form, exc, field="version")
        else:
            messages.success(request, _("Udkastet er gemt som en ny version."))
            return redirect(position)
    kept.restore(request, form)
    context = {"form": form, "question": position.question, "position": position}
    return render(request, "voice/position_form.html", context, status=400 if form.errors else 200)


def position_sources(request, slug: str):
    """The question's cases and comments to cite, and what is cited already (the secretariat)."""
    position = _position_or_404(request, slug)
    if not citation_policy.can_create(request.user, position):
        refuse(visible=True)
    form = None
    if request.method == "POST":
        form = CitationForm(request.POST)
        case = comment = given = None
        if request.POST.get("input") and position.consultation_id:
            given = ConsultationInput.objects.filter(
                pk=request.POST["input"], consultation_id=position.consultation_id
            ).first()
        elif request.POST.get("case"):
            case = (
                case_policy.visible(request.user, Case.objects.all()).filter(pk=request.POST["case"]).first()
            )
        elif request.POST.get("comment"):
            comment = (
                comment_policy.visible(request.user, Comment.objects.filter(deleted_at=None))
                .filter(pk=request.POST["comment"])
                .first()
            )
        if case is None and comment is None and given is None:
            raise Http404
        if form.is_valid():
            try:
                citation = services.citation_add(
                    actor=request.user,
                    position=position,
                    case=case,
                    comment=comment,
                    input=given,
                    quote=form.cleaned_data["quote"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _cited_message(citation))
                return redirect("voice:position_sources", slug=position.slug)
        form.failed_for = (
            ("case", case.pk) if case else ("comment", comment.pk) if comment else ("input", given.pk)
        )
    context = {
        "position": position,
        "citations": selectors.citations_for(position=position, viewer=request.user),
        **selectors.evidence_for(position=position, viewer=request.user),
        "failed_form": form,
    }
    return render(request, "voice/position_sources.html", context, status=400 if form is not None else 200)


def _cited_message(citation: Citation) -> str:
    if citation.consent == "asked":
        return _(
            "Kilden er tilføjet. Medlemmet får en e-mail og bliver spurgt, om KOMDIR må citere det; "
            "indtil medlemmet siger ja, er citatet ikke med i den offentlige udgave."
        )
    return _("Kilden er tilføjet.")


@require_POST
def citation_remove(request, pk: int):
    citation = Citation.objects.select_related("position").filter(pk=pk).first()
    if citation is None or not citation_policy.can_view(request.user, citation):
        raise Http404
    if not citation_policy.can_delete(request.user, citation):
        refuse(visible=True)
    services.citation_remove(actor=request.user, citation=citation)
    messages.success(request, _("Kilden er fjernet fra holdningen."))
    return redirect("voice:position_sources", slug=citation.position.slug)


@require_POST
def position_open(request, slug: str):
    position = _position_or_404(request, slug)
    if not policy.can_open(request.user, position):
        refuse(visible=True)
    form = OpenForm(request.POST)
    if form.is_valid():
        until = end_of_day(form.cleaned_data["until"])
        try:
            services.position_open(
                actor=request.user, position=position, until=until, region=form.cleaned_data["region"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Fristen og høringens deltagere er gemt.")  # it was open already (as read before)
                if position.is_open_to_members
                else _("Udkastet er sendt i høring hos medlemmerne. De får besked på e-mail."),
            )
            return redirect(position)
    return render(
        request, "voice/position_detail.html", _detail_context(request, position, open_form=form), status=400
    )


@require_POST
def position_comment(request, slug: str):
    position = _position_or_404(request, slug)
    form = PositionCommentForm(request.POST)
    if not policy.can_comment(request.user, position):
        if not position.is_open_to_members:  # never opened, or published: no comments to make
            refuse(visible=True)
        form.is_valid()
        form.add_error(None, _("Fristen for kommentarer er udløbet, så din kommentar er ikke gemt."))
    elif form.is_valid():
        services.position_comment_add(author=request.user, position=position, body=form.cleaned_data["body"])
        messages.success(request, _("Din kommentar er gemt. Sekretariatet og de hørte medlemmer kan se den."))
        return redirect(position)
    context = _detail_context(request, position, comment_form=form)
    return render(request, "voice/position_detail.html", context, status=400)


def position_publish(request, slug: str):
    """GET shows the text to approve; POST approves that version and publishes it."""
    position = _position_or_404(request, slug)
    if not policy.can_publish(request.user, position):
        if position.is_published and is_secretariat(request.user):
            messages.info(request, _("Holdningen er allerede offentliggjort."))
            return redirect(position)
        refuse(visible=True)
    form = PublishForm(request.POST or None, initial={"version": position.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.position_publish(
                actor=request.user, position=position, version=form.cleaned_data["version"]
            )
        except EditConflict:
            messages.error(
                request, _("Udkastet er ændret, mens du læste det. Læs den nye version, før du godkender.")
            )
            return redirect("voice:position_publish", slug=position.slug)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(position)
        messages.success(request, _("Holdningen er godkendt og offentliggjort. Alle kan nu læse den."))
        return redirect(position)
    context = {
        "position": position,
        "form": form,
        "left_out": [
            c for c in selectors.citations_for(position=position, viewer=request.user) if not c.public
        ],
        "public_citations": selectors.public_citations(position=position),
    }
    return render(request, "voice/position_publish.html", context)


@require_POST
def position_delete(request, slug: str):
    position = _position_or_404(request, slug)
    if not policy.can_delete(request.user, position):
        refuse(visible=True)
    services.position_delete(actor=request.user, position=position)
    messages.success(request, _("Udkastet er slettet."))
    return redirect("voice:position_list")


def position_versions(request, slug: str):
    """The saved texts of a position, and what changed between two of them."""
    position = _position_or_404(request, slug)
    if not is_secretariat(request.user):
        refuse(visible=True)
    revisions = selectors.revisions_for(position=position)
    by_version = {r.version: r for r in revisions}
    diff = older = newer = None
    if len(revisions) > 1:
        newer = by_version.get(_int(request.GET.get("til")), revisions[0])
        older = by_version.get(
            _int(request.GET.get("fra")), revisions[1] if newer is revisions[0] else revisions[-1]
        )
        diff = selectors.revision_diff(older=older, newer=newer)
    context = {"position": position, "revisions": revisions, "diff": diff, "older": older, "newer": newer}
    return render(request, "voice/position_versions.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@public
def position_download(request, slug: str):
    """The public version as PDF: built from the approved text and the quotes the public may read."""
    position = Position.objects.filter(
        status__in=(PositionStatus.PUBLISHED, PositionStatus.ARCHIVED)
    ).select_related("question__focus_area__period", "approved_by", "consultation")
    position = position.filter(slug=slug).first()
    if position is None:
        raise Http404
    pdf = position_pdf(
        position=position,
        citations=selectors.public_citations(position=position),
        base_url=settings.SITE_URL,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="komdir-mener-{position.slug}.pdf"'
    return response


def consent_list(request):
    """The member's own quotes KOMDIR has asked about."""
    return render(
        request, "voice/consent_list.html", {"requests": selectors.consent_requests_for(user=request.user)}
    )


def consent(request, pk: int):
    """ "Må KOMDIR citere dig?": only the quoted member sees the question (404 for anyone else)."""
    citation = (
        Citation.objects.select_related("position", "case", "comment__case", "member").filter(pk=pk).first()
    )
    if citation is None or not citation_policy.can_answer(request.user, citation):
        raise Http404
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        initial={"answer": None if citation.consent == "asked" else citation.consent},
    )
    if request.method == "POST" and form.is_valid():
        services.consent_answer(user=request.user, citation=citation, answer=form.cleaned_data["answer"])
        messages.success(request, _consent_message(form.cleaned_data["answer"]))
        return redirect("voice:consent_list")
    return render(
        request,
        "voice/consent.html",
        {"citation": citation, "form": form},
        status=400 if form.errors else 200,
    )


def _consent_message(answer: str) -> str:
    return {
        "named": _("Tak. KOMDIR må citere dig med dit navn. Du kan ændre svaret her, når du vil."),
        "anonymous": _("Tak. KOMDIR må citere dig uden dit navn. Du kan ændre svaret her, når du vil."),
        "refused": _("Dit svar er gemt: citatet bliver ikke brugt offentligt."),
    }[answer]
