import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from komdir.lib import kept
from komdir.lib.access import public
from komdir.middleware import is_members_route

logger = logging.getLogger("komdir")


HEALTH_KEY = "komdir-healthz"


def _caches_answer() -> bool:
    """Every configured cache takes a write and reads it back (a round trip to Redis)."""
    for alias in settings.CACHES:
        store = caches[alias]
        try:
            store.set(HEALTH_KEY, "ok", timeout=30)
            if store.get(HEALTH_KEY) != "ok":
                raise RuntimeError(f"cache {alias!r} did not keep a value")
        except Exception:  # a cache backend may raise anything (redis, sockets, the database)
            logger.warning("healthz: cache %r unavailable", alias, exc_info=True)
            return False
    return True


@public
@never_cache
@require_GET
def healthz(request):
    """200 when the database and every cache answer; 503 naming what is down, so a load
    balancer takes this server out (pages still render without Redis, but uncached)."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unavailable", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    if not _caches_answer():
        return JsonResponse({"status": "unavailable", "database": "ok", "cache": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok"})


@public
@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (e.g. the admin).
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template.loader import get_template

    return HttpResponseServerError(get_template("500.html").render({}))


# Names of the portal's form fields, for the copy of the text on the CSRF failure page.
FIELD_LABELS = {
    "title": gettext_lazy("Titel"),
    "summary": gettext_lazy("Kort resumé"),
    "body": gettext_lazy("Tekst"),
    "agenda": gettext_lazy("Dagsorden"),
    "location": gettext_lazy("Sted"),
    "reason": gettext_lazy("Begrundelse"),
    "bio": gettext_lazy("Kort præsentation"),
    "tags": gettext_lazy("Emneord"),
}


def _same_origin(request) -> bool:
    """Whether the failed POST came from one of our own pages (an old tab), not another site.

    Only then is the text worth keeping: a forged cross-site POST must not put words in a
    member's form.
    """
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.scheme == request.scheme and parts.netloc == request.get_host()


def csrf_failure(request, reason=""):
    """A form that can no longer be sent (open in an old tab, or from before a login).

    The portal's own page instead of Django's technical one: it explains, and keeps what the
    member wrote -- kept for the form (komdir.lib.kept) and shown here to copy.
    """
    texts, kept_for_form = [], False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if request.method == "POST" and _same_origin(request) and is_members_route(match):
        fields = kept.posted_text(request)
        texts = [
            {"label": FIELD_LABELS[name], "value": "\n".join(values)}
            for name, values in fields.items()
            if name in FIELD_LABELS and any(value.strip() for value in values)
        ]
        kept_for_form = kept.keep(request, path=request.path, reason=kept.STALE_FORM)
    logger.info("CSRF failure on %s: %s", request.path, reason)
    return render(
        request,
        "403_csrf.html",
        {"texts": texts, "kept_for_form": kept_for_form, "form_url": request.path},
        status=403,
    )
