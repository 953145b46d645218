"""A pytest plugin for `make mutation` only (loaded with `-p tests.mutation.db` by [tool.mutmut]).

mutmut runs pytest once per mutant, and every run would build the SQLite test database from
the migrations again: about 3.5 s of each mutant's 4. The first run (mutmut's stats run, in its
main process) builds the database the ordinary way and saves a copy of it, before any test
writes; every later run loads that copy into its own in-memory database, which takes
milliseconds. The copy lives in mutants/, which `make mutation` deletes before it starts, so
it never outlives the migrations it was built from.

PostgreSQL (DATABASE_URL) is left alone: the plugin only acts on an in-memory SQLite database.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import django.test.utils

TEMPLATE = Path(os.environ.get("KOMDIR_MUTATION_DB", "mutation-testdb.sqlite3")).resolve()

_setup_databases = django.test.utils.setup_databases


def _in_memory_sqlite(connection) -> bool:
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.creation._get_test_db_name()
    )


def setup_databases(*args, **kwargs):
    from django.conf import settings
    from django.db import connections

    connection = connections["default"]
    if len(connections.all()) != 1 or not _in_memory_sqlite(connection):
        return _setup_databases(*args, **kwargs)
    if not TEMPLATE.exists():
        old_config = _setup_databases(*args, **kwargs)
        partial = TEMPLATE.with_suffix(".partial")
        target = sqlite3.connect(partial)
        connection.connection.backup(target)
        target.close()
        partial.replace(TEMPLATE)
        return old_config
    # What create_test_db() does for an in-memory database, with the copy instead of migrate.
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    source = sqlite3.connect(TEMPLATE)
    source.backup(connection.connection)
    source.close()
    return [(connection, old_name, True)]


# pytest-django imports setup_databases from django.test.utils when its django_db_setup
# fixture runs, so replacing the module attribute is enough.
django.test.utils.setup_databases = setup_databases
