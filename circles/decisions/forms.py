"""The small forms on a note's page: a decision, an action, sharing the draft, a comment on it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focus.models import FocusArea, GuidingQuestion
from komdir.lib.widgets import DateInput


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beslutning"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Fokusområder"),
        queryset=FocusArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Spørgsmål"),
        queryset=GuidingQuestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = (
            FocusArea.objects.browsable().select_related("period").order_by("-period__start_year", "number")
        )
        self.fields["focus_areas"].queryset = areas
        self.fields["questions"].queryset = (
            GuidingQuestion.objects.filter(focus_area__in=areas)
            .select_related("focus_area")
            .order_by("focus_area__number", "order", "pk")
        )
        self.fields["questions"].label_from_instance = lambda q: f"{q.focus_area.number}. {q.text}"


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Handling"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Ansvarlig"), queryset=None, empty_label=_("Vælg et medlem"))
    due_date = forms.DateField(label=_("Frist"), required=False, widget=DateInput())

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.email


class ShareForm(forms.Form):
    until = forms.DateField(
        label=_("Kommentarer senest"),
        widget=DateInput(),
        help_text=_("Deltagerne kan læse udkastet og kommentere til og med denne dag."),
    )

    def clean_until(self):
        day = self.cleaned_data["until"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Vælg i dag eller en dato efter i dag."))
        return day


class NoteCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Din kommentar til udkastet"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kredsformanden og mødets andre deltagere kan læse din kommentar."),
    )
