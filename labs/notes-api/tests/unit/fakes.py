"""Test doubles: an in-memory notes store and a logger that keeps its records."""

import datetime
import io
import json

from app import schema
from app.log import Logger


class MemoryLogger(Logger):
    def __init__(self, fmt="json"):
        super().__init__(fmt, io.StringIO())

    @property
    def records(self):
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line]


def migration(version, name):
    return schema.Migration(version, name, None, f"sum-{version}")


class FakeStore:
    def __init__(self):
        self.notes = {}
        self.next_id = 1
        self.up = True
        self.shipped = [migration("001", "create_notes")]
        self.applied = {"001": {"name": "create_notes", "checksum": "sum-001", "appliedAt": None}}
        self.probe_error = None
        self.fail_with = None

    def _maybe_fail(self):
        if self.fail_with is not None:
            raise self.fail_with

    def schema_check(self):
        if not self.up:
            return False, None, "could not translate host name \"db\" to address"
        return True, schema.compare(self.shipped, self.applied, self.probe_error), None

    def list(self, limit, offset):
        self._maybe_fail()
        return [self.notes[k] for k in sorted(self.notes)][offset:offset + limit]

    def get(self, note_id):
        self._maybe_fail()
        return self.notes.get(note_id)

    def create(self, title, body):
        self._maybe_fail()
        now = datetime.datetime.now(datetime.timezone.utc).isoformat()
        note = {"id": self.next_id, "title": title, "body": body, "createdAt": now, "updatedAt": now}
        self.notes[self.next_id] = note
        self.next_id += 1
        return note

    def update(self, note_id, title, body):
        self._maybe_fail()
        if note_id not in self.notes:
            return None
        self.notes[note_id] = dict(self.notes[note_id], title=title, body=body)
        return self.notes[note_id]

    def delete(self, note_id):
        self._maybe_fail()
        return self.notes.pop(note_id, None) is not None
