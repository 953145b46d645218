"""A stored, indexed search vector for meeting notes on PostgreSQL (focus/search.py).

Nearly every note matches the portal's common words, so ranking them by a vector computed at
query time ran `to_tsvector` over every note body and meeting title on each search (43 ms
per search at the large benchmark scale). The column holds exactly the weighted vector
search.py used to compute: meeting title A, note body B.

The column is the database's, not the model's: triggers keep it current (a note's body or
meeting changes, a meeting is renamed), so no write path does search bookkeeping and the ORM
never reads or writes it. SQLite (development) searches a casefolded copy and gets none of this.
`fastupdate = off`: with a pending list the index is scanned linearly until a VACUUM flushes it.
"""

from django.db import migrations

# Meeting title A, note body B: the vector focus/search.py used to compute at query time.
FORWARD = [
    "ALTER TABLE circles_meetingnote ADD COLUMN IF NOT EXISTS search_vector tsvector",
    """
    CREATE OR REPLACE FUNCTION circles_meetingnote_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('danish'::regconfig, COALESCE(
                (SELECT title FROM circles_meeting WHERE id = NEW.meeting_id), '')), 'A')
            || setweight(to_tsvector('danish'::regconfig, COALESCE(NEW.body, '')), 'B');
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER circles_meetingnote_search_vector
    BEFORE INSERT OR UPDATE OF body, meeting_id ON circles_meetingnote
    FOR EACH ROW EXECUTE FUNCTION circles_meetingnote_search_vector()
    """,
    """
    CREATE OR REPLACE FUNCTION circles_meeting_note_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE circles_meetingnote SET search_vector =
            setweight(to_tsvector('danish'::regconfig, COALESCE(NEW.title, '')), 'A')
            || setweight(to_tsvector('danish'::regconfig, COALESCE(body, '')), 'B')
        WHERE meeting_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER circles_meeting_note_search_vector
    AFTER UPDATE OF title ON circles_meeting
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION circles_meeting_note_search_vector()
    """,
    # Existing notes: setting body to itself fires the row trigger.
    "UPDATE circles_meetingnote SET body = body",
    """
    CREATE INDEX IF NOT EXISTS meetingnote_search_idx ON circles_meetingnote
    USING gin (search_vector) WITH (fastupdate = off)
    """,
    # Statistics for the new column, or the planner guesses a handful of matches and picks a
    # nested loop over what is often every note.
    "ANALYZE circles_meetingnote",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS circles_meeting_note_search_vector ON circles_meeting",
    "DROP TRIGGER IF EXISTS circles_meetingnote_search_vector ON circles_meetingnote",
    "DROP FUNCTION IF EXISTS circles_meeting_note_search_vector()",
    "DROP FUNCTION IF EXISTS circles_meetingnote_search_vector()",
    "ALTER TABLE circles_meetingnote DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("circles", "0004_meetings_notes_attachments_calendar")]

    operations = [migrations.RunPython(forward, backward)]
