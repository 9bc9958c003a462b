import json
import unittest

from app import api
from app.db import DatabaseUnavailable, SchemaMismatch

from .fakes import FakeStore, MemoryLogger, migration

BUILD = {"version": "9.9.9", "revision": "abc123", "builtAt": "2024-01-01T00:00:00Z"}
JSON = {"content-type": "application/json"}


class ApiTest(unittest.TestCase):
    def setUp(self):
        self.store = FakeStore()
        self.log = MemoryLogger()
        self.app = api.App(self.store, self.log, BUILD)

    def call(self, method, path, payload=None, headers=None, raw=None):
        body = raw if raw is not None else (json.dumps(payload).encode() if payload is not None else b"")
        response = self.app.handle(method, path, JSON if headers is None else headers, body)
        data = json.loads(response.body()) if response.payload is not None else None
        return response.status, data, response

    # -- health -------------------------------------------------------------------------------
    def test_health_ok(self):
        status, data, _ = self.call("GET", "/health")
        self.assertEqual(status, 200)
        self.assertEqual(data, {"status": "ok", "database": "up", "schema": "ok", "version": "9.9.9"})

    def test_health_database_down(self):
        self.store.up = False
        status, data, _ = self.call("GET", "/health")
        self.assertEqual(status, 503)
        self.assertEqual((data["status"], data["database"]), ("degraded", "down"))
        self.assertIn("db", data["error"])

    def test_health_schema_behind(self):
        self.store.shipped.append(migration("002", "add_tags"))
        status, data, _ = self.call("GET", "/health")
        self.assertEqual(status, 503)
        self.assertEqual((data["database"], data["schema"], data["pending"]), ("up", "behind", ["002_add_tags"]))
        self.assertIn("1 migration(s) not applied (002_add_tags)", data["error"])

    def test_health_schema_incompatible_after_a_newer_release_migrated(self):
        self.store.applied["002"] = {"name": "rename_body", "checksum": "x", "appliedAt": None}
        self.store.probe_error = 'column "body" does not exist'
        status, data, _ = self.call("GET", "/health")
        self.assertEqual(status, 503)
        self.assertEqual((data["schema"], data["unknown"]), ("incompatible", ["002_rename_body"]))
        self.assertIn('column "body" does not exist', data["error"])
        self.assertIn("applied by a newer release", data["error"])

    def test_health_newer_but_compatible_schema_is_ok(self):
        self.store.applied["002"] = {"name": "add_content", "checksum": "x", "appliedAt": None}
        status, data, _ = self.call("GET", "/health")
        self.assertEqual((status, data["schema"], data["unknown"]), (200, "ok", ["002_add_content"]))

    def test_version(self):
        self.assertEqual(self.call("GET", "/version")[:2], (200, BUILD))

    # -- routing --------------------------------------------------------------------------------
    def test_unknown_path(self):
        status, data, _ = self.call("GET", "/healthz")
        self.assertEqual((status, data["error"]), (404, "not found"))

    def test_method_not_allowed(self):
        status, data, _ = self.call("DELETE", "/notes")
        self.assertEqual((status, data["allowed"]), (405, ["GET", "POST"]))

    def test_trailing_slash_and_query(self):
        self.assertEqual(self.call("GET", "/health/?verbose=1")[0], 200)

    # -- notes ----------------------------------------------------------------------------------
    def test_crud(self):
        status, note, response = self.call("POST", "/notes", {"title": " Hello ", "body": "world"})
        self.assertEqual((status, note["title"], note["body"]), (201, "Hello", "world"))
        self.assertEqual(response.headers["Location"], f"/notes/{note['id']}")
        self.assertEqual(self.call("GET", f"/notes/{note['id']}")[1]["body"], "world")
        status, listed, _ = self.call("GET", "/notes")
        self.assertEqual((status, [n["id"] for n in listed["notes"]]), (200, [note["id"]]))
        status, updated, _ = self.call("PUT", f"/notes/{note['id']}", {"title": "Hi", "body": "there"})
        self.assertEqual((status, updated["title"], updated["body"]), (200, "Hi", "there"))
        status, data, _ = self.call("DELETE", f"/notes/{note['id']}")
        self.assertEqual((status, data), (204, None))
        self.assertEqual(self.call("GET", f"/notes/{note['id']}")[0], 404)
        self.assertEqual(self.call("DELETE", f"/notes/{note['id']}")[0], 404)
        self.assertEqual(self.call("PUT", f"/notes/{note['id']}", {"title": "x"})[0], 404)

    def test_body_is_optional(self):
        self.assertEqual(self.call("POST", "/notes", {"title": "t"})[1]["body"], "")

    def test_validation(self):
        cases = [
            ({}, {"title": "is required"}),
            ({"title": "   "}, {"title": "must not be blank"}),
            ({"title": 5, "body": []}, {"title": "must be a string", "body": "must be a string"}),
            ({"title": "x" * 201}, {"title": "must be at most 200 characters"}),
            ({"title": "t", "content": "c"}, {"content": "unknown field"}),
        ]
        for payload, fields in cases:
            with self.subTest(payload=payload):
                status, data, _ = self.call("POST", "/notes", payload)
                self.assertEqual((status, data["error"], data["fields"]), (400, "validation failed", fields))

    def test_bad_json(self):
        self.assertEqual(self.call("POST", "/notes", raw=b"{nope")[1]["error"], "invalid JSON")
        self.assertEqual(self.call("POST", "/notes", raw=b"[1]")[0], 400)
        self.assertEqual(self.call("POST", "/notes", raw=b"")[0], 400)
        self.assertEqual(self.call("POST", "/notes", {"title": "t"}, headers={"content-type": "text/plain"})[0], 415)

    def test_bad_ids_and_paging(self):
        for path in ("/notes/abc", "/notes/0", "/notes/-1", "/notes/99999999999999999999", "/notes/\u00b2"):
            with self.subTest(path=path):
                self.assertEqual(self.call("GET", path)[0], 400)
        self.assertEqual(self.call("GET", "/notes?limit=0")[0], 400)
        self.assertEqual(self.call("GET", "/notes?limit=5000")[0], 400)
        for i in range(5):
            self.call("POST", "/notes", {"title": f"n{i}"})
        _, page, _ = self.call("GET", "/notes?limit=2&offset=1")
        self.assertEqual([n["title"] for n in page["notes"]], ["n1", "n2"])

    # -- database failures ----------------------------------------------------------------------
    def test_schema_mismatch_is_a_500_with_a_hint_and_a_log_line(self):
        self.store.fail_with = SchemaMismatch('column "content" does not exist')
        status, data, _ = self.call("GET", "/notes")
        self.assertEqual(status, 500)
        self.assertEqual(data["error"], "database schema does not match this release")
        self.assertEqual(data["detail"], 'column "content" does not exist')
        record = self.log.records[-1]
        self.assertEqual((record["level"], record["msg"], record["version"]),
                         ("error", "database schema does not match this release", "9.9.9"))

    def test_database_unavailable_is_a_503(self):
        self.store.fail_with = DatabaseUnavailable("connection refused")
        status, data, _ = self.call("POST", "/notes", {"title": "t"})
        self.assertEqual((status, data["error"]), (503, "database unavailable"))

    def test_bug_is_a_500_without_details(self):
        self.store.fail_with = KeyError("oops")
        status, data, _ = self.call("GET", "/notes/1")
        self.assertEqual((status, data), (500, {"error": "internal server error"}))
        self.assertIn("KeyError", self.log.records[-1]["error"])


if __name__ == "__main__":
    unittest.main()
