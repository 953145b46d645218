from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from members import selectors, services
from members.forms import DirectoryFilterForm, InvitationAcceptForm, ProfileForm
from members.permissions import can_edit_profile, can_view_directory, can_view_member

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


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


DIRECTORY_PAGE_SIZE = 30


def directory(request):
    if not can_view_directory(request.user):
        return redirect_to_login(request.get_full_path())
    choices = selectors.member_directory_filters()
    form = DirectoryFilterForm(request.GET or None, **choices)
    filters = form.filters() if request.GET else {}
    members = selectors.member_directory(viewer=request.user, **filters)
    page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "members/member_directory.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "query": query.urlencode(),
        },
    )


def _contributions(*, member, viewer) -> dict:
    """The member's cases and recent comments, once focus/ offers selectors for them."""
    from focus import selectors as focus_selectors

    found = {}
    case_list = getattr(focus_selectors, "case_list_for_author", None)
    if case_list is not None:
        found["cases"] = list(case_list(author=member, viewer=viewer)[:10])
    comment_list = getattr(focus_selectors, "comment_list_recent_for_author", None)
    if comment_list is not None:
        found["comments"] = list(comment_list(author=member, viewer=viewer)[:5])
    return found


def profile(request, pk: int):
    if not request.user.is_authenticated:
        # Visitors learn nothing, not even whether the profile exists.
        return redirect_to_login(request.get_full_path())
    member = selectors.member_get(pk=pk)
    if member is None or not can_view_member(request.user, member):
        raise Http404
    return render(
        request,
        "members/member_profile.html",
        {
            "member": member,
            "profile": getattr(member, "profile", None),
            "circles": [m.circle for m in member.circle_memberships.all()],
            "can_edit": can_edit_profile(request.user, member),
            **_contributions(member=member, viewer=request.user),
        },
    )


@never_cache
def profile_edit(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    member = request.user
    if not can_edit_profile(request.user, member):
        raise Http404
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
            return redirect("members:profile", pk=member.pk)
    return render(request, "members/member_profile_edit.html", {"form": form, "member": member})
