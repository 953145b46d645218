"""Which of members' writes refresh the shared page fragments (komdir/lib/fragments/).

Names, titles and municipalities are on every page that shows a contribution, so a change to a
person refreshes every fragment; a login (only `last_login` written) refreshes nothing.
"""

from __future__ import annotations

from komdir.lib import fragments


def _user_written(user, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return []
    return [None]


def connect() -> None:
    fragments.watch(
        "members",
        {
            "user": _user_written,
            "user_groups": fragments.EVERYTHING,
            "user_user_permissions": fragments.EVERYTHING,
            "profile": fragments.EVERYTHING,
            "region": fragments.EVERYTHING,
            "municipality": fragments.EVERYTHING,
            # Invitations are the secretariat's, in the admin; no cached page shows them.
            "invitation": fragments.QUIET,
        },
    )
