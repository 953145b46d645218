"""Sessions: recording each login, and ending every session of a member at once."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from members.models import User


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record_login(*, request, user: User) -> None:
    """Record the session a login opened, whatever did the login (allauth, the admin, a test).

    allauth.usersessions records logins through allauth's own flow; this also catches
    django.contrib.auth.login() called directly, so ending sessions never misses one.
    """
    from allauth.account.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    session = getattr(request, "session", None)
    if session is None or user is None or user.pk is None:
        return
    if not session.session_key:
        session.save()
    try:
        ip = get_adapter().get_client_ip(request)
    except PermissionDenied:  # no address at all (a login made in code, not over HTTP)
        ip = "0.0.0.0"  # noqa: S104 (a recorded address, not a socket)
    max_length = UserSession._meta.get_field("user_agent").max_length
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:max_length]
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "ip": ip, "user_agent": user_agent}
    )


def sessions_end_for_user(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session logged in as `user` (but `keep_session_key`); returns how many were live.

    A session is ended through the session engine, so every place it is stored goes: with
    `cached_db` that is the cache as well as the database row (deleting only the row left the
    cached copy, which logged the member in again once reactivated). The sessions allauth's
    usersessions recorded are ended through its adapter; database rows from before it recorded
    them are found by decoding them.
    """
    from allauth.usersessions.adapter import get_adapter
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    store = _session_store()
    tracked = [s for s in UserSession.objects.filter(user_id=user.pk) if s.session_key != keep_session_key]
    keys = {s.session_key for s in tracked}
    if settings.SESSION_ENGINE.endswith(("sessions.backends.db", "sessions.backends.cached_db")):
        untracked = Session.objects.filter(expire_date__gt=timezone.now()).exclude(pk__in=keys)
        for session in untracked.exclude(pk=keep_session_key).iterator():
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                keys.add(session.pk)
    live = sum(1 for key in keys if store().exists(key))
    get_adapter().end_sessions(tracked)
    for key in keys:
        store().delete(key)

    def forget_cached_copies():
        # A request of the member between the delete above and the commit may have read the
        # still-committed row back into the cache; delete again once the change is final.
        for key in keys:
            store().delete(key)

    transaction.on_commit(forget_cached_copies)
    return live
