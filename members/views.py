from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from komdir.lib import fragments, kept
from komdir.lib.redirects import safe_next
from members import notifications, selectors, services
from members.forms import DirectoryFilterForm, InvitationAcceptForm, NotificationSettingsForm, ProfileForm
from members.models import PREFERENCE_FIELDS, FollowKind, NotificationSettings
from members.permissions import can_edit_profile, can_view_directory, can_view_member, is_member

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
    kept.restore(request, form)
    return render(request, "members/member_profile_edit.html", {"form": form, "member": member})


# --- Mit overblik, follows, e-mail preferences, unsubscribe (issue 5) -----------------------


def _overview_page(request, *, week: bool):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_member(request.user):
        raise Http404
    visit = notifications.overview_visit(user=request.user)
    # The news hang on the read marker and on what the member has seen since (a case opened,
    # a note read), so both are part of the key (komdir/lib/fragments.py).
    content_html = fragments.content(
        request,
        "members/overview.html",
        "week" if week else "new",
        visit["since"].isoformat(),
        visit["latest_seen"].isoformat() if visit["latest_seen"] else "-",
        context=lambda: notifications.overview_data(user=request.user, visit=visit, week=week),
    )
    return render(request, "members/overview.html", {"content_html": content_html, "week": week})


@never_cache
def overview(request):
    return _overview_page(request, week=False)


@never_cache
def overview_week(request):
    """ "Seneste 7 dage": the week's items, whether seen or not."""
    return _overview_page(request, week=True)


@require_POST
def overview_mark_read(request):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("members:overview"))
    if not is_member(request.user):
        raise Http404
    # The moment the page was shown: what arrived after it stays new.
    try:
        until = parse_datetime(request.POST.get("until", ""))
    except ValueError:
        until = None
    if until is not None and timezone.is_naive(until):
        until = None
    notifications.overview_mark_read(user=request.user, until=until)
    messages.success(request, _("Alt i dit overblik er markeret som læst."))
    return redirect("members:overview")


@never_cache
def notification_settings(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_edit_profile(request.user, request.user):
        raise Http404
    prefs = notifications.settings_get(request.user)
    initial = {field: getattr(prefs, field) for field in PREFERENCE_FIELDS}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notifications.settings_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Dine indstillinger for e-mail er gemt."))
        return redirect("members:notification_settings")
    return render(request, "members/notification_settings.html", {"form": form})


def _follow_target(user, kind: str, pk: int):
    """The object to follow, if `user` may read it."""
    from circles.models import Circle
    from focus.models import Case, FocusArea

    if kind == FollowKind.CASE:
        return Case.objects.visible_to(user).published().filter(pk=pk).first()
    if kind == FollowKind.FOCUS_AREA:
        return (
            FocusArea.objects.select_related("period").exclude(period__status="draft").filter(pk=pk).first()
        )
    if kind == FollowKind.CIRCLE:
        return Circle.objects.filter(pk=pk).first()
    return None


@require_POST
def follow(request, kind: str, pk: int):
    if not is_member(request.user):
        return redirect_to_login(safe_next(request, request.POST.get("next"), fallback="/"))
    target = _follow_target(request.user, kind, pk)
    if target is None:
        raise Http404
    active = request.POST.get("active") == "1"
    notifications.follow_set(user=request.user, kind=kind, object_id=target.pk, active=active)
    if active:
        messages.success(request, _("Du følger nu %(name)s.") % {"name": target})
    else:
        messages.success(request, _("Du følger ikke længere %(name)s.") % {"name": target})
    return redirect(safe_next(request, request.POST.get("next"), fallback=target.get_absolute_url()))


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session or a CSRF token
@never_cache
def unsubscribe(request, token: str):
    found = notifications.unsubscribe_parse(token)
    if found is None:
        return render(request, "members/unsubscribe.html", {"invalid": True}, status=404)
    user, preference = found
    label = (
        _("alle e-mails fra portalen")
        if preference == notifications.ALL
        else NotificationSettings._meta.get_field(preference).verbose_name
    )
    done = False
    if request.method == "POST":
        notifications.unsubscribe_apply(user=user, preference=preference)
        done = True
    response = render(
        request,
        "members/unsubscribe.html",
        {"label": label, "done": done, "token": token, "email": user.email},
    )
    return response


# --- "Mine data" (GDPR articles 15, 17 and 20) -------------------------------------------------


@never_cache
@sensitive_post_parameters("password")
def my_data(request):
    """The member's own data: download it all, or delete the account."""
    from django.contrib.auth import logout

    from members import gdpr
    from members.forms import AccountDeleteForm

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_edit_profile(request.user, request.user):
        raise Http404
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        gdpr.account_delete(
            user=request.user,
            actor=request.user,
            delete_contributions=form.cleaned_data["delete_contributions"],
        )
        logout(request)
        messages.success(request, _("Din konto og dine personoplysninger er slettet."))
        return redirect("home")
    return render(request, "members/my_data.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def my_data_export(request):
    import json

    from django.http import HttpResponse
    from django.utils import timezone

    from members import gdpr

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_edit_profile(request.user, request.user):
        raise Http404
    body = json.dumps(gdpr.member_export(user=request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"komdir-mine-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
