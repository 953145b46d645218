"""Permission matrices written as grids, so a reader sees the rule and pytest sees one row per cell.

    MATRIX = '''
    action  state    visitor  member  secretariat
    view    public   yes      yes     yes
    view    draft    -        -       yes
    '''

`yes` means allowed, `-` refused. Each cell becomes pytest.param(role, action, state, expected)
with the id "action-state-role", so a failing cell names itself.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings

from members.services import SECRETARIAT_GROUP, secretariat_group_sync
from tests.factories import UserFactory

CELL = {"yes": True, "-": False}


def matrix(grid: str) -> list:
    lines = [line.split() for line in grid.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    assert header[:2] == ["action", "state"], header
    roles = header[2:]
    params = []
    for row in rows:
        action, state, *cells = row
        assert len(cells) == len(roles), row
        for role, cell in zip(roles, cells, strict=True):
            params.append(pytest.param(role, action, state, CELL[cell], id=f"{action}-{state}-{role}"))
    return params


@contextmanager
def shared_data(django_db_blocker):
    """Data built once for a whole module of read-only rule checks, rolled back at its end.

    Each test still runs in its own transaction (a savepoint inside this one), so a test that
    writes leaves nothing behind. Module fixtures run outside the autouse settings fixture, so
    the fast password hasher is set here too.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def make_secretariat(email: str = "sekretariat@kommune.test", **kwargs):
    """Staff in the group "Sekretariat", as the conftest fixture makes them (without two-factor)."""
    secretariat_group_sync()
    user = UserFactory(email=email, is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return user
