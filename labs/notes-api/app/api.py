"""HTTP routing and validation, independent of the socket server (unit-testable with a fake store).

    GET    /health        200 {"status":"ok","database":"up","schema":"ok",...} | 503 degraded
    GET    /version       200 {"version","revision","builtAt"}
    GET    /notes         200 {"notes":[...],"limit","offset"}   ?limit=1..1000&offset>=0
    POST   /notes         201 note      {"title": str, "body": str?}
    GET    /notes/<id>    200 note | 404
    PUT    /notes/<id>    200 note | 404   (replaces title and body)
    DELETE /notes/<id>    204 | 404
Errors are JSON: {"error": "...", "detail": "..."} with a fitting status code.
"""

import dataclasses
import json
import re
import urllib.parse

from . import schema
from .db import DatabaseUnavailable, SchemaMismatch

MAX_BODY_BYTES = 64 * 1024
TITLE_MAX = 200
BODY_MAX = 10_000
MAX_LIMIT = 1000
NOTE_FIELDS = ("title", "body")
NOTE_PATH = re.compile(r"^/notes/(?P<id>[^/]+)$")
MAX_ID = 2**63 - 1
SCHEMA_HINT = "Compare GET /health with `python3 -m app.migrate --status`: the migrate job must run before the API."


@dataclasses.dataclass
class Response:
    status: int
    payload: object = None
    headers: dict = dataclasses.field(default_factory=dict)

    def body(self) -> bytes:
        if self.payload is None:
            return b""
        return (json.dumps(self.payload, separators=(",", ":")) + "\n").encode("utf-8")


class HttpError(Exception):
    def __init__(self, status, error, detail=None, **extra):
        super().__init__(error)
        self.response = Response(status, {"error": error, **({"detail": detail} if detail else {}), **extra})


def error(status, message, detail=None, **extra) -> Response:
    return HttpError(status, message, detail, **extra).response


