from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from komdir.lib import kept
from komdir.lib.access import public
from members import selectors, services
from members.forms import InvitationAcceptForm, ProfileForm

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@public
@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token: str):
    invitation = selectors.invitation_get_by_token(token)
    if invitation is None:
        return render(request, "members/invitation_invalid.html", {"reason": "unknown"}, status=404)
    if invitation.status != "pending":
        return render(
            request,
            "members/invitation_invalid.html",
            {"reason": invitation.status, "invitation": invitation},
            status=410,
        )
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(
                request, _("Velkommen til KOMDIR-portalen, %(name)s.") % {"name": user.first_name}
            )
            return redirect("home")
    return render(request, "members/invitation_accept.html", {"form": form, "invitation": invitation})


@never_cache
def profile_edit(request):
    # One's own profile: the middleware has asked for the login, so there is no one else's.
    member = request.user
    profile = getattr(member, "profile", None)
    initial = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "title": profile.title if profile else "",
        "phone": profile.phone if profile else "",
        "bio": profile.bio if profile else "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Din profil er gemt."))
            return redirect("directory:profile", pk=member.pk)
    kept.restore(request, form)
    return render(request, "members/member_profile_edit.html", {"form": form, "member": member})
