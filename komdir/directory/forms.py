from django import forms
from django.utils.translation import gettext_lazy as _


class DirectoryFilterForm(forms.Form):
    """The member directory's filters (GET). Unknown values are dropped, never an error page."""

    q = forms.CharField(label=_("Søg efter navn"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    circle = forms.ChoiceField(label=_("Kreds"), required=False)
    municipality = forms.ChoiceField(label=_("Kommune"), required=False)

    def __init__(self, *args, regions, circles, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("Alle"))]
        self.fields["region"].choices = everyone + [(r.code, r.name) for r in regions]
        self.fields["circle"].choices = everyone + [(c.slug, c.name) for c in circles]
        self.fields["municipality"].choices = everyone + [(m.code, m.name) for m in municipalities]
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid value (an old link, a hand-edited URL) is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("q", "region", "circle", "municipality")}
