import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
