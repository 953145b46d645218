"""Stored, trigger-kept search vectors for cases and comments on PostgreSQL (komdir/search).

The expression indexes of 0005 let the `@@` filter find matches, but ranking them re-ran
`to_tsvector` over every matching row: a common word ("borgere") matches tens of thousands of
comments, and the first search for it took ~220 ms at the large benchmark scale. As meeting
notes already do (circles/migrations/0005), each row now keeps its weighted vector in a
`search_vector` column, exactly the one the search computed: a case's title A, its summary and
body B; a comment's body B.

The column is the database's, not the model's: triggers keep it current on every write
(services, admin, `QuerySet.update()` alike), and the ORM never reads or writes it. The GIN
indexes on the columns replace the expression indexes under the same names, without a pending
list (0008). SQLite (development) searches a casefolded copy and gets none of this.
"""

from django.db import migrations

CASE_VECTOR = (
    "setweight(to_tsvector('danish'::regconfig, COALESCE({row}title, '')), 'A')"
    " || setweight(to_tsvector('danish'::regconfig,"
    " COALESCE({row}summary, '') || ' ' || COALESCE({row}body, '')), 'B')"
)
COMMENT_VECTOR = "setweight(to_tsvector('danish'::regconfig, COALESCE({row}body, '')), 'B')"

TABLES = {
    # table: (vector, the columns it is made of, its index)
    "focus_case": (CASE_VECTOR, "title, summary, body", "case_search_idx"),
    "focus_comment": (COMMENT_VECTOR, "body", "comment_search_idx"),
}

# The expression indexes of 0005, restored when going backwards.
OLD_INDEXES = {
    "focus_case": "(" + CASE_VECTOR.format(row="") + ")",
    "focus_comment": "(" + COMMENT_VECTOR.format(row="") + ")",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (vector, columns, index) in TABLES.items():
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector")
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_vector := {vector.format(row="NEW.")};
                RETURN NEW;
            END $$
            """
        )
        schema_editor.execute(
            f"""
            CREATE TRIGGER {table}_search_vector
            BEFORE INSERT OR UPDATE OF {columns} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()
            """
        )
        # Existing rows, filled directly (no trigger per row), before the index is built.
        # Table and expression are the constants above, never input.
        schema_editor.execute(f"UPDATE {table} SET search_vector = {vector.format(row='')}")  # noqa: S608
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING gin (search_vector) WITH (fastupdate = off)"
        )
        # Statistics for the new column, or the planner guesses a handful of matches for a
        # word that is in every other row.
        schema_editor.execute(f"ANALYZE {table}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (_vector, _columns, index) in TABLES.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_search_vector()")
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING gin ({OLD_INDEXES[table]}) WITH (fastupdate = off)"
        )


class Migration(migrations.Migration):
    dependencies = [("focus", "0009_case_drafts_submission_tokens_forms")]

    operations = [migrations.RunPython(forward, backward)]
