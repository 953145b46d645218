from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from members.models import Invitation


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Efternavn"), max_length=150)
    password1 = forms.CharField(
        label=_("Adgangskode"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindst 12 tegn. Undgå ord, der ligner dit navn eller din e-mail."),
    )
    password2 = forms.CharField(
        label=_("Gentag adgangskoden"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        self.invitation = invitation
        kwargs.setdefault("initial", {"first_name": invitation.first_name, "last_name": invitation.last_name})
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De to adgangskoder er ikke ens."))
        elif p1:
            from members.models import User

            probe = User(
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


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


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Efternavn"), max_length=150)
    title = forms.CharField(label=_("Stillingsbetegnelse"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=30,
        required=False,
        help_text=_("Vises for andre medlemmer i medlemsoversigten."),
    )
    bio = forms.CharField(
        label=_("Kort præsentation"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["phone"].widget.input_type = "tel"

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in " +-()" for ch in phone):
            raise forms.ValidationError(_("Skriv kun tal, mellemrum og evt. + foran landekoden."))
        return phone


class NotificationSettingsForm(forms.Form):
    """E-mail preferences (issue 5); field names match NotificationSettings."""

    mail_replies = forms.BooleanField(label=_("Svar på mine kommentarer"), required=False)
    mail_case_comments = forms.BooleanField(label=_("Kommentarer på mine cases"), required=False)
    mail_circle_notes = forms.BooleanField(label=_("Nye referater i min kreds"), required=False)
    mail_circle_meetings = forms.BooleanField(
        label=_("Nye møder i min kreds"),
        required=False,
        help_text=_("Med mødet vedhæftet som kalenderfil."),
    )
    weekly_digest = forms.BooleanField(
        label=_("Ugentligt overblik"),
        required=False,
        help_text=_("Én e-mail om ugen med det nye i de fokusområder, cases og kredse, du følger."),
    )


class AccountDeleteForm(forms.Form):
    """Deleting one's account: the password again, and a choice about one's contributions."""

    password = forms.CharField(
        label=_("Din adgangskode"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Skriv din adgangskode igen for at bekræfte, at det er dig."),
    )
    delete_contributions = forms.BooleanField(
        label=_("Slet også mine cases og kommentarer"),
        required=False,
        help_text=_(
            "Uden flueben bliver dine cases og kommentarer stående under navnet “Tidligere medlem”, "
            "så drøftelserne stadig kan læses."
        ),
    )
    confirm = forms.BooleanField(
        label=_("Jeg forstår, at kontoen ikke kan genskabes"),
        required=True,
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Adgangskoden er forkert."))
        return password
