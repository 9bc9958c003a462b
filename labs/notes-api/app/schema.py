"""Migrations on disk and the schema state of the database.

Migrations are `migrations/NNN_description.sql`, applied in numeric order by `app.migrate`,
each in its own transaction, and recorded in `schema_migrations`. The API never migrates by
itself: it compares the migrations shipped in its image with the ones recorded in the database
and reports the difference on GET /health, so a deploy that forgot to migrate is visible.
"""

import dataclasses
import hashlib
import os
import pathlib
import re

MIGRATIONS_DIR = pathlib.Path(
    os.environ.get("MIGRATIONS_DIR") or pathlib.Path(__file__).resolve().parent.parent / "migrations")

FILE_RE = re.compile(r"^(?P<version>\d{3,})_(?P<name>[a-z0-9][a-z0-9_]*)\.sql$")

TABLE_DDL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version      text        PRIMARY KEY,
    name         text        NOT NULL,
    checksum     text        NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now(),
    execution_ms integer     NOT NULL DEFAULT 0
)
"""


class MigrationFileError(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class Migration:
    version: str
    name: str
    path: pathlib.Path
    checksum: str

    @property
    def id(self) -> str:
        return f"{self.version}_{self.name}"

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def discover(directory=None) -> list:
    """All migrations in `directory`, in order. A .sql file that does not follow the naming
    rule, or two files with the same number, is an error rather than something silently skipped."""
    directory = pathlib.Path(directory or MIGRATIONS_DIR)
    if not directory.is_dir():
        raise MigrationFileError(f"migrations directory {directory} does not exist")
    found = {}
    for path in sorted(directory.iterdir()):
        if path.suffix != ".sql":
            continue
        match = FILE_RE.match(path.name)
        if not match:
            raise MigrationFileError(
                f"migration file {path.name} does not match NNN_description.sql (e.g. 004_add_tags.sql)")
        version = match.group("version")
        if int(version) in found:
            raise MigrationFileError(
                f"two migration files share version {version}: {found[int(version)].path.name} and {path.name}")
        found[int(version)] = Migration(version, match.group("name"), path,
                                        hashlib.sha256(path.read_bytes()).hexdigest())
    return [found[key] for key in sorted(found)]


@dataclasses.dataclass
class SchemaState:
    """How the database compares with the migrations this release ships."""
    applied: dict          # version -> {"name", "checksum", "appliedAt"}
    pending: list          # shipped migrations not applied, in order (Migration)
    unknown: list          # applied versions this release does not ship (a newer release ran them)
    changed: list          # shipped migrations whose file differs from what was applied
    probe_error: str = None  # the release's own query against the tables it uses failed

    @property
    def status(self) -> str:
        if self.pending:
            return "behind"
        if self.probe_error:
            return "incompatible"
        return "ok"

    @property
    def current(self):
        return max(self.applied, key=int) if self.applied else None


def read_applied(cursor) -> dict:
    cursor.execute("SELECT to_regclass('public.schema_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return {}
    cursor.execute("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
    return {row[0]: {"name": row[1], "checksum": row[2], "appliedAt": row[3]} for row in cursor.fetchall()}


def compare(shipped: list, applied: dict, probe_error=None) -> SchemaState:
    shipped_versions = {m.version for m in shipped}
    return SchemaState(
        applied=applied,
        pending=[m for m in shipped if m.version not in applied],
        unknown=sorted((v for v in applied if v not in shipped_versions), key=int),
        changed=[m for m in shipped if m.version in applied and applied[m.version]["checksum"] != m.checksum],
        probe_error=probe_error,
    )


def unknown_ids(state: SchemaState) -> list:
    return [f"{v}_{state.applied[v]['name']}" for v in state.unknown]
