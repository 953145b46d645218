"""What a member posted is kept when it could not be saved: the session had run out (the
login page came instead) or the CSRF check failed (a form open in an old tab).

The posted text fields (never files, tokens or passwords) are kept in the session under the
form's path, and the form's next GET gives them back as the form's initial values with a
message: the member checks and sends again; nothing is ever submitted for them. Django's
login() keeps an anonymous session's data (it cycles the key), so what an expired session
posted survives the login that follows.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.forms import Form
from django.http import QueryDict
from django.utils.translation import gettext as _

SESSION_KEY = "komdir_kept_posts"
# Set when the idle/absolute timeout logs a user out: what that session keeps is only given
# back to the same user, never to someone else logging in on the same browser.
OWNER_KEY = "komdir_kept_owner"
MAX_FORMS = 5
MAX_CHARS = 120_000
MAX_AGE = 60 * 60 * 24 * 3
# An anonymous session normally lasts SESSION_COOKIE_AGE; one that keeps a member's text
# lasts long enough to come back the next day.
KEEP_SESSION_SECONDS = MAX_AGE
SKIPPED = {"csrfmiddlewaretoken", "submission_token", "action", "publish", "next"}


def posted_text(request) -> dict[str, list[str]]:
    """The text fields of the POST worth keeping (files are in request.FILES, never here)."""
    fields: dict[str, list[str]] = {}
    budget = MAX_CHARS
    for name in request.POST:
        if name in SKIPPED or "password" in name.lower() or name.startswith("_"):
            continue
        values = []
        for value in request.POST.getlist(name):
            value = value[:budget]
            budget -= len(value)
            values.append(value)
        fields[name] = values
    return fields


def _has_text(fields: dict[str, list[str]]) -> bool:
    return any(value.strip() for values in fields.values() for value in values)


LOGGED_OUT = "logged_out"
STALE_FORM = "stale_form"


def keep(request, *, path: str, reason: str = LOGGED_OUT) -> bool:
    """Keep this POST's text fields for the form at `path`; False when there was nothing to keep."""
    session = getattr(request, "session", None)
    fields = posted_text(request)
    if session is None or not _has_text(fields):
        return False
    kept = dict(session.get(SESSION_KEY) or {})
    kept[path] = {"fields": fields, "at": int(time.time()), "reason": reason}
    newest = sorted(kept.items(), key=lambda item: item[1]["at"], reverse=True)[:MAX_FORMS]
    session[SESSION_KEY] = dict(newest)
    if not request.user.is_authenticated:
        session.set_expiry(KEEP_SESSION_SECONDS)
    return True


def take(request, *, path: str | None = None) -> tuple[QueryDict, str] | None:
    """Remove and return what was kept for `path` (default: this request's path) and why."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return None
    owner = session.get(OWNER_KEY)
    if owner is not None and owner != request.user.pk:
        # Someone else logged in on this browser: their text is not for this user.
        session.pop(SESSION_KEY, None)
        session.pop(OWNER_KEY, None)
        return None
    kept = dict(session[SESSION_KEY])
    entry = kept.pop(path or request.path, None)
    if kept:
        session[SESSION_KEY] = kept
    else:
        session.pop(SESSION_KEY, None)
        session.pop(OWNER_KEY, None)
    if entry is None or entry["at"] < time.time() - MAX_AGE:
        return None
    data = QueryDict(mutable=True)
    for name, values in entry["fields"].items():
        data.setlist(name, values)
    return data, entry.get("reason", LOGGED_OUT)


def restore(request, form: Form) -> bool:
    """Give an unbound `form` what this member posted to this page and could not save."""
    if request.method != "GET" or form.is_bound:
        return False
    kept = take(request)
    if kept is None:
        return False
    data, reason = kept
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if field.disabled or field.widget.value_omitted_from_data(data, {}, key):
            continue
        form.initial[name] = field.widget.value_from_datadict(data, {}, key)
    if reason == STALE_FORM:
        messages.warning(
            request,
            _("Formularen var for gammel til at blive sendt. Vi har gemt det, du skrev — tjek og send igen."),
        )
    else:
        messages.warning(request, _("Du blev logget ud. Vi har gemt det, du skrev — tjek og send igen."))
    return True
