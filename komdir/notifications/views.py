"""E-mail preferences, follow buttons and the one-click unsubscribe of our mails."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from circles.models import Circle
from focus.models import Case, FocusArea
from komdir.lib.access import public
from komdir.lib.redirects import safe_next
from komdir.notifications import selectors, services
from komdir.notifications.forms import NotificationSettingsForm
from komdir.notifications.models import PREFERENCE_FIELDS, FollowKind, NotificationSettings
from members import policies as member_policies
from members.policies import is_member


@never_cache
def notification_settings(request):
    if not member_policies.members.can_edit_profile(request.user, request.user):
        raise Http404
    prefs = selectors.settings_get(request.user)
    initial = {field: getattr(prefs, field) for field in PREFERENCE_FIELDS}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.settings_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Dine indstillinger for e-mail er gemt."))
        return redirect("notifications:settings")
    return render(request, "members/notification_settings.html", {"form": form})


def _follow_target(user, kind: str, pk: int):
    """The object to follow, if `user` may read it."""
    if kind == FollowKind.CASE:
        return Case.objects.visible_to(user).published().filter(pk=pk).first()
    if kind == FollowKind.FOCUS_AREA:
        return FocusArea.objects.browsable().select_related("period").filter(pk=pk).first()
    if kind == FollowKind.CIRCLE:
        return Circle.objects.filter(pk=pk).first()
    return None


@require_POST
def follow(request, kind: str, pk: int):
    if not is_member(request.user):
        raise Http404
    target = _follow_target(request.user, kind, pk)
    if target is None:
        raise Http404
    active = request.POST.get("active") == "1"
    services.follow_set(user=request.user, kind=kind, object_id=target.pk, active=active)
    if active:
        messages.success(request, _("Du følger nu %(name)s.") % {"name": target})
    else:
        messages.success(request, _("Du følger ikke længere %(name)s.") % {"name": target})
    return redirect(safe_next(request, request.POST.get("next"), fallback=target.get_absolute_url()))


@public
@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session or a CSRF token
@never_cache
def unsubscribe(request, token: str):
    found = services.unsubscribe_parse(token)
    if found is None:
        return render(request, "members/unsubscribe.html", {"invalid": True}, status=404)
    user, preference = found
    label = (
        _("alle e-mails fra portalen")
        if preference == services.ALL
        else NotificationSettings._meta.get_field(preference).verbose_name
    )
    done = False
    if request.method == "POST":
        services.unsubscribe_apply(user=user, preference=preference)
        done = True
    response = render(
        request,
        "members/unsubscribe.html",
        {"label": label, "done": done, "token": token, "email": user.email},
    )
    return response
