"""Validation of the positions' forms; saving is the services' work."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focus.voice.models import Consent
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
