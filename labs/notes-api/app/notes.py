"""The notes store: every SQL statement the API runs.

Release 2.0.0 keeps the note text in `notes.content` (migration 003 renamed it from `body`).
The API still calls the field `body`: clients did not have to change.
"""

import datetime

import psycopg2.errors

from . import schema
from .db import DatabaseUnavailable, describe_error

TEXT_COLUMN = "content"
COLUMNS = f"id, title, {TEXT_COLUMN}, created_at, updated_at"
# The columns this release reads and writes. /health runs it to tell "the migrations are all
# recorded but the tables are not what this code expects" (e.g. after a rollback).
PROBE_SQL = f"SELECT {COLUMNS} FROM notes LIMIT 0"
HEALTH_TIMEOUT_MS = 2000


def _timestamp(value):
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _note(row):
    if row is None:
        return None
    return {"id": row[0], "title": row[1], "body": row[2], "createdAt": _timestamp(row[3]),
            "updatedAt": _timestamp(row[4])}


class PostgresStore:
    def __init__(self, database, migrations):
        self.db = database
        self.migrations = migrations

    # -- health ---------------------------------------------------------------------------------
    def schema_check(self):
        """Returns (database_up, SchemaState or None, error or None)."""
        def work(cursor):
            cursor.execute(f"SET LOCAL statement_timeout = {HEALTH_TIMEOUT_MS}")
            cursor.execute("SELECT 1")
            applied = schema.read_applied(cursor)
            cursor.execute("SAVEPOINT probe")
            try:
                cursor.execute(PROBE_SQL)
                probe_error = None
            except (psycopg2.errors.UndefinedTable, psycopg2.errors.UndefinedColumn) as exc:
                cursor.execute("ROLLBACK TO SAVEPOINT probe")
                probe_error = describe_error(exc)
            return applied, probe_error

        try:
            applied, probe_error = self.db.run(work)
        except DatabaseUnavailable as exc:
            return False, None, str(exc)
        except psycopg2.Error as exc:  # e.g. permission denied: the database answers but is unusable
            return True, None, describe_error(exc)
        return True, schema.compare(self.migrations, applied, probe_error), None

    # -- notes ----------------------------------------------------------------------------------
    def list(self, limit: int, offset: int):
        def work(cursor):
            cursor.execute(f"SELECT {COLUMNS} FROM notes ORDER BY id LIMIT %s OFFSET %s", (limit, offset))
            return [_note(row) for row in cursor.fetchall()]
        return self.db.run(work)

    def get(self, note_id: int):
        def work(cursor):
            cursor.execute(f"SELECT {COLUMNS} FROM notes WHERE id = %s", (note_id,))
            return _note(cursor.fetchone())
        return self.db.run(work)

    def create(self, title: str, body: str):
        def work(cursor):
            cursor.execute(f"INSERT INTO notes (title, {TEXT_COLUMN}) VALUES (%s, %s) RETURNING {COLUMNS}",
                           (title, body))
            return _note(cursor.fetchone())
        return self.db.run(work)

    def update(self, note_id: int, title: str, body: str):
        def work(cursor):
            cursor.execute(
                f"UPDATE notes SET title = %s, {TEXT_COLUMN} = %s, updated_at = now() WHERE id = %s "
                f"RETURNING {COLUMNS}", (title, body, note_id))
            return _note(cursor.fetchone())
        return self.db.run(work)

    def delete(self, note_id: int) -> bool:
        def work(cursor):
            cursor.execute("DELETE FROM notes WHERE id = %s", (note_id,))
            return cursor.rowcount > 0
        return self.db.run(work)
