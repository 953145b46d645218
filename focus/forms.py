"""Forms for member contributions: validation and normalisation only; services save."""

from __future__ import annotations

import uuid

from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags

from focus.models import FocusArea, GuidingQuestion

MAX_TAGS = 10


def new_submission_token() -> str:
    return uuid.uuid4().hex


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(
        label=_("Kort resumé"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("To-tre sætninger, der vises i oversigten over cases."),
    )
    body = forms.CharField(
        label=_("Beskrivelse"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Fortæl, hvad I gjorde, hvad der virkede, og hvad I har lært. Du kan bruge Markdown: "
            "**fed**, *kursiv*, lister med - og links som [tekst](https://adresse)."
        ),
    )
    focus_area = forms.ModelChoiceField(
        label=_("Fokusområde"), queryset=FocusArea.objects.none(), empty_label=_("Vælg fokusområde")
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Vejledende spørgsmål, som casen svarer på"),
        queryset=GuidingQuestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Emneord"),
        required=False,
        max_length=1000,
        help_text=_("Adskil emneordene med komma, fx: ældre, rekruttering, velfærdsteknologi."),
    )
    is_public = forms.BooleanField(
        label=_("Casen må vises offentligt"),
        required=False,
        help_text=_(
            "Sæt kun flueben, hvis alle – også folk uden for KOMDIR – må læse casen. "
            "Uden flueben kan kun medlemmerne se den. Kommentarerne er altid kun for medlemmerne."
        ),
    )

    # The version the form was opened on (edits only): a newer saved version is a conflict.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # One value per rendered form: the same form sent twice makes one case (see services).
    submission_token = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_token
    )

    # What a draft may leave out ("Gem som kladde" needs only a title); publishing needs all.
    DRAFT_OPTIONAL = ("summary", "body", "focus_area")

    def __init__(self, *args, case=None, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if draft:
            for name in self.DRAFT_OPTIONAL:
                self.fields[name].required = False
        # New cases belong to the current period; an older case keeps its own (archived) area.
        in_scope = Q(period__status="current")
        if case is not None:
            in_scope |= Q(pk=case.focus_area_id)
        areas = FocusArea.objects.select_related("period").filter(in_scope)
        self.fields["focus_area"].queryset = areas
        self.fields["questions"].queryset = GuidingQuestion.objects.select_related("focus_area").filter(
            focus_area__in=areas
        )
        self.fields["questions"].label_from_instance = lambda q: f"{q.focus_area.number}. {q.text}"

    def clean_tags(self) -> list[str]:
        names = parse_tags(self.cleaned_data.get("tags", ""))
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(_("Brug højst %(max)s emneord.") % {"max": MAX_TAGS})
        for name in names:
            if len(name) > 100:
                raise forms.ValidationError(_("Et emneord må højst være 100 tegn."))
            if not slugify(name, allow_unicode=True):
                raise forms.ValidationError(
                    _("Emneordet “%(tag)s” skal indeholde mindst ét bogstav eller tal.") % {"tag": name[:40]}
                )
        return names

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("focus_area")
        questions = cleaned.get("questions") or []
        if area is not None and any(q.focus_area_id != area.pk for q in questions):
            self.add_error("questions", _("Vælg kun spørgsmål fra det fokusområde, casen hører til."))
        elif area is None and questions and "focus_area" not in self.errors:
            self.add_error("questions", _("Vælg det fokusområde, spørgsmålene hører til."))
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Din kommentar"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alle medlemmer kan se din kommentar med dit navn, din titel og din kommune."),
    )
    # One value per rendered form: a double-clicked submit sends the same value twice.
    submission_token = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_token
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor skal sekretariatet se på indholdet?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kun sekretariatet ser din indberetning."),
    )
    # One value per rendered form: the same form sent twice makes one report (see services).
    submission_token = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_token
    )


class CaseFilterForm(forms.Form):
    """The GET filters of the case list. Unknown values are ignored, never an error page."""

    SORT_CHOICES = [("newest", _("Nyeste")), ("discussed", _("Mest debatterede"))]

    area = forms.TypedChoiceField(label=_("Fokusområde"), required=False, coerce=int, empty_value=None)
    question = forms.TypedChoiceField(
        label=_("Vejledende spørgsmål"), required=False, coerce=int, empty_value=None
    )
    tag = forms.ChoiceField(label=_("Emneord"), required=False)
    municipality = forms.TypedChoiceField(label=_("Kommune"), required=False, coerce=int, empty_value=None)
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=_("Sortér efter"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alle"))]
        self.fields["area"].choices = everything + [(a.pk, f"{a} ({a.period})") for a in choices["areas"]]
        self.fields["question"].choices = everything + [
            (q.pk, f"{q.focus_area.number}. {q.text[:90]}") for q in choices["questions"]
        ]
        self.fields["tag"].choices = everything + [(t.slug, t.name) for t in choices["tags"]]
        self.fields["municipality"].choices = everything + [(m.pk, m.name) for m in choices["municipalities"]]
        self.fields["region"].choices = everything + [(r.pk, r.name) for r in choices["regions"]]
        self._by_pk = {
            "area": {a.pk: a for a in choices["areas"]},
            "question": {q.pk: q for q in choices["questions"]},
            "municipality": {m.pk: m for m in choices["municipalities"]},
            "region": {r.pk: r for r in choices["regions"]},
        }

    def filters(self) -> dict:
        """Keyword arguments for selectors.case_list; invalid values fall back to 'all'."""
        data = self.cleaned_data if self.is_valid() else {}
        result = {"sort": data.get("sort") or "newest", "tag": data.get("tag") or None}
        for name in ("area", "question", "municipality", "region"):
            result[name] = self._by_pk[name].get(data.get(name)) if data.get(name) else None
        return result
