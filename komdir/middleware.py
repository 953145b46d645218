"""Portal-wide HTTP hardening that Django's own settings do not cover."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from komdir.lib import kept

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


# The apps whose pages are for members. Under them a visitor never sees "Siden findes ikke":
# members-only and missing pages alike ask them to log in (so nothing is revealed), and after
# logging in they land on the page. Routes listed in PUBLIC_ROUTES are served to visitors
# and keep their 404; a route added to these apps is for members until it is listed here.
MEMBERS_NAMESPACES = {"focus", "circles", "members"}
PUBLIC_ROUTES = {
    "focus:period_list",
    "focus:period_detail",
    "focus:area_detail",
    "focus:page",
    "focus:case_list",
    "search:search",
    "focus:area_feed",
    # Token addresses used by calendar programs and mail links, which cannot log in.
    "circles:calendar_feed",
    "members:invitation_accept",
    "notifications:unsubscribe",
}


def is_members_route(match) -> bool:
    if match is None or not match.namespaces or match.namespaces[0] not in MEMBERS_NAMESPACES:
        return False
    return match.view_name not in PUBLIC_ROUTES


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
