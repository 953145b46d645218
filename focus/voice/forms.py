"""Validation of the positions' forms; saving is the services' work."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focus.models import FocusArea, GuidingQuestion
from focus.voice.models import CollectionAudience, Consent, Rule, RuleUse
from komdir.lib.widgets import DateInput
from members.models import Region


class PositionForm(forms.Form):
    title = forms.CharField(
        label=_("Overskrift"),
        max_length=200,
        help_text=_("Kort og klart: hvad mener KOMDIR? Fx ”Kommunerne skal have frihed til at …”"),
    )
    body = forms.CharField(
        label=_("Holdningen"),
        max_length=30000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown. Kilderne (cases og kommentarer) tilføjes for sig og vises under teksten."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CitationForm(forms.Form):
    quote = forms.CharField(
        label=_("Citat (valgfrit)"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kopiér ordret fra kilden. Et citat fra en kommentar eller en case, der kun er for "
            "medlemmer, kommer først med i den offentlige udgave, når medlemmet har sagt ja."
        ),
    )


class OpenForm(forms.Form):
    until = forms.DateField(
        label=_("Medlemmerne kan kommentere til og med"),
        widget=DateInput(),
    )
    region = forms.ModelChoiceField(
        label=_("Hvem kan kommentere"),
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label=_("Alle medlemmer"),
        help_text=_("Vælg en region for kun at høre medlemmerne fra den regions kommuner."),
    )

    def clean_until(self):
        day = self.cleaned_data["until"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Vælg i dag eller en dato efter i dag."))
        return day


class PositionCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Din kommentar til udkastet"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sekretariatet og de andre medlemmer, der er hørt, kan læse din kommentar."),
    )


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Må KOMDIR citere dig?"),
        choices=[
            (Consent.NAMED, _("Ja, med mit navn, min titel og min kommune")),
            (
                Consent.ANONYMOUS,
                _("Ja, men uden mit navn (fx ”en kommunaldirektør i Region Midtjylland”)"),
            ),
            (Consent.REFUSED, _("Nej, citatet må ikke bruges offentligt")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg et svar.")},
    )


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=250)
    sender = forms.CharField(
        label=_("Afsender"), max_length=200, help_text=_("Fx et ministerium, en styrelse eller KL.")
    )
    hearing_url = forms.URLField(
        label=_("Link til høringen"),
        required=False,
        assume_scheme="https",
        help_text=_("Fx på Høringsportalen."),
    )
    external_deadline = forms.DateField(label=_("Høringsfrist"), widget=DateInput())
    input_deadline = forms.DateField(
        label=_("Medlemmernes frist for input"),
        widget=DateInput(),
        help_text=_("Medlemmerne kan give input til og med denne dag."),
    )
    body = forms.CharField(
        label=_("Hvad handler høringen om?"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Skriv kort, hvad KOMDIR særligt vil høre medlemmerne om."),
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Fokusområder"),
        queryset=FocusArea.objects.browsable()
        .select_related("period")
        .order_by("-period__start_year", "number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Medlemmer, der følger et af dem, får besked om høringen."),
    )

    def clean(self):
        cleaned = super().clean()
        external, internal = cleaned.get("external_deadline"), cleaned.get("input_deadline")
        if external and internal and internal > external:
            self.add_error("input_deadline", _("Medlemmernes frist skal ligge før eller på høringsfristen."))
        return cleaned


class InputForm(forms.Form):
    body = forms.CharField(
        label=_("Dit input til høringen"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Kun medlemmer kan læse det. Vil sekretariatet citere dig i det offentlige høringssvar, "
            "spørger vi dig først."
        ),
    )


class SentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sendt den"), widget=DateInput())


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    audience = forms.ChoiceField(
        label=_("Hvem må læse samlingen"), choices=CollectionAudience.choices, widget=forms.RadioSelect
    )
    intro = forms.CharField(
        label=_("Indledning"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Hvem er samlingen til, og hvad viser eksemplerne?"),
    )


def _area_choice() -> forms.ModelChoiceField:
    """A filter by focus area ("Alle" for none)."""
    return forms.ModelChoiceField(
        label=_("Fokusområde"),
        queryset=FocusArea.objects.browsable()
        .select_related("period")
        .order_by("-period__start_year", "number"),
        required=False,
        empty_label=_("Alle"),
    )


class CandidateFilterForm(forms.Form):
    area = _area_choice()
    question = forms.ModelChoiceField(
        label=_("Spørgsmål"),
        queryset=GuidingQuestion.objects.browsable()
        .select_related("focus_area")
        .order_by("focus_area__number", "order", "pk"),
        required=False,
        empty_label=_("Alle"),
    )
    tag = forms.CharField(label=_("Emneord"), required=False, max_length=100)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name"), required=False, empty_label=_("Alle")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].label_from_instance = lambda q: f"{q.focus_area.number}. {q.text[:90]}"


class DispatchForm(forms.Form):
    recipient = forms.CharField(
        label=_("Modtager"), max_length=200, help_text=_("Fx et ministerium eller en konference.")
    )
    sent_on = forms.DateField(label=_("Sendt den"), widget=DateInput())


class RuleFilterForm(forms.Form):
    omraade = _area_choice()


class RuleForm(forms.Form):
    law = forms.CharField(label=_("Lov"), max_length=120, help_text=_("Fx Serviceloven."))
    paragraph = forms.CharField(label=_("Paragraf"), max_length=60, help_text=_("Fx § 83."))
    description = forms.CharField(label=_("Hvad reglen kræver"), max_length=300, required=False)


class CaseRuleForm(forms.Form):
    rule = forms.ModelChoiceField(
        label=_("Regel fra listen"),
        queryset=Rule.objects.filter(confirmed=True).order_by("law", "paragraph"),
        required=False,
        empty_label=_("Vælg en regel"),
    )
    law = forms.CharField(
        label=_("Eller en ny: lov"), max_length=120, required=False, help_text=_("Fx Serviceloven.")
    )
    paragraph = forms.CharField(label=_("Paragraf"), max_length=60, required=False, help_text=_("Fx § 83."))
    use = forms.ChoiceField(
        label=_("Casen"), choices=RuleUse.choices, widget=forms.RadioSelect, initial=RuleUse.LIFT
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("rule") and not (cleaned.get("law") and cleaned.get("paragraph")):
            raise forms.ValidationError(_("Vælg en regel fra listen, eller skriv lov og paragraf."))
        return cleaned
