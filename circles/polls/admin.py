"""The secretariat's poll screens. Every write goes through circles.polls.services, as in the
portal: the same checks, the same notice to those who may vote. Votes are never edited here."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from circles.polls import services
from circles.polls.models import Poll, PollKind
from komdir.lib.admin_services import ServiceAdminMixin, refused


class PollAdminForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("Svarmuligheder"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Én pr. linje. Ved et forslag er svarene altid enig, afventer, uenig og blokerer."),
    )

    class Meta:
        model = Poll
        fields = ["circle", "meeting", *services.POLL_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(o.label for o in self.instance.options.all())

    def clean_options_text(self):
        return [line.strip() for line in self.cleaned_data["options_text"].splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != PollKind.PROPOSAL and len(cleaned.get("options_text") or []) < 2:
            self.add_error("options_text", _("Skriv mindst to svarmuligheder, én pr. linje."))
        return cleaned


@admin.register(Poll)
class PollAdmin(ServiceAdminMixin, admin.ModelAdmin):
    form = PollAdminForm
    list_display = ["question", "circle", "kind", "anonymous", "opens_at", "closes_at", "participants"]
    list_filter = ["kind", "anonymous", "circle"]
    list_select_related = ["circle"]
    search_fields = ["question"]
    date_hierarchy = "closes_at"
    actions = ["close_polls"]
    readonly_fields = ["portal_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participant_count=Count("participations"))

    @admin.display(description=_("har stemt"), ordering="participant_count")
    def participants(self, obj) -> int:
        return obj.participant_count

    @admin.display(description=_("i portalen"))
    def portal_link(self, obj) -> str:
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), _("Se afstemningen og hent resultatet")
        )

    def get_readonly_fields(self, request, obj=None):
        # Who is asked stays who was told: a poll keeps its circle.
        return ["portal_link", "circle"] if obj is not None else ["portal_link"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in services.POLL_FIELDS if name in data}
        with refused():
            if change:
                saved = services.poll_update(
                    actor=request.user,
                    poll=Poll.objects.get(pk=obj.pk),
                    options=data["options_text"] if "options_text" in form.changed_data else None,
                    **{k: v for k, v in fields.items() if k in form.changed_data},
                )
            else:
                saved = services.poll_create(
                    actor=request.user,
                    circle=data.get("circle"),
                    meeting=data.get("meeting"),
                    options=data["options_text"],
                    **fields,
                )
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # the service wrote the options

    def delete_model(self, request, obj):
        services.poll_delete(actor=request.user, poll=obj)

    def delete_queryset(self, request, queryset):
        for poll in queryset:
            services.poll_delete(actor=request.user, poll=poll)

    @admin.action(description=_("Luk de valgte afstemninger nu"))
    def close_polls(self, request, queryset):
        closed = 0
        for poll in queryset:
            if poll.is_closed:
                continue
            services.poll_close(actor=request.user, poll=poll)
            closed += 1
        messages.success(
            request,
            ngettext("%(n)s afstemning er lukket.", "%(n)s afstemninger er lukket.", closed) % {"n": closed},
        )
