from django import forms
from django.utils.translation import gettext_lazy as _


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
