"""Admin pages that save through the services and show a service's refusal on the form.

Django's admin calls `save_model` after the form has validated, when it can no longer show an
error. A service may still refuse (an edit conflict found under lock, a rule only the service
knows): `refused()` turns that into ServiceRefused, the admin's transaction rolls back, and the
page is shown again with the editor's text and the service's Danish message on the form.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import admin
from django.core.exceptions import ValidationError

from komdir.lib.conflicts import EditConflict, keep_text_on_conflict


class ServiceRefused(Exception):
    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


@contextmanager
def refused():
    """Around a service call in `save_model`/`save_formset`/`delete_model`."""
    try:
        yield
    except ValidationError as exc:
        raise ServiceRefused(exc) from exc


class ServiceAdminMixin:
    """For a ModelAdmin whose writes go through services (see `refused`).

    `version_field` names the form's hidden field with the version the editor opened, which
    an EditConflict moves to the current version so that saving again overwrites on purpose.
    """

    version_field: str | None = None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as exc:
            # The first attempt was rolled back with the admin's transaction; this one only
            # shows the form again, with the posted text and the refusal.
            request._komdir_service_refusal = exc.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_komdir_service_refusal", None)
        if error is None:
            return form_class
        version_field = self.version_field

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if isinstance(error, EditConflict) and version_field:
                    keep_text_on_conflict(self, error, field=version_field)
                else:
                    self.add_error(None, error)
                return cleaned

        return RefusedForm


class ListOnlyAdmin(admin.ModelAdmin):
    """A changelist the secretariat finds and filters things in; they are written elsewhere (in
    the portal, through the services), so the admin adds and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
