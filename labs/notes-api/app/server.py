"""The process: configuration, the HTTP server, signals, graceful shutdown.

Start-up never waits for the database: the socket is listening within a few tens of
milliseconds and GET /health tells whether the database (and its schema) is usable.
SIGTERM/SIGINT stop accepting connections, let in-flight requests finish (at most
SHUTDOWN_GRACE_S) and exit 0 — the process runs as PID 1 in its container, where a signal
without a handler would be ignored and `docker stop` would have to wait for SIGKILL.
"""

import http.server
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse

from . import api, buildinfo, config, schema
from .db import Database
from .log import Logger, open_logger
from .notes import PostgresStore

SHUTDOWN_GRACE_S = 5
STARTUP_CHECK_S = 30
STARTUP_RETRY_S = 1
MIGRATE_HINT = ("Run the migrations before the API starts: python3 -m app.migrate "
                "(in compose: the migrate service, which the api depends on).")

AUTH_HINT = ("The db_password secret does not hold DATABASE_USER's password. PostgreSQL takes "
             "POSTGRES_PASSWORD_FILE only when its data volume is first initialised: changing the secret "
             "afterwards does not change the password.")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, app, logger, build):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self.logger = logger
        self.build = build
        self.active = 0
        self._idle = threading.Condition()
        super().__init__(address, Handler)

    def begin(self):
        with self._idle:
            self.active += 1

    def end(self):
        with self._idle:
            self.active -= 1
            if self.active == 0:
                self._idle.notify_all()

    def wait_idle(self, timeout) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self.active == 0, timeout)


class Handler(http.server.BaseHTTPRequestHandler):
    timeout = 15  # seconds a client may take to send its request
    sys_version = ""

    def version_string(self):
        return f"notes-api/{self.server.build.get('version', 'unknown')}"

    def log_message(self, format, *args):  # http.server's own stderr lines: replaced by ours
        pass

    def _send(self, response: api.Response):
        body = response.body()
        self.send_response(response.status)
        if response.payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _read_body(self):
        if self.command not in ("POST", "PUT"):  # the only methods that take a body
            return b"", None
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            return b"", api.error(411, "length required", "chunked request bodies are not supported")
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b"", api.error(411, "length required", "send a Content-Length header")
        if not raw.strip().isdigit():
            self.close_connection = True
            return b"", api.error(400, "bad request", "invalid Content-Length")
        length = int(raw)
        if length > api.MAX_BODY_BYTES:
            self.close_connection = True
            return b"", api.error(413, "payload too large", f"the body may be at most {api.MAX_BODY_BYTES} bytes")
        return self.rfile.read(length), None

    def _dispatch(self):
        started = time.monotonic()
        self.server.begin()
        status = 500
        try:
            body, response = self._read_body()
            if response is None:
                headers = {name.lower(): value for name, value in self.headers.items()}
                response = self.server.app.handle(self.command, self.path, headers, body)
            status = response.status
            self._send(response)
        except (ConnectionError, socket.timeout) as exc:
            self.close_connection = True
            self.server.logger.warn("client connection lost", error=str(exc))
        finally:
            self.server.end()
            self.server.logger.info(
                "request", method=self.command, path=urllib.parse.urlsplit(self.path).path, status=status,
                duration_ms=round((time.monotonic() - started) * 1000, 1), client=self.client_address[0])

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _dispatch

    def send_error(self, code, message=None, explain=None):
        """Malformed requests and unknown methods: answer JSON, not http.server's HTML page."""
        self.close_connection = True
        short = message or self.responses.get(code, ("error",))[0]
        self.server.logger.warn("bad request", status=code, error=short,
                                requestLine=(getattr(self, "requestline", "") or "")[:200], client=self.client_address[0])
        try:
            self._send(api.error(code, short.lower(), explain))
        except (ConnectionError, socket.timeout):
            pass


