"""Prove that a backup restores: load a dump into a scratch database and check it.

PostgreSQL: `--dump` is a `pg_dump --format=custom` file; it is restored with pg_restore
into a new scratch database next to the configured one, checked, and the scratch database is
dropped. SQLite: `--dump` is a copy made with SQLite's online backup API; it is restored the
same way into a scratch file. `--make-dump` first writes a dump of the configured database to
`--dump` (how docs/operations.md makes the nightly backup). See docs/operations.md.

Checks: the restore succeeds; every table of the portal's models is there; the migration
history is complete; with `--compare`, the key tables hold as many rows as the live database.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

KEY_TABLES = [
    "members_user",
    "members_profile",
    "members_invitation",
    "focus_case",
    "focus_comment",
    "focus_caserevision",
    "circles_meeting",
    "circles_meetingnote",
    "circles_attachment",
    "django_migrations",
]


def _model_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if s.get(name):
            env[key] = str(s[name])
    return env


def _run(args: list[str]) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, timeout=600)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{args[0]} failed: {result.stderr.strip()[:2000]}")


class Command(BaseCommand):
    help = "Restore a database dump into a scratch database and check it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dump", required=True, help="The dump file to restore (and to write with --make-dump)."
        )
        parser.add_argument("--make-dump", action="store_true", help="First dump the configured database.")
        parser.add_argument(
            "--compare", action="store_true", help="Compare row counts with the live database."
        )

    def handle(self, *args, dump: str, make_dump: bool, compare: bool, **options):
        path = Path(dump)
        vendor = connection.vendor
        if vendor not in ("postgresql", "sqlite"):
            raise CommandError(f"Unsupported database: {vendor}")
        if make_dump:
            (self._pg_dump if vendor == "postgresql" else self._sqlite_dump)(path)
            self.stdout.write(f"Dump written: {path} ({path.stat().st_size} bytes)")
        if not path.is_file() or path.stat().st_size == 0:
            raise CommandError(f"No dump at {path}.")
        restored = self._pg_restore(path) if vendor == "postgresql" else self._sqlite_restore(path)
        problems = []
        missing = sorted(_model_tables() - set(restored["tables"]))
        if missing:
            problems.append(f"tables missing after restore: {', '.join(missing)}")
        if compare:
            live = self._live_counts()
            for table, count in live.items():
                if restored["counts"].get(table) != count:
                    problems.append(f"{table}: {restored['counts'].get(table)} rows restored, {count} live")
        if problems:
            raise CommandError("Restore check failed: " + "; ".join(problems))
        counts = ", ".join(f"{t}={n}" for t, n in restored["counts"].items())
        self.stdout.write(
            self.style.SUCCESS(f"Restore check passed ({len(restored['tables'])} tables; {counts}).")
        )

    # --- live database -----------------------------------------------------------------------

    def _live_counts(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            counts = {}
            for table in KEY_TABLES:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
        return counts

    # --- PostgreSQL -------------------------------------------------------------------------

    def _pg_dump(self, path: Path) -> None:
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(path),
                connection.settings_dict["NAME"],
            ]
        )

    def _pg_restore(self, path: Path) -> dict:
        import psycopg

        scratch = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(4)}"[:63]
        _run(["createdb", scratch])
        try:
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                    scratch,
                    str(path),
                ]
            )
            s = connection.settings_dict
            with psycopg.connect(
                dbname=scratch,
                host=s.get("HOST") or None,
                port=s.get("PORT") or None,
                user=s.get("USER") or None,
                password=s.get("PASSWORD") or None,
            ) as conn:
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    )
                ]
                counts = {
                    t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                    for t in KEY_TABLES
                    if t in tables
                }
        finally:
            _run(["dropdb", "--if-exists", scratch])
        return {"tables": tables, "counts": counts}

    # --- SQLite -----------------------------------------------------------------------------

    def _sqlite_dump(self, path: Path) -> None:
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def _sqlite_restore(self, path: Path) -> dict:
        scratch_dir = tempfile.mkdtemp(prefix="komdir-restore-")
        scratch = Path(scratch_dir) / "scratch.sqlite3"
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            target = sqlite3.connect(scratch)
            try:
                source.backup(target)
                if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise CommandError("Restore check failed: integrity_check is not ok")
                tables = [r[0] for r in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                counts = {
                    t: target.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                    for t in KEY_TABLES
                    if t in tables
                }
            except sqlite3.DatabaseError as exc:
                raise CommandError(f"Restore check failed: {exc}") from exc
            finally:
                source.close()
                target.close()
        finally:
            shutil.rmtree(scratch_dir, ignore_errors=True)
        return {"tables": tables, "counts": counts}
