"""Where a `next=` may lead: only to a page of our own host.

One rule for the admin, allauth (through the account adapter) and the portal's own views,
built on Django's `url_has_allowed_host_and_scheme`: relative paths and absolute URLs of the
request's own host; on HTTPS, never down to plain HTTP.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(request: HttpRequest, url: str | None) -> bool:
    if not url:
        return False
    # Django strips surrounding whitespace before it judges; a browser also drops control
    # characters, and the redirect would carry them on. Judge exactly what would be sent.
    if url != url.strip() or any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, url: str | None, *, fallback: str) -> str:
    """`url` if it stays on our host, otherwise `fallback` (a URL of our own)."""
    return url if is_safe_next(request, url) else fallback
