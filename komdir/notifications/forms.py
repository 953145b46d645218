from django import forms
from django.utils.translation import gettext_lazy as _


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
    mail_meeting_reminders = forms.BooleanField(
        label=_("Påmindelse dagen før et møde, jeg er tilmeldt"),
        required=False,
        help_text=_("Med mødet som kalenderfil og et link, hvis du må melde fra."),
    )
    mail_polls = forms.BooleanField(
        label=_("Nye afstemninger, jeg kan stemme i"),
        required=False,
        help_text=_("Fra sekretariatet og fra din kreds."),
    )
    mail_positions = forms.BooleanField(
        label=_("Høringer og udkast til KOMDIR's holdninger, jeg kan give input til"),
        required=False,
        help_text=_(
            "Når sekretariatet sender et udkast i høring hos medlemmerne, og når der kommer en høring "
            "om et fokusområde, du følger."
        ),
    )
    weekly_digest = forms.BooleanField(
        label=_("Ugentligt overblik"),
        required=False,
        help_text=_("Én e-mail om ugen med det nye i de fokusområder, cases og kredse, du følger."),
    )
