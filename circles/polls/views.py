"""The poll pages: selector → policy → form → service → message → redirect."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from circles import selectors as circle_selectors
from circles.polls import selectors, services
from circles.polls.forms import PollForm, VoteForm
from circles.polls.models import Poll, PollKind, PollOption
from circles.polls.policies import polls as policy
from focus.voice import selectors as voice_selectors
from focus.voice.policies import positions as position_policy
from komdir.lib import kept
from komdir.lib.spreadsheets import safe_cell
from komdir.lib.text import danish_slug


def _poll_or_404(request, pk: int) -> Poll:
    poll = selectors.poll_get(pk=pk, viewer=request.user)
    if poll is None:
        raise Http404
    return poll


def poll_list(request):
    lead_circles = [c for c in circle_selectors.circle_list() if policy.can_create(request.user, c)]
    return render(
        request,
        "polls/poll_list.html",
        {
            **selectors.poll_list(viewer=request.user),
            "can_create_for_all": policy.can_create(request.user, None),
            "lead_circles": lead_circles,
        },
    )


def _detail_context(request, poll: Poll, vote_form: VoteForm | None = None) -> dict:
    voted = selectors.has_voted(poll=poll, viewer=request.user)
    own = selectors.own_vote(poll=poll, viewer=request.user)
    options = list(PollOption.objects.filter(poll=poll).order_by("position", "pk"))
    can_vote = policy.can_vote(request.user, poll) and not (voted and poll.anonymous)
    if can_vote and vote_form is None:
        initial = None
        if own is not None:
            chosen = [str(o.pk) for o in own.options.all()]
            initial = {"choice": chosen if poll.allows_several else chosen[0], "comment": own.comment}
        vote_form = VoteForm(poll=poll, options=options, initial=initial)
    show_results = policy.can_view_results(request.user, poll, voted=voted)
    results, vote_count = selectors.poll_results(poll=poll) if show_results else ([], 0)
    return {
        "poll": poll,
        "position": poll.position
        if poll.position and position_policy.can_view(request.user, poll.position)
        else None,
        "options": options,
        "voted": voted,
        "own_vote": own,
        "own_choices": {o.pk for o in own.options.all()} if own else set(),
        "may_vote": policy.may_vote(request.user, poll),
        "vote_form": vote_form if can_vote else None,
        "show_results": show_results,
        "results": results,
        "vote_count": vote_count,
        "named_votes": selectors.named_votes(poll=poll) if show_results and not poll.anonymous else [],
        "anonymous_comments": selectors.anonymous_comments(poll=poll)
        if show_results and poll.anonymous
        else [],
        "can_edit": policy.can_edit(request.user, poll),
        "can_close": policy.can_close(request.user, poll),
        "can_export": policy.can_export(request.user, poll),
        "results_private": show_results
        and not poll.is_closed
        and policy.manages(request.user, poll)
        and not (voted and poll.results_shown == "after_vote"),
    }


@never_cache
def poll_detail(request, pk: int):
    poll = _poll_or_404(request, pk)
    if request.method != "POST":
        return render(request, "polls/poll_detail.html", _detail_context(request, poll))
    if not policy.may_vote(request.user, poll):
        raise PermissionDenied
    options = list(PollOption.objects.filter(poll=poll).order_by("position", "pk"))
    form = VoteForm(request.POST, poll=poll, options=options)
    if form.is_valid():
        changing = selectors.has_voted(poll=poll, viewer=request.user)
        try:
            services.vote_cast(
                user=request.user,
                poll=poll,
                option_ids=form.chosen_ids(),
                comment=form.cleaned_data["comment"],
            )
        except services.VoteError as exc:
            messages.error(request, " ".join(exc.messages))
            if not policy.can_vote(request.user, poll):
                return redirect(poll)  # closed while the member chose: the page says so
        else:
            messages.success(
                request, _("Din stemme er ændret.") if changing else _("Tak. Din stemme er gemt.")
            )
            return redirect(poll)
    return render(request, "polls/poll_detail.html", _detail_context(request, poll, form), status=400)


def _creation_target(request):
    """(circle, meeting, position) from ?moede=, ?kreds= or ?holdning=; 404 for what the user may
    not see."""
    meeting = circle = position = None
    if request.GET.get("holdning"):
        position = voice_selectors.position_get(slug=request.GET["holdning"], viewer=request.user)
        if position is None:
            raise Http404
    elif request.GET.get("moede", "").isdigit():
        meeting = circle_selectors.meeting_get(pk=int(request.GET["moede"]), viewer=request.user)
        if meeting is None:
            raise Http404
        circle = meeting.circle
    elif request.GET.get("kreds"):
        circle = circle_selectors.circle_get(slug=request.GET["kreds"], viewer=request.user)
        if circle is None:
            raise Http404
    return circle, meeting, position


def _poll_fields(data: dict, fields=services.POLL_FIELDS) -> dict:
    return {field: data[field] for field in fields}


def poll_create(request):
    circle, meeting, position = _creation_target(request)
    if not policy.can_create(request.user, circle, meeting, position):
        raise PermissionDenied
    initial = None
    if position is not None:
        # A temperature check: a proposal on the draft, closing when its consultation does.
        initial = {
            "question": _("Kan du støtte udkastet ”%(title)s”?") % {"title": position.title},
            "kind": PollKind.PROPOSAL,
            "closes_at": position.comments_until,
        }
    form = PollForm(request.POST or None, initial=initial)
    if request.method == "POST":
        existing = selectors.poll_submitted(
            actor=request.user, submission_token=request.POST.get("submission_token", "")
        )
        if existing is not None:
            messages.info(request, _("Du har allerede sendt formularen, så vi har ikke gemt den igen."))
            return redirect(existing)
        if form.is_valid():
            data = form.cleaned_data
            try:
                poll = services.poll_create(
                    actor=request.user,
                    circle=circle,
                    meeting=meeting,
                    position=position,
                    options=data["options"],
                    submission_token=data.get("submission_token", ""),
                    **_poll_fields(data),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Afstemningen er oprettet. Vi giver dem, der kan stemme, besked på e-mail.")
                    if poll.opens_at <= timezone.now()
                    else _(
                        "Afstemningen er oprettet og åbner på det tidspunkt, du valgte. "
                        "Vi giver dem, der kan stemme, besked på e-mail nu."
                    ),
                )
                return redirect(poll)
    kept.restore(request, form)
    return render(
        request,
        "polls/poll_form.html",
        {"form": form, "circle": circle, "meeting": meeting, "position": position, "poll": None},
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def poll_edit(request, pk: int):
    poll = _poll_or_404(request, pk)
    if not policy.can_edit(request.user, poll):
        if policy.manages(request.user, poll) and poll.is_closed:
            messages.info(request, _("Afstemningen er lukket og kan ikke længere ændres."))
            return redirect(poll)
        raise PermissionDenied
    voted = poll.participations.exists()
    initial = {
        **{field: getattr(poll, field) for field in services.POLL_FIELDS},
        "options": "\n".join(o.label for o in poll.options.all()),
    }
    form = PollForm(request.POST or None, initial=initial, poll=poll, voted=voted)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.poll_update(
                actor=request.user,
                poll=poll,
                options=None if voted else data["options"],
                **_poll_fields(data, services.FIELDS_AFTER_FIRST_VOTE if voted else services.POLL_FIELDS),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Afstemningen er gemt."))
            return redirect(poll)
    kept.restore(request, form)
    return render(
        request,
        "polls/poll_form.html",
        {"form": form, "circle": poll.circle, "meeting": poll.meeting, "poll": poll},
    )


def poll_close(request, pk: int):
    """GET asks first; POST closes."""
    poll = _poll_or_404(request, pk)
    if not policy.can_close(request.user, poll):
        if poll.is_closed:
            messages.info(request, _("Afstemningen er allerede lukket."))
            return redirect(poll)
        raise PermissionDenied
    if request.method == "POST":
        services.poll_close(actor=request.user, poll=poll)
        messages.success(
            request, _("Afstemningen er lukket. Resultatet kan nu ses af alle, der kan se afstemningen.")
        )
        return redirect(poll)
    return render(request, "polls/poll_close.html", {"poll": poll})


@never_cache
def poll_export(request, pk: int):
    """The results as CSV (semicolon-separated, as Danish Excel opens it)."""
    poll = _poll_or_404(request, pk)
    if not policy.can_export(request.user, poll):
        raise PermissionDenied
    results, vote_count = selectors.poll_results(poll=poll)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="afstemning-{poll.pk}-{danish_slug(poll.question, max_length=40)}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Spørgsmål"), safe_cell(poll.question)])
    writer.writerow([_("Stemmer"), vote_count])
    writer.writerow([])
    writer.writerow([_("Svar"), _("Antal"), _("Andel (%)")])
    for r in results:
        writer.writerow([safe_cell(r.option.label), r.count, r.share_label])
    writer.writerow([])
    if poll.anonymous:
        writer.writerow([_("Kommentarer (hemmelig afstemning: uden navn)")])
        for comment in selectors.anonymous_comments(poll=poll):
            writer.writerow([safe_cell(comment)])
    else:
        writer.writerow([_("Navn"), _("Kommune"), _("Svar"), _("Kommentar"), _("Stemt")])
        for vote in selectors.named_votes(poll=poll):
            profile = getattr(vote.voter, "profile", None)
            writer.writerow(
                [
                    safe_cell(vote.voter.get_full_name()),
                    safe_cell(profile.municipality.name if profile and profile.municipality else ""),
                    safe_cell(", ".join(o.label for o in vote.options.all())),
                    safe_cell(vote.comment),
                    timezone.localtime(vote.changed_at or vote.cast_at).strftime("%Y-%m-%d %H:%M"),
                ]
            )
    return response
