"""Signing up for a meeting (capacity, waiting list, deadline), who is coming, the attendance
list as CSV and who came, marked by the lead after the meeting."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from circles import policies, selectors, services
from circles.forms import AttendanceForm, PresenceForm
from circles.models import Attendance, AttendanceResponse
from circles.views.meetings import _meeting_or_404, _refuse
from komdir.lib.access import public
from komdir.lib.spreadsheets import safe_cell
from komdir.lib.text import danish_slug


def _say_answer(request, attendance, *, saved: str) -> None:
    if attendance.response == AttendanceResponse.WAITING:
        position = selectors.waiting_position(attendance)
        message = _("Mødet er fuldt. Du er nr. %(n)s på ventelisten. Får du en plads, skriver vi til dig.")
        messages.warning(request, message % {"n": position})
    else:
        messages.success(request, saved)


@require_POST
def attendance_set(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if not policies.meetings.can_respond(request.user, meeting):
        _refuse(visible=True)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vælg, om du deltager."))
        return redirect(meeting)
    try:
        attendance = services.attendance_set(
            user=request.user, meeting=meeting, response=form.cleaned_data["response"]
        )
    except ValidationError as exc:
        messages.error(request, services.validation_message(exc))
        return redirect(meeting)
    _say_answer(request, attendance, saved=_("Dit svar er gemt."))
    return redirect(meeting)


@never_cache
def attendance_export(request, pk: int):
    """The attendance list as CSV for the meeting's leads and the secretariat."""
    meeting = _meeting_or_404(request, pk)
    if not policies.meetings.can_view_attendance(request.user, meeting):
        _refuse(visible=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localtime(meeting.starts_at)
    filename = f"deltagere-{day:%Y-%m-%d}-{danish_slug(meeting.title, max_length=40)}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Navn"), _("Kommune"), _("E-mail"), _("Svar"), _("Venteliste nr."), _("Deltog"), _("Svaret")]
    )
    for row in selectors.attendance_rows(meeting=meeting):
        a = row.attendance
        municipality = getattr(getattr(a.user, "profile", None), "municipality", None)
        writer.writerow(
            [
                safe_cell(a.user.get_full_name()),
                safe_cell(municipality.name if municipality else ""),
                safe_cell(a.user.email),
                a.get_response_display(),
                row.position or "",
                {True: _("Ja"), False: _("Nej"), None: ""}[a.attended],
                timezone.localtime(a.updated_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


def presence_record(request, pk: int):
    """After the meeting: the lead ticks who came."""
    meeting = _meeting_or_404(request, pk)
    if not policies.meetings.can_record_presence(request.user, meeting):
        _refuse(visible=True)
    people = selectors.presence_people(meeting=meeting)
    initial = {"present": [str(u.pk) for u in people if u.attended]}
    form = PresenceForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            came = services.attendance_record_presence(
                actor=request.user, meeting=meeting, present=form.cleaned_data["present"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Fremmødet er gemt: %(n)s deltog.") % {"n": came})
            return redirect(meeting)
    return render(request, "circles/meeting_presence.html", {"meeting": meeting, "form": form})


@public
@never_cache
def answer_from_mail(request, token: str):
    """The link in a meeting's mails: answer without logging in. GET shows the meeting and the
    choices (a mail client or a link checker may open it); only the button (POST) answers."""
    found = services.answer_token_parse(token)
    if found is None:
        return render(request, "circles/answer_from_mail.html", {"invalid": True}, status=404)
    user, meeting = found
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            try:
                attendance = services.attendance_set(
                    user=user, meeting=meeting, response=form.cleaned_data["response"]
                )
            except ValidationError as exc:
                messages.error(request, services.validation_message(exc))
            else:
                _say_answer(request, attendance, saved=_("Tak. Dit svar er gemt."))
            return redirect(request.path)
    own = Attendance.objects.filter(meeting=meeting, user=user).first()
    return render(
        request,
        "circles/answer_from_mail.html",
        {
            "meeting": meeting,
            "person": user,
            "own": own,
            "position": selectors.waiting_position(own) if own else None,
        },
    )