class App:
    def __init__(self, store, log, build: dict):
        self.store = store
        self.log = log
        self.build = build

    # -- entry point ----------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict, body: bytes) -> Response:
        parsed = urllib.parse.urlsplit(target)
        path = parsed.path.rstrip("/") or "/"
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        try:
            return self._route(method, path, query, headers, body)
        except HttpError as exc:
            return exc.response
        except DatabaseUnavailable as exc:
            self.log.error("database unavailable", method=method, path=path, error=str(exc))
            return error(503, "database unavailable", str(exc))
        except SchemaMismatch as exc:
            self.log.error("database schema does not match this release", method=method, path=path,
                           version=self.build.get("version"), error=str(exc), hint=SCHEMA_HINT)
            return error(500, "database schema does not match this release", str(exc), hint=SCHEMA_HINT)
        except Exception as exc:  # a bug: log it, answer 500, keep serving
            self.log.error("unhandled error", method=method, path=path, error=repr(exc))
            return error(500, "internal server error")

    def _route(self, method, path, query, headers, body) -> Response:
        if path == "/health":
            self._allow(method, ("GET",))
            return self.health()
        if path == "/version":
            self._allow(method, ("GET",))
            return Response(200, dict(self.build))
        if path == "/notes":
            self._allow(method, ("GET", "POST"))
            if method == "GET":
                return self.list_notes(query)
            return self.create_note(headers, body)
        match = NOTE_PATH.match(path)
        if match:
            self._allow(method, ("GET", "PUT", "DELETE"))
            note_id = self._note_id(match.group("id"))
            if method == "GET":
                return self.get_note(note_id)
            if method == "PUT":
                return self.update_note(note_id, headers, body)
            return self.delete_note(note_id)
        raise HttpError(404, "not found", f"no route for {path}")

    @staticmethod
    def _allow(method, allowed):
        if method == "HEAD" and "GET" in allowed:
            return
        if method not in allowed:
            raise HttpError(405, "method not allowed", f"{method} is not supported here",
                            allowed=list(allowed))

    # -- health & version -----------------------------------------------------------------------
    def health(self) -> Response:
        up, state, err = self.store.schema_check()
        version = self.build.get("version")
        if not up:
            return Response(503, {"status": "degraded", "database": "down", "error": err, "version": version})
        if state is None:
            return Response(503, {"status": "degraded", "database": "up", "schema": "unknown", "error": err,
                                  "version": version})
        payload = {"status": "ok", "database": "up", "schema": state.status, "version": version}
        if state.pending:
            payload["pending"] = [m.id for m in state.pending]
        if state.unknown:
            payload["unknown"] = schema.unknown_ids(state)
        if state.status == "behind":
            payload["status"] = "degraded"
            payload["error"] = (f"database schema is behind this release: {len(state.pending)} migration(s) "
                                f"not applied ({', '.join(payload['pending'])}); run the migrate job "
                                "(python3 -m app.migrate)")
            return Response(503, payload)
        if state.status == "incompatible":
            payload["status"] = "degraded"
            message = f"database schema is incompatible with release {version}: {state.probe_error}"
            if state.unknown:
                message += (f"; the database has migrations this release does not know "
                            f"({', '.join(payload['unknown'])}), applied by a newer release")
            payload["error"] = message
            return Response(503, payload)
        return Response(200, payload)

    # -- notes ----------------------------------------------------------------------------------
    @staticmethod
    def _note_id(raw: str) -> int:
        if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_ID:
            raise HttpError(400, "invalid note id", f"{raw!r} is not a positive integer")
        return int(raw)

    @staticmethod
    def _int_param(query, name, default, low, high) -> int:
        values = query.get(name)
        if not values:
            return default
        raw = values[-1]
        if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
            raise HttpError(400, "invalid query parameter", f"{name} must be an integer between {low} and {high}")
        return int(raw)

    @staticmethod
    def _json_body(headers: dict, body: bytes) -> dict:
        content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
        if content_type and content_type != "application/json":
            raise HttpError(415, "unsupported media type", "send Content-Type: application/json")
        if not body:
            raise HttpError(400, "invalid JSON", "the request body is empty")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise HttpError(400, "invalid JSON", str(exc)) from None
        if not isinstance(data, dict):
            raise HttpError(400, "invalid JSON", "the request body must be a JSON object")
        return data

    def _note_input(self, headers, body):
        data = self._json_body(headers, body)
        fields = {}
        unknown = sorted(set(data) - set(NOTE_FIELDS))
        for name in unknown:
            fields[name] = "unknown field"
        title = data.get("title")
        if title is None:
            fields["title"] = "is required"
        elif not isinstance(title, str):
            fields["title"] = "must be a string"
        elif not title.strip():
            fields["title"] = "must not be blank"
        elif len(title.strip()) > TITLE_MAX:
            fields["title"] = f"must be at most {TITLE_MAX} characters"
        text = data.get("body", "")
        if text is None:
            text = ""
        if not isinstance(text, str):
            fields["body"] = "must be a string"
        elif len(text) > BODY_MAX:
            fields["body"] = f"must be at most {BODY_MAX} characters"
        if fields:
            raise HttpError(400, "validation failed", fields=fields)
        return title.strip(), text

    def list_notes(self, query) -> Response:
        limit = self._int_param(query, "limit", 100, 1, MAX_LIMIT)
        offset = self._int_param(query, "offset", 0, 0, MAX_ID)
        return Response(200, {"notes": self.store.list(limit, offset), "limit": limit, "offset": offset})

    def create_note(self, headers, body) -> Response:
        title, text = self._note_input(headers, body)
        note = self.store.create(title, text)
        return Response(201, note, {"Location": f"/notes/{note['id']}"})

    def get_note(self, note_id) -> Response:
        note = self.store.get(note_id)
        if note is None:
            raise HttpError(404, "not found", f"note {note_id} does not exist")
        return Response(200, note)

    def update_note(self, note_id, headers, body) -> Response:
        title, text = self._note_input(headers, body)
        note = self.store.update(note_id, title, text)
        if note is None:
            raise HttpError(404, "not found", f"note {note_id} does not exist")
        return Response(200, note)

    def delete_note(self, note_id) -> Response:
        if not self.store.delete(note_id):
            raise HttpError(404, "not found", f"note {note_id} does not exist")
        return Response(204)
