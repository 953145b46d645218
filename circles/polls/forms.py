"""Validation for the poll pages and the admin; views and the admin hand cleaned_data to services."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.forms import LocalDateTimeInput, same_minute
from circles.polls.models import PollKind, ResultsShown
from focus.forms import new_submission_token

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _next_hour(days: int = 0):
    now = timezone.localtime() + timedelta(days=days)
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


class PollForm(forms.Form):
    question = forms.CharField(label=_("Spørgsmål"), max_length=300)
    description = forms.CharField(
        label=_("Baggrund"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "komdir-wide-textarea"}),
        help_text=_("Det, medlemmerne skal vide for at svare. Du kan bruge Markdown."),
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=PollKind.choices, widget=forms.RadioSelect, initial=PollKind.SINGLE
    )
    options = forms.CharField(
        label=_("Svarmuligheder"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Én pr. linje, mindst to. Ved et forslag er svarene altid enig, afventer, uenig og blokerer."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Hemmelig afstemning"),
        required=False,
        help_text=_(
            "Ingen kan se, hvem der har stemt hvad – heller ikke du. En hemmelig stemme kan ikke ændres."
        ),
    )
    results_shown = forms.ChoiceField(
        label=_("Hvornår kan medlemmerne se resultatet?"),
        choices=ResultsShown.choices,
        widget=forms.RadioSelect,
        initial=ResultsShown.AFTER_VOTE,
    )
    opens_at = forms.DateTimeField(
        label=_("Åbner"),
        widget=LocalDateTimeInput(),
        input_formats=DATETIME_FORMATS,
        help_text=_("Dansk tid."),
    )
    closes_at = forms.DateTimeField(
        label=_("Lukker"), widget=LocalDateTimeInput(), input_formats=DATETIME_FORMATS
    )
    submission_token = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_token
    )

    def __init__(self, *args, poll=None, voted: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        if poll is None:
            self.fields["opens_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
            self.fields["closes_at"].initial = _next_hour(days=7)
        if voted:
            # What the votes were cast on stays as it is (services.FIELDS_AFTER_FIRST_VOTE).
            for name in ("kind", "options", "anonymous", "opens_at"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Kan ikke ændres, når der er stemt.")

    def _saved_if_same_minute(self, field: str):
        # The form shows minutes only: the same minute as saved is no change.
        value, saved = self.cleaned_data[field], getattr(self.poll, field, None)
        return saved if value and saved and same_minute(value, saved) else value

    def clean_opens_at(self):
        return self._saved_if_same_minute("opens_at")

    def clean_closes_at(self):
        return self._saved_if_same_minute("closes_at")

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Afstemningen skal lukke efter, den åbner."))
        if (
            cleaned.get("kind") in (PollKind.SINGLE, PollKind.MULTIPLE)
            and len(cleaned.get("options") or []) < 2
        ):
            self.add_error("options", _("Skriv mindst to svarmuligheder, én pr. linje."))
        return cleaned


class VoteForm(forms.Form):
    """The ballot: the poll's options as radio buttons (one answer) or checkboxes (several)."""

    choice = forms.MultipleChoiceField(label=_("Dit svar"), error_messages={"required": _("Vælg et svar.")})
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vises sammen med resultatet."),
    )

    def __init__(self, *args, poll, options, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        field.choices = [(str(o.pk), o.label) for o in options]
        if poll.allows_several:
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
            field.error_messages["required"] = _("Vælg mindst ét svar.")
        else:
            field = self.fields["choice"] = forms.ChoiceField(
                label=_("Dit svar"),
                choices=field.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Vælg et svar.")},
            )
        if poll.anonymous:
            self.fields["comment"].help_text = _("Vises uden dit navn sammen med resultatet.")

    def chosen_ids(self) -> list[int]:
        value = self.cleaned_data["choice"]
        return [int(v) for v in (value if isinstance(value, list) else [value])]
