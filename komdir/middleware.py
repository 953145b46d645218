"""Portal-wide HTTP hardening that Django's own settings do not cover."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers

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
                logout(request)
            elif now - seen_at >= self.TOUCH_EVERY:
                session[SEEN_AT_KEY] = now
        return self.get_response(request)


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
