"""Portal-wide HTTP hardening that Django's own settings do not cover."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from komdir.lib import access, fragments, kept
from komdir.lib.redirects import is_safe_next

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

LOGIN_AT_KEY = "komdir_login_at"
SEEN_AT_KEY = "komdir_seen_at"


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; no caching of anything a logged-in member sees."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages for members must never be stored by a shared or back-button cache.
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class SessionTimeoutMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT without activity, and SESSION_ABSOLUTE_TIMEOUT
    after login whatever the activity.

    The clock starts at login (mark_login, on Django's user_logged_in signal); afterwards the
    session is written at most every TOUCH_EVERY seconds, so most page views cost no write.
    """

    TOUCH_EVERY = 300

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            if LOGIN_AT_KEY not in session:
                mark_login(session)
            login_at, seen_at = session[LOGIN_AT_KEY], session.get(SEEN_AT_KEY, now)
            if (
                now - seen_at > settings.SESSION_IDLE_TIMEOUT
                or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                user_pk = user.pk
                logout(request)
                # What this browser posts next is kept for this user only (komdir.lib.kept).
                request.session[kept.OWNER_KEY] = user_pk
            elif now - seen_at >= self.TOUCH_EVERY:
                session[SEEN_AT_KEY] = now
        return self.get_response(request)


class RecentWriterMiddleware:
    """A logged-in member's successful POST is noted in their session, so the pages they see
    next show what they wrote even where the shared cache lets new things arrive a little late
    (komdir.lib.fragments, `soon`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and response.status_code < 400 and _is_authenticated(request):
            fragments.note_write(request)
        return response


def is_members_route(match) -> bool:
    """A page of the portal (not the admin, which guards itself) that a visitor must log in to
    see in full: every page not marked public, and public pages with members' content."""
    if match is None or "admin" in match.namespaces:
        return False
    return access.is_for_members(match.func)


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a login unless its view is marked public (komdir.lib.access); Django's
    own and allauth's login pages are marked by them.

    The admin is left to guard itself: it sends visitors to its own login with two-factor. A
    visitor's POST from a form that says where it was sent from (`next`, e.g. a follow button)
    returns there after logging in, not to the address that takes POSTs only.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.namespaces:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        if request.method == "POST" and is_safe_next(request, request.POST.get("next")):
            return redirect_to_login(
                request.POST["next"], self.get_login_url(view_func), self.get_redirect_field_name(view_func)
            )
        return super().handle_no_permission(request, view_func)


class MembersLoginMiddleware:
    """Visitors on members' pages are asked to log in, and what they posted is kept.

    - A members' page that raises Http404 or PermissionDenied for a visitor answers with the
      login page (next= the page) instead, so a visitor learns nothing from the answer and lands
      on the page after logging in; a logged-in member still gets 404 (may not see it) or 403
      (sees it, may not do this).
    - A visitor's POST that ends at the login page (the session ran out while the member was
      writing) keeps the posted text for the form, to be given back after login.
    The CSRF check runs before the view; a stale token has its own page (komdir.views.csrf_failure).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = None

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and not _is_authenticated(request):
            target = self._login_next(response)
            if target is not None and is_members_route(getattr(request, "resolver_match", None)):
                kept.keep(request, path=target)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404 | PermissionDenied) or _is_authenticated(request):
            return None
        if not is_members_route(getattr(request, "resolver_match", None)):
            return None
        return redirect_to_login(request.get_full_path())

    def _login_next(self, response) -> str | None:
        """The path the login page will send back to, if `response` redirects to login."""
        if response.status_code != 302:
            return None
        if self.login_path is None:
            self.login_path = resolve_url(settings.LOGIN_URL)
        location = urlsplit(response.get("Location", ""))
        if location.path != self.login_path:
            return None
        target = urlsplit(parse_qs(location.query).get("next", [""])[0])
        if target.scheme or target.netloc or not target.path.startswith("/"):
            return None
        return target.path


def _is_authenticated(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def mark_login(session) -> None:
    now = int(time.time())
    session[LOGIN_AT_KEY] = now
    session[SEEN_AT_KEY] = now


def on_user_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_login(request.session)


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Danish unless the visitor chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Danish
    association's portal should not turn English because a laptop is set up in English.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class QueryCountMiddleware:
    """Benchmarks only: report the number of SQL queries a request ran in X-Query-Count.

    Installed only when KOMDIR_BENCH_QUERY_COUNT=1 (see settings), so production never
    pays for it or reveals anything about its queries.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response.headers["X-Query-Count"] = str(count)
        return response
