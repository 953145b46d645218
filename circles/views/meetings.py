from __future__ import annotations

from typing import NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import conditional_page, require_POST, require_safe

from circles import caching, policies, selectors, services
from circles.calendar import calendar_for, feed_for
from circles.decisions.pages import note_page
from circles.forms import (
    AttachmentForm,
    AttendanceForm,
    MeetingCancelForm,
    MeetingForm,
    NoteForm,
    note_from_agenda,
)
from circles.models import AttendanceResponse, MeetingKind
from circles.polls import selectors as poll_selectors
from focus.voice import selectors as voice_selectors
from komdir.lib import events, fragments, kept
from komdir.lib.access import public
from komdir.lib.conflicts import EditConflict
from komdir.lib.text import danish_slug


def _refuse(*, visible: bool) -> NoReturn:
    """404 when the user may not even see the object (nothing is revealed), 403
    (templates/403.html) when they see it but may not act: one rule for the whole portal."""
    if visible:
        raise PermissionDenied
    raise Http404


def _note_for_edit(request, pk: int):
    note = selectors.note_get_for_edit(pk=pk, viewer=request.user)
    if note is None:
        _refuse(visible=selectors.note_get(pk=pk, viewer=request.user) is not None)
    return note


def _meeting_or_404(request, pk: int):
    meeting = selectors.meeting_get(pk=pk, viewer=request.user)
    if meeting is None:
        raise Http404
    return meeting


def circle_list(request):
    return render(
        request,
        "circles/circle_list.html",
        {
            "circles": selectors.circle_list(),
            "events": selectors.association_meeting_list(upcoming=True),
            "can_create_event": policies.meetings.can_create(request.user, None),
        },
    )


def circle_detail(request, slug: str):
    circle = selectors.circle_get(slug=slug, viewer=request.user)
    if circle is None:
        raise Http404

    def context():
        data = selectors.circle_detail_data(circle=circle, viewer=request.user)
        return {"circle": circle, **data}

    # The page differs by kind of viewer and by their seat in circles (notes, drafts, "Opret møde").
    content_html = fragments.content(
        request,
        "circles/circle_detail.html",
        audience=f"{'secretariat' if policies.is_secretariat(request.user) else 'member'};"
        f"{policies.audience(request.user)}",
        depends=[caching.circle_tag(circle.pk)],
        context=context,
    )
    return render(request, "circles/circle_detail.html", {"circle": circle, "content_html": content_html})


def _meeting_form_save(request, *, form, circle, meeting=None):
    data = form.cleaned_data
    fields = {k: data[k] for k in services.MEETING_FIELDS}
    try:
        if meeting is None:
            meeting = services.meeting_create(
                actor=request.user,
                circle=circle,
                kind=data.get("kind") or None,
                submission_token=data.get("submission_token", ""),
                **fields,
            )
            messages.success(request, _("Mødet er oprettet."))
        else:
            sequence = meeting.sequence
            meeting = services.meeting_update(actor=request.user, meeting=meeting, **fields)
            if meeting.sequence != sequence:
                messages.success(
                    request,
                    _("Mødet er gemt. Vi giver dem, der er inviteret eller tilmeldt, besked om ændringen."),
                )
            else:
                messages.success(request, _("Mødet er gemt."))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    return meeting


def meeting_create(request, slug: str | None = None):
    circle = None
    if slug is not None:
        circle = selectors.circle_get(slug=slug, viewer=request.user)
        if circle is None:
            raise Http404
    if not policies.meetings.can_create(request.user, circle):
        _refuse(visible=True)
    form = MeetingForm(request.POST or None, association_wide=circle is None)
    if request.method == "POST":
        existing = selectors.meeting_submitted(
            actor=request.user, submission_token=request.POST.get("submission_token", "")
        )
        if existing is not None:
            messages.info(
                request,
                _("Du har allerede sendt formularen, så vi har ikke gemt den igen. Her er det, du sendte."),
            )
            return redirect(existing)
    if request.method == "POST" and form.is_valid():
        meeting = _meeting_form_save(request, form=form, circle=circle)
        if meeting is not None:
            return redirect(meeting)
    kept.restore(request, form)
    return render(request, "circles/meeting_form.html", {"form": form, "circle": circle, "meeting": None})


