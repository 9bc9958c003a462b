import http.client
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from app import api, server

from .fakes import FakeStore, MemoryLogger

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = {"version": "9.9.9", "revision": "abc", "builtAt": None}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerTest(unittest.TestCase):
    """The real socket server with an in-memory store."""

    def setUp(self):
        self.store = FakeStore()
        self.log = MemoryLogger()
        self.server = server.Server(("127.0.0.1", 0), api.App(self.store, self.log, BUILD), self.log, BUILD)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.start()
        self.addCleanup(self.stop)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.server_address[1], timeout=5)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def last_record(self):
        # The request line is written once the response is sent: the client may see it first.
        deadline = time.monotonic() + 2
        while not self.log.records and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.log.records[-1]

    def test_request_is_logged_as_one_json_line(self):
        status, headers, body = self.request("GET", "/health")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(headers["Server"], "notes-api/9.9.9")
        self.assertEqual(json.loads(body)["status"], "ok")
        record = self.last_record()
        self.assertEqual({k: record[k] for k in ("level", "msg", "method", "path", "status")},
                         {"level": "info", "msg": "request", "method": "GET", "path": "/health", "status": 200})
        self.assertIsInstance(record["duration_ms"], float)

    def test_post_and_get(self):
        status, headers, body = self.request("POST", "/notes", json.dumps({"title": "a", "body": "b"}),
                                             {"Content-Type": "application/json"})
        self.assertEqual(status, 201)
        note = json.loads(body)
        self.assertEqual(headers["Location"], f"/notes/{note['id']}")
        self.assertEqual(json.loads(self.request("GET", f"/notes/{note['id']}")[2])["title"], "a")

    def test_head_has_no_body(self):
        status, headers, body = self.request("HEAD", "/version")
        self.assertEqual((status, body), (200, b""))
        self.assertGreater(int(headers["Content-Length"]), 0)

    def test_too_large_and_unsupported(self):
        self.assertEqual(self.request("POST", "/notes", b"x" * (api.MAX_BODY_BYTES + 1))[0], 413)
        status, headers, body = self.request("TRACE", "/notes")
        self.assertEqual((status, headers["Content-Type"]), (501, "application/json"))
        self.assertEqual(json.loads(body)["error"], "unsupported method ('trace')")

    def test_shutdown_waits_for_requests_in_flight(self):
        release = threading.Event()
        original = self.store.list
        self.store.list = lambda limit, offset: (release.wait(5), original(limit, offset))[1]
        result = {}
        worker = threading.Thread(target=lambda: result.setdefault("r", self.request("GET", "/notes")))
        worker.start()
        deadline = time.monotonic() + 5
        while self.server.active == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual(self.server.active, 1)
        self.assertFalse(self.server.wait_idle(0.05))
        release.set()
        self.assertTrue(self.server.wait_idle(5))
        worker.join(5)
        self.assertEqual(result["r"][0], 200)


class ProcessTest(unittest.TestCase):
    """`python3 -m app` as a process: fatal configuration lines, start-up, SIGTERM."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.secret = os.path.join(tmp.name, "pw")
        pathlib.Path(self.secret).write_text("pw\n")
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1",
                    "DATABASE_HOST": "127.0.0.1", "DATABASE_PORT": "1", "DATABASE_NAME": "notes",
                    "DATABASE_USER": "notes", "DATABASE_PASSWORD_FILE": self.secret}

    def run_app(self, env):
        return subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=10)

    def test_missing_variable_exits_with_one_fatal_line(self):
        env = dict(self.env)
        del env["DATABASE_HOST"]
        done = self.run_app(env)
        self.assertEqual(done.returncode, 1)
        lines = done.stdout.splitlines()
        self.assertEqual(len(lines), 1, done.stdout + done.stderr)
        record = json.loads(lines[0])
        self.assertEqual((record["level"], record["msg"]), ("fatal", "DATABASE_HOST is not set"))
        self.assertEqual(done.stderr, "")

    def test_fatal_line_reaches_stderr_when_logging_to_a_file(self):
        env = dict(self.env, DATABASE_PASSWORD_FILE="/run/secrets/none",
                   LOG_DESTINATION=os.path.join(os.path.dirname(self.secret), "app.log"))
        done = self.run_app(env)
        self.assertEqual((done.returncode, done.stdout), (1, ""))
        self.assertEqual(json.loads(done.stderr)["msg"], "secret file /run/secrets/none does not exist")

    def test_starts_and_stops_on_sigterm(self):
        port = free_port()
        env = dict(self.env, PORT=str(port))
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            status = None
            # A deadline, not a speed limit: this runs inside `docker build`, often on a busy
            # 2-core machine where a start-up takes seconds (~0.4 s when idle). It catches a hang.
            while time.monotonic() - started < 60 and status is None:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    conn.request("GET", "/version")
                    status = conn.getresponse().status
                    conn.close()
                except OSError:
                    time.sleep(0.01)
            self.assertEqual(status, 200)
            proc.send_signal(signal.SIGTERM)
            stdout, stderr = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        self.assertEqual(proc.returncode, 0, stderr)
        messages = [json.loads(line)["msg"] for line in stdout.splitlines()]
        self.assertEqual(messages[:2], ["starting notes-api", "listening"])
        self.assertIn("shutting down", messages)
        self.assertEqual(messages[-1], "stopped")
        self.assertEqual(stderr, "")


if __name__ == "__main__":
    unittest.main()


class StartupCheckTest(unittest.TestCase):
    """The first lines an operator reads in `docker logs` after a start."""

    def check(self, store):
        log = MemoryLogger()
        stopping = threading.Event()
        server.startup_check(store, log, stopping, "9.9.9")
        return [(r["level"], r["msg"]) for r in log.records], log.records

    def test_ready(self):
        self.assertEqual(self.check(FakeStore())[0], [("info", "database ready")])

    def test_schema_behind(self):
        from .fakes import migration
        store = FakeStore()
        store.shipped.append(migration("002", "add_tags"))
        lines, records = self.check(store)
        self.assertEqual(lines, [("error", "database schema is behind this release")])
        self.assertEqual(records[0]["pending"], ["002_add_tags"])

    def test_wrong_password_is_named(self):
        store = FakeStore()
        calls = []

        def schema_check():
            calls.append(1)
            if len(calls) == 1:
                return False, None, 'FATAL:  password authentication failed for user "notes"'
            return True, FakeStore().schema_check()[1], None

        store.schema_check = schema_check
        saved = server.STARTUP_RETRY_S
        server.STARTUP_RETRY_S = 0.01
        try:
            lines, records = self.check(store)
        finally:
            server.STARTUP_RETRY_S = saved
        self.assertEqual(lines, [("error", "the database rejected the password"), ("info", "database ready")])
        self.assertIn("initialised", records[0]["hint"])
