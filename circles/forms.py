"""Validation and normalisation for circle pages; views hand cleaned_data to services."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import AttendanceResponse, MeetingKind, NoteVisibility
from circles.uploads import check_upload
from focus.forms import new_submission_token
from focus.models import FocusArea


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (MeetingKind.GENERAL_ASSEMBLY, MeetingKind.GENERAL_ASSEMBLY.label),
            (MeetingKind.PROFESSIONAL, MeetingKind.PROFESSIONAL.label),
        ],
    )
    starts_at = forms.DateTimeField(
        label=_("Starter"),
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Dansk tid."),
    )
    ends_at = forms.DateTimeField(
        label=_("Slutter"),
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    location = forms.CharField(label=_("Sted"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Link til onlinemøde"), required=False, assume_scheme="https", max_length=200
    )
    agenda = forms.CharField(
        label=_("Dagsorden"),
        widget=forms.Textarea(attrs={"rows": 10, "class": "komdir-wide-textarea"}),
        required=False,
        help_text=_("Du kan bruge Markdown: **fed**, *kursiv*, lister med - og overskrifter med ##."),
    )
    capacity = forms.IntegerField(
        label=_("Antal pladser"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_(
            "Tom: ingen grænse. Er mødet fuldt, kommer de næste på venteliste og rykker op af sig selv."
        ),
    )
    signup_deadline = forms.DateTimeField(
        label=_("Tilmeldingsfrist"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    # One value per rendered form: the same form sent twice makes one meeting (see services).
    submission_token = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_token
    )

    def __init__(self, *args, association_wide: bool = False, meeting=None, **kwargs):
        """`meeting`: the meeting being edited (None when a new one is planned)."""
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        # Only the secretariat's association-wide events have a kind to choose.
        if not association_wide:
            del self.fields["kind"]

    def _saved_if_same_minute(self, value, field: str):
        # DateTimeField already reads the input in the current time zone (Europe/Copenhagen).
        # The form shows minutes only: the same minute as saved is no change (and no move).
        saved = getattr(self.meeting, field, None)
        if value is not None and saved is not None and same_minute(value, saved):
            return saved
        return value

    def clean_starts_at(self):
        return self._saved_if_same_minute(self.cleaned_data["starts_at"], "starts_at")

    def clean_ends_at(self):
        return self._saved_if_same_minute(self.cleaned_data["ends_at"], "ends_at")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts:
            try:
                check_not_in_past(starts, saved=getattr(self.meeting, "starts_at", None))
            except ValidationError as exc:
                self.add_error("starts_at", exc)
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Mødet skal slutte efter, det er begyndt."))
        deadline = cleaned.get("signup_deadline")
        if deadline and starts and deadline > starts:
            self.add_error("signup_deadline", _("Tilmeldingsfristen skal ligge, før mødet begynder."))
        return cleaned

    def clean_signup_deadline(self):
        return self._saved_if_same_minute(self.cleaned_data["signup_deadline"], "signup_deadline")


def same_minute(a, b) -> bool:
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def check_not_in_past(starts_at, *, saved=None, now=None) -> None:
    """A meeting is planned from now on. A meeting already in the past may be edited as long as
    its start stays where it was (`saved`); moving it into the past is refused."""
    if saved is not None and same_minute(starts_at, saved):
        return
    if starts_at < (now or timezone.now()):
        raise ValidationError(
            _("Mødet kan ikke begynde i fortiden. Vælg et tidspunkt, der ligger efter nu."),
            code="in_the_past",
        )


class MeetingCancelForm(forms.Form):
    message = forms.CharField(
        label=_("Besked til deltagerne"),
        help_text=_("Fx hvorfor mødet er aflyst, eller hvornår I finder en ny dato."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
    )


class AttendanceForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Deltager du?"),
        # The waiting list is the service's answer to a "yes" when the meeting is full.
        choices=[(c.value, c.label) for c in AttendanceResponse if c != AttendanceResponse.WAITING],
        widget=forms.RadioSelect,
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Referat"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "komdir-wide-textarea"}),
        help_text=_("Du kan bruge Markdown: **fed**, *kursiv*, lister med - og overskrifter med ##."),
    )
    visibility = forms.ChoiceField(
        label=_("Hvem må læse referatet?"),
        choices=NoteVisibility.choices,
        widget=forms.RadioSelect,
        initial=NoteVisibility.CIRCLE,
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Drøftede fokusområder"),
        queryset=FocusArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The newest revision when the form was opened (0: no note yet); a newer one is a conflict.
    base_revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, association_wide: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = (
            FocusArea.objects.browsable().select_related("period").order_by("-period__start_year", "number")
        )
        if association_wide:
            self.fields["visibility"].choices = [(NoteVisibility.MEMBERS, NoteVisibility.MEMBERS.label)]
            self.fields["visibility"].initial = NoteVisibility.MEMBERS


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("pdf, docx, xlsx, pptx, png eller jpg; højst 20 MB."),
        allow_empty_file=True,  # check_upload gives the clearer Danish message
        max_length=255,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, name=upload.name)
        return upload


class PresenceForm(forms.Form):
    """After the meeting: who came."""

    present = forms.MultipleChoiceField(
        label=_("Deltog"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(u.pk), u.get_full_name() or u.email) for u in people]


_AGENDA_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*+]|#+)\s+(?P<text>.+?)\s*$")


def note_from_agenda(agenda: str) -> str:
    """A new note starts from the meeting's agenda: one section per agenda item (a numbered or
    bulleted line, or a heading), for the lead to fill in."""
    items = [m.group("text") for line in agenda.splitlines() if (m := _AGENDA_ITEM.match(line))]
    return "".join(f"## {item}\n\n\n" for item in items)