def meeting_edit(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if not policies.meetings.can_edit(request.user, meeting):
        _refuse(visible=True)
    initial = {
        "title": meeting.title,
        "kind": meeting.kind,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
        "online_url": meeting.online_url,
        "agenda": meeting.agenda,
        "capacity": meeting.capacity,
        "signup_deadline": meeting.signup_deadline,
    }
    form = MeetingForm(request.POST or None, initial=initial, association_wide=False, meeting=meeting)
    if (
        request.method == "POST"
        and form.is_valid()
        and _meeting_form_save(request, form=form, circle=meeting.circle, meeting=meeting) is not None
    ):
        return redirect(meeting)
    kept.restore(request, form)
    return render(
        request,
        "circles/meeting_form.html",
        {"form": form, "circle": meeting.circle, "meeting": meeting},
    )


def _cancellable_meeting_or_404(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if not policies.meetings.can_cancel(request.user, meeting):
        _refuse(visible=True)
    return meeting


@require_safe
def meeting_cancel_confirm(request, pk: int):
    """Cancelling is asked first: the form posts to meeting_cancel."""
    meeting = _cancellable_meeting_or_404(request, pk)
    if meeting.is_cancelled:
        messages.info(request, _("Mødet er allerede aflyst."))
        return redirect(meeting)
    return render(request, "circles/meeting_cancel.html", {"meeting": meeting, "form": MeetingCancelForm()})


@require_POST
def meeting_cancel(request, pk: int):
    meeting = _cancellable_meeting_or_404(request, pk)
    form = MeetingCancelForm(request.POST)
    if not form.is_valid():
        return render(request, "circles/meeting_cancel.html", {"meeting": meeting, "form": form}, status=400)
    if meeting.is_cancelled:
        messages.info(request, _("Mødet er allerede aflyst."))
        return redirect(meeting)
    services.meeting_cancel(actor=request.user, meeting=meeting, message=form.cleaned_data["message"])
    messages.success(request, _("Mødet er aflyst. Vi giver dem, der er inviteret eller tilmeldt, besked."))
    return redirect(meeting)


def meeting_detail(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    data = selectors.meeting_detail_data(meeting=meeting, viewer=request.user)
    # The page shows the note in full: reading it here is reading the note.
    shown_note = (("note", data["note"].pk),) if data["note"] and data["note"].is_published else ()
    events.emit_in_transaction(
        "item_seen", user=request.user, kind="meeting", object_id=meeting.pk, also=shown_note
    )
    own = data["own_attendance"]
    # On the waiting list one has said "yes": the form shows that answer.
    initial = (
        {"response": AttendanceResponse.YES if own.response == "waiting" else own.response} if own else None
    )
    return render(
        request,
        "circles/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance_form": AttendanceForm(initial=initial),
            "is_general_assembly": meeting.kind == MeetingKind.GENERAL_ASSEMBLY,
            **poll_selectors.meeting_polls(meeting=meeting, viewer=request.user),
            **data,
        },
    )


def meeting_ics(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    response = HttpResponse(
        calendar_for([meeting], name=meeting.title), content_type="text/calendar; charset=utf-8"
    )
    filename = danish_slug(meeting.title, fallback="moede")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def note_edit(request, pk: int):
    """Write or edit the notes of meeting `pk`."""
    meeting = _meeting_or_404(request, pk)
    if not policies.meetings.can_write_note(request.user, meeting):
        _refuse(visible=True)
    note = meeting.note if selectors.meeting_has_note(meeting) else None
    association_wide = meeting.circle_id is None
    revisions = selectors.note_revision_list(note=note) if note is not None else []
    initial = {"base_revision": max((r.pk for r in revisions), default=0)}
    if note is not None:
        initial |= {
            "body": note.body,
            "visibility": note.visibility,
            "focus_areas": list(note.focus_areas.all()),
        }
    else:
        initial["body"] = note_from_agenda(meeting.agenda)
    form = NoteForm(request.POST or None, initial=initial, association_wide=association_wide)
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        try:
            note = services.note_save(
                actor=request.user,
                meeting=meeting,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                focus_areas=form.cleaned_data["focus_areas"],
                publish=publish,
                expected_revision=form.cleaned_data.get("base_revision"),
            )
        except EditConflict as exc:
            # The lead's text comes back; saving again replaces the newer version on purpose.
            data = request.POST.copy()
            data["base_revision"] = exc.current_version
            form = NoteForm(data, association_wide=association_wide)
            form.is_valid()
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if note.is_published:
                messages.success(request, _("Referatet er gemt og offentliggjort."))
            else:
                messages.success(request, _("Referatet er gemt som kladde."))
            return redirect(note)
    kept.restore(request, form)
    return render(
        request,
        "circles/note_form.html",
        {
            "form": form,
            "meeting": meeting,
            "note": note,
            "revisions": revisions,
        },
    )


def note_edit_by_note(request, pk: int):
    note = _note_for_edit(request, pk)
    return note_edit(request, note.meeting_id)


def note_detail(request, pk: int):
    note = selectors.note_get(pk=pk, viewer=request.user)
    if note is None:
        raise Http404
    events.emit_in_transaction("item_seen", user=request.user, kind="note", object_id=note.pk)
    return note_page(request, note)


def attachment_add(request, pk: int, target: str):
    if target == "note":
        note = _note_for_edit(request, pk)
        meeting, back = None, note
        edit_url = note.meeting.get_absolute_url()
    else:
        meeting = _meeting_or_404(request, pk)
        if not policies.attachments.can_create(request.user, meeting=meeting):
            _refuse(visible=True)
        note, back = None, meeting
        edit_url = meeting.get_absolute_url()
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(actor=request.user, file=upload, meeting=meeting, note=note)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Bilaget er tilføjet."))
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "circles/attachment_form.html",
        {"form": form, "back": back, "edit_url": edit_url, "target": target},
        status=status,
    )


@never_cache
def attachment_download(request, pk: int):
    attachment = selectors.attachment_get(pk=pk, viewer=request.user)
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def attachment_delete(request, pk: int):
    attachment = selectors.attachment_get(pk=pk, viewer=request.user)
    if attachment is None or not policies.attachments.can_delete(request.user, attachment):
        _refuse(visible=attachment is not None)
    back = attachment.note or attachment.meeting
    services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("Bilaget er slettet."))
    return redirect(back)


def calendar_settings(request):
    if request.method == "POST":
        services.calendar_token_renew(user=request.user)
        messages.success(request, _("Du har fået en ny kalenderadresse. Den gamle virker ikke længere."))
        return redirect("circles:calendar_settings")
    token = services.calendar_token_get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(token.get_feed_url())
    return render(request, "circles/calendar_settings.html", {"feed_url": feed_url})


@public
@conditional_page
@cache_control(private=True, no_cache=True)
def calendar_feed(request, token: str):
    """The personal feed; the token is the only credential, so unknown tokens are plain 404s.

    Calendar apps poll it; they revalidate with the ETag (never kept by a shared cache) and get
    304 Not Modified while nothing changed."""
    calendar_token = selectors.calendar_token_get(token=token)
    if calendar_token is None or not policies.calendar_feed.can_use(calendar_token.user):
        raise Http404
    meetings = selectors.calendar_meetings_for(user=calendar_token.user)
    deadlines = voice_selectors.open_consultations(viewer=calendar_token.user, limit=50)
    body = feed_for(meetings, name=_("KOMDIR-møder"), deadlines=deadlines)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
