"""PostgreSQL access: a small thread-safe pool of psycopg2 connections.

Connections are opened lazily (the API starts and answers HTTP before the database is
reachable) and a pooled connection that turns out to be dead — the database restarted — is
dropped and the work retried once on a fresh connection.
"""

import threading

import psycopg2
import psycopg2.errors

from .config import DatabaseConfig

CONNECT_TIMEOUT_S = 2          # libpq's minimum
STATEMENT_TIMEOUT_MS = 5000


class DatabaseUnavailable(Exception):
    """The database could not be reached or did not answer in time."""


class SchemaMismatch(Exception):
    """A table or column this release uses does not exist."""


def describe_error(exc: Exception) -> str:
    """One line: the server's primary message (`column "body" does not exist`) when there is
    one, else libpq's text (connection errors)."""
    primary = getattr(getattr(exc, "diag", None), "message_primary", None)
    if primary:
        return primary
    text = (str(exc) or exc.__class__.__name__).strip()
    # libpq messages span lines ("could not connect...\n\tIs the server running..."): keep one line.
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def classify(exc: Exception) -> Exception:
    """Maps a psycopg2 error to what the API reports, or returns it unchanged."""
    if isinstance(exc, (psycopg2.errors.UndefinedTable, psycopg2.errors.UndefinedColumn)):
        return SchemaMismatch(describe_error(exc))
    if isinstance(exc, psycopg2.errors.QueryCanceled):
        return DatabaseUnavailable(f"query timed out: {describe_error(exc)}")
    if isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError)):
        return DatabaseUnavailable(describe_error(exc))
    return exc


class Database:
    def __init__(self, config: DatabaseConfig, application_name: str = "notes-api", max_idle: int = 4,
                 statement_timeout_ms: int = STATEMENT_TIMEOUT_MS):
        self.config = config
        self.application_name = application_name
        self.max_idle = max_idle
        self.statement_timeout_ms = statement_timeout_ms
        self._idle = []
        self._lock = threading.Lock()
        self._closed = False

    def connect(self):
        return psycopg2.connect(
            host=self.config.host,
            port=self.config.port,
            dbname=self.config.name,
            user=self.config.user,
            password=self.config.password,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name=self.application_name,
            options=f"-c statement_timeout={int(self.statement_timeout_ms)}",
        )

    def _acquire(self):
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self.connect(), False

    def _release(self, conn):
        if conn.closed:
            return
        with self._lock:
            if not self._closed and len(self._idle) < self.max_idle:
                self._idle.append(conn)
                return
        conn.close()

    @staticmethod
    def _discard(conn):
        try:
            conn.close()
        except psycopg2.Error:
            pass

    def run(self, work, _retry=True):
        """Runs `work(cursor)` in one transaction and returns its result. psycopg2 errors are
        classified (DatabaseUnavailable, SchemaMismatch) before they leave this method."""
        try:
            conn, reused = self._acquire()
        except psycopg2.Error as exc:
            raise classify(exc) from exc
        try:
            with conn.cursor() as cursor:
                result = work(cursor)
            conn.commit()
        except psycopg2.Error as exc:
            if conn.closed:
                self._discard(conn)
                if reused and _retry:
                    return self.run(work, _retry=False)
            else:
                try:
                    conn.rollback()
                    self._release(conn)
                except psycopg2.Error:
                    self._discard(conn)
            raise classify(exc) from exc
        except BaseException:
            self._discard(conn)
            raise
        self._release(conn)
        return result

    def close(self):
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            self._discard(conn)