def startup_check(store, logger, stopping: threading.Event, version: str):
    """Logs, once, whether the database is usable by this release — the first thing an operator
    reads in `docker logs`. Never blocks serving."""
    deadline = time.monotonic() + STARTUP_CHECK_S
    warned = False
    while not stopping.is_set():
        up, state, err = store.schema_check()
        if up and state is not None:
            if state.changed:
                logger.warn("applied migrations differ from the files in this release",
                            migrations=[m.id for m in state.changed],
                            hint="An applied migration is never re-run: change the schema with a new migration.")
            if state.status == "behind":
                logger.error("database schema is behind this release", version=version,
                             pending=[m.id for m in state.pending], hint=MIGRATE_HINT)
            elif state.status == "incompatible":
                logger.error("database schema is incompatible with this release", version=version,
                             error=state.probe_error, unknown=schema.unknown_ids(state) or None,
                             hint="The tables do not have the columns this release uses: was the database "
                                  "migrated by a newer release?")
            else:
                logger.info("database ready", schema="ok", current=state.current,
                            unknown=schema.unknown_ids(state) or None)
            return
        if up:
            logger.error("database check failed", error=err)
            return
        if not warned:
            if "password authentication failed" in (err or ""):
                logger.error("the database rejected the password", error=err, hint=AUTH_HINT)
            else:
                logger.warn("database not reachable yet", error=err)
            warned = True
        if time.monotonic() > deadline:
            logger.error(f"database still unreachable after {STARTUP_CHECK_S}s", error=err)
            return
        stopping.wait(STARTUP_RETRY_S)


def main() -> int:
    started = time.monotonic()
    try:
        log_settings = config.load_log_settings()
    except config.ConfigError as exc:
        Logger("json", sys.stdout).fatal(exc.message, hint=exc.hint)
        return 1
    try:
        logger = open_logger(log_settings.format, log_settings.destination)
    except OSError as exc:
        Logger(log_settings.format, sys.stderr).fatal(
            f"cannot open LOG_DESTINATION {log_settings.destination}: {exc.strerror}",
            hint="Containers should log to stdout: unset LOG_DESTINATION.")
        return 1

    build = buildinfo.load()
    try:
        cfg = config.load(log_settings=log_settings)
    except config.ConfigError as exc:
        logger.fatal(exc.message, hint=exc.hint, version=build["version"])
        return 1
    try:
        migrations = schema.discover()
    except schema.MigrationFileError as exc:
        logger.fatal(str(exc), hint="The image's migrations folder is broken: fix it and rebuild.")
        return 1

    logger.info("starting notes-api", version=build["version"], revision=build["revision"],
                builtAt=build["builtAt"], pid=os.getpid(), user=os.getuid(), config=cfg.describe())
    for warning in cfg.warnings:
        logger.warn(warning.msg, hint=warning.hint)

    database = Database(cfg.database)
    store = PostgresStore(database, migrations)
    app = api.App(store, logger, build)
    try:
        server = Server((cfg.bind_address, cfg.port), app, logger, build)
    except OSError as exc:
        logger.fatal(f"cannot listen on {cfg.bind_address}:{cfg.port}: {exc.strerror}",
                     hint="Check PORT and BIND_ADDRESS.")
        return 1

    stopping = threading.Event()

    def on_signal(signum, _frame):
        if stopping.is_set():
            return
        stopping.set()
        logger.info("shutting down", signal=signal.Signals(signum).name, inFlight=server.active)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    logger.info("listening", address=f"{cfg.bind_address}:{cfg.port}",
                startup_ms=round((time.monotonic() - started) * 1000, 1))
    threading.Thread(target=startup_check, args=(store, logger, stopping, build["version"]),
                     name="startup-check", daemon=True).start()

    server.serve_forever(poll_interval=0.1)
    server.server_close()
    drained = server.wait_idle(SHUTDOWN_GRACE_S)
    database.close()
    logger.info("stopped", drained=drained, uptime_s=round(time.monotonic() - started, 1))
    logger.close()
    return 0 if drained else 1
