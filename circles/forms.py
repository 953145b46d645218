"""Validation and normalisation for circle pages; views hand cleaned_data to services."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import AttendanceResponse, MeetingKind, NoteVisibility
from circles.uploads import check_upload
from focus.forms import new_submission_token
from focus.models import FocusArea

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


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
    # One value per rendered form: the same form sent twice makes one meeting (see services).
    submission_token = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_token
    )

    def __init__(self, *args, association_wide: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the secretariat's association-wide events have a kind to choose.
        if not association_wide:
            del self.fields["kind"]

    def _aware(self, value):
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value, COPENHAGEN)
        return value

    def clean_starts_at(self):
        return self._aware(self.cleaned_data["starts_at"])

    def clean_ends_at(self):
        return self._aware(self.cleaned_data["ends_at"])

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Mødet skal slutte efter, det er begyndt."))
        return cleaned


class AttendanceForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Deltager du?"), choices=AttendanceResponse.choices, widget=forms.RadioSelect
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
            FocusArea.objects.exclude(period__status="draft")
            .select_related("period")
            .order_by("-period__start_year", "number")
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
