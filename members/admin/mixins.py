"""What every members' admin page shares: readable change messages and fields no one reads."""

from __future__ import annotations

from django import forms
from django.db.models.constants import LOOKUP_SEP
from django.utils import translation
from django.utils.translation import gettext


def _display_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


class AuditedAdminMixin:
    """Change messages that say what each changed field was and became, not only its name.

    Django's LogEntry is the audit log (who, when, which object); this makes the "what"
    readable on each object's history page. Relations and passwords show only their name.
    """

    audit_value_types = (bool, int, str, type(None))
    audit_hidden_fields = {"password"}

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if add:
            return message
        # Stored untranslated like Django's own messages (Danish is the msgid language).
        with translation.override(None):
            for entry in message:
                changed = entry.get("changed")
                if not changed:
                    continue
                if "name" not in changed:
                    changed["fields"] = self._audit_labels(form, form.changed_data)
                    continue
                for formset in formsets or []:
                    for obj, fields in formset.changed_objects:
                        if str(obj) == changed["object"] and str(obj._meta.verbose_name) == changed["name"]:
                            obj_form = next((f for f in formset.forms if f.instance.pk == obj.pk), None)
                            if obj_form is not None:
                                changed["fields"] = self._audit_labels(obj_form, fields)
        return message

    def _audit_labels(self, form, changed_data) -> list[str]:
        labels = []
        for name in changed_data:
            if name not in form.fields:
                labels.append(name)
                continue
            label = str(form[name].label)
            old, new = form.initial.get(name), form.cleaned_data.get(name)
            if (
                name not in self.audit_hidden_fields
                and isinstance(old, self.audit_value_types)
                and isinstance(new, self.audit_value_types)
                and not isinstance(form.fields[name], forms.ModelChoiceField)
            ):
                label = f"{label} ({_display_value(old)} → {_display_value(new)})"
            labels.append(label)
        return labels


class SecretFieldsAdminMixin:
    """Fields no one reads in the admin, not even by guessing: a changelist filter such as
    `?data__startswith=J` would answer yes or no for each guessed character."""

    secret_fields: frozenset[str] = frozenset()

    def lookup_allowed(self, lookup, value, request):
        if lookup.split(LOOKUP_SEP, 1)[0] in self.secret_fields:
            return False
        return super().lookup_allowed(lookup, value, request)
