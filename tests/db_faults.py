"""Faults made for real in the database: a write the database refuses, and a competing request
whose row lands at the worst moment. No code of ours is replaced."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def database_refuses(*, table: str, event: str = "UPDATE", when: str = "1 = 1") -> Iterator[None]:
    """A trigger makes the database refuse `event` on `table` rows matching `when` (SQL on NEW/OLD),
    as a constraint would: the write raises IntegrityError."""
    name = f"komdir_test_refuse_{table}"
    row = "OLD" if event == "DELETE" else "NEW"
    when = when.replace("ROW.", f"{row}.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
                f"WHEN ({when}) EXECUTE FUNCTION {name}()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN {when} "
                f"BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {name}"
                + (f" ON {table}" if connection.vendor == "postgresql" else "")
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


@contextmanager
def competitor_writes_first(*, table: str, write: Callable[[], object]) -> Iterator[dict]:
    """Run `write` (the competing request) at the worst moment for the service under test: after
    the service has read `table` inside its transaction, right before its first write.

    "The service" is whatever runs inside a transaction opened after this block starts (the
    views here run outside one). The competitor's row goes in before the service's own
    savepoints, so it stands as a committed row would."""
    base = len(connection.savepoint_ids)
    state = {"armed": False, "fired": False}

    def wrapper(execute, sql, params, many, context):
        inside = len(connection.savepoint_ids) > base
        head = sql.lstrip()[:12].upper()
        if inside and not state["fired"]:
            if state["armed"] and head.startswith(("INSERT", "UPDATE", "SAVEPOINT", "DELETE")):
                state["fired"] = True
                write()
            result = execute(sql, params, many, context)
            if head.startswith("SELECT") and f'"{table}"' in sql:
                state["armed"] = True
            return result
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield state
