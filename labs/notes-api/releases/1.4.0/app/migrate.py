"""The migrator: `python3 -m app.migrate [--status]`.

Applies the missing migrations of this release in order, each in its own transaction together
with its row in `schema_migrations`, under a PostgreSQL advisory lock (two migrators never run
at once). Running it again is a no-op. It never undoes anything and never re-runs an applied
migration: an applied migration whose file changed is reported, not re-applied.

Exit codes: 0 done / up to date; 1 error (configuration, connection, failing SQL);
with --status, 3 when migrations are pending.
"""

import argparse
import sys
import time

import psycopg2

from . import config, schema
from .db import Database, describe_error
from .log import Logger, open_logger

ADVISORY_LOCK_ID = 7_260_424_301  # any constant bigint shared by every migrator of this app
EXIT_PENDING = 3


def connect(database: Database, logger, wait_s: float):
    deadline = time.monotonic() + wait_s
    waiting = False
    while True:
        try:
            return database.connect()
        except psycopg2.OperationalError as exc:
            if time.monotonic() >= deadline:
                raise
            if not waiting:
                logger.warn("waiting for the database", error=describe_error(exc), wait_s=wait_s)
                waiting = True
            time.sleep(0.5)


def report_drift(logger, state):
    if state.unknown:
        logger.warn("the database has migrations this release does not ship", migrations=schema.unknown_ids(state),
                    hint="They were applied by a newer release; this migrator never undoes them.")
    if state.changed:
        logger.warn("applied migrations differ from the files in this release",
                    migrations=[m.id for m in state.changed],
                    hint="An applied migration is never re-run: change the schema with a new migration file.")


def status(conn, migrations, logger) -> int:
    with conn.cursor() as cursor:
        applied = schema.read_applied(cursor)
    conn.rollback()
    state = schema.compare(migrations, applied)
    for migration in migrations:
        row = applied.get(migration.version)
        logger.info("migration", migration=migration.id, state="applied" if row else "pending",
                    appliedAt=row["appliedAt"].isoformat() if row else None)
    report_drift(logger, state)
    logger.info("schema status", status="behind" if state.pending else "up to date", current=state.current,
                pending=[m.id for m in state.pending])
    return EXIT_PENDING if state.pending else 0


def apply(conn, migrations, logger) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_ID,))
        cursor.execute(schema.TABLE_DDL)
        conn.commit()
        state = schema.compare(migrations, schema.read_applied(cursor))
        conn.commit()
        report_drift(logger, state)
        for migration in state.pending:
            started = time.monotonic()
            sql = migration.sql()
            if not sql.strip():
                logger.fatal("migration file is empty", migration=migration.id)
                return 1
            try:
                cursor.execute(sql)
                elapsed_ms = int((time.monotonic() - started) * 1000)
                cursor.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, execution_ms) VALUES (%s, %s, %s, %s)",
                    (migration.version, migration.name, migration.checksum, elapsed_ms))
                conn.commit()
            except psycopg2.Error as exc:
                conn.rollback()
                logger.fatal("migration failed", migration=migration.id, sqlstate=exc.pgcode,
                             error=describe_error(exc),
                             hint="Nothing of this migration was applied (it runs in one transaction): "
                                  "fix it and run the migrator again.")
                return 1
            logger.info("applied migration", migration=migration.id, duration_ms=elapsed_ms)
        cursor.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_ID,))
        conn.commit()
    current = state.pending[-1].version if state.pending else state.current
    logger.info("migrations complete", applied=len(state.pending), current=current)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m app.migrate",
                                     description="Apply this release's database migrations.")
    parser.add_argument("--status", action="store_true",
                        help="only report which migrations are applied or pending (exit 3 when pending)")
    parser.add_argument("--wait", type=float, default=15.0, metavar="SECONDS",
                        help="how long to wait for the database to accept connections (default 15)")
    args = parser.parse_args(argv)

    try:
        log_settings = config.load_log_settings()
    except config.ConfigError as exc:
        Logger("json", sys.stdout).fatal(exc.message, hint=exc.hint)
        return 1
    try:
        logger = open_logger(log_settings.format, log_settings.destination)
    except OSError as exc:
        Logger(log_settings.format, sys.stderr).fatal(
            f"cannot open LOG_DESTINATION {log_settings.destination}: {exc.strerror}")
        return 1
    try:
        cfg = config.load(log_settings=log_settings)
    except config.ConfigError as exc:
        logger.fatal(exc.message, hint=exc.hint)
        return 1
    try:
        migrations = schema.discover()
    except schema.MigrationFileError as exc:
        logger.fatal(str(exc))
        return 1

    database = Database(cfg.database, application_name="notes-api-migrate", statement_timeout_ms=0)
    try:
        conn = connect(database, logger, args.wait)
    except psycopg2.OperationalError as exc:
        logger.fatal("cannot connect to the database", host=cfg.database.host, port=cfg.database.port,
                     error=describe_error(exc))
        return 1
    try:
        if args.status:
            return status(conn, migrations, logger)
        logger.info("migrating", database=cfg.database.name, host=cfg.database.host,
                    migrations=[m.id for m in migrations])
        return apply(conn, migrations, logger)
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
