import pathlib
import tempfile
import unittest

from app import schema

ROOT = pathlib.Path(__file__).resolve().parents[2]


class SchemaTest(unittest.TestCase):
    def folder(self, *names):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        for name in names:
            (pathlib.Path(tmp.name) / name).write_text(f"-- {name}\nSELECT 1;\n")
        return tmp.name

    def test_numeric_order_and_checksums(self):
        found = schema.discover(self.folder("010_c.sql", "002_b.sql", "001_a.sql", "README.md"))
        self.assertEqual([m.id for m in found], ["001_a", "002_b", "010_c"])
        self.assertEqual(len({m.checksum for m in found}), 3)

    def test_badly_named_file_is_an_error(self):
        with self.assertRaisesRegex(schema.MigrationFileError, "4_fix.sql does not match"):
            schema.discover(self.folder("001_a.sql", "4_fix.sql"))

    def test_duplicate_version_is_an_error(self):
        with self.assertRaisesRegex(schema.MigrationFileError, "share version 002"):
            schema.discover(self.folder("002_a.sql", "002_b.sql"))

    def test_compare(self):
        shipped = schema.discover(self.folder("001_a.sql", "002_b.sql", "003_c.sql"))
        applied = {"001": {"name": "a", "checksum": shipped[0].checksum, "appliedAt": None},
                   "002": {"name": "b", "checksum": "edited", "appliedAt": None},
                   "004": {"name": "d", "checksum": "x", "appliedAt": None}}
        state = schema.compare(shipped, applied)
        self.assertEqual([m.id for m in state.pending], ["003_c"])
        self.assertEqual(state.unknown, ["004"])
        self.assertEqual([m.id for m in state.changed], ["002_b"])
        self.assertEqual((state.status, state.current), ("behind", "004"))
        self.assertEqual(schema.unknown_ids(state), ["004_d"])
        self.assertEqual(schema.compare(shipped[:2], applied, 'column "x" does not exist').status, "incompatible")

    def test_the_release_ships_valid_migrations(self):
        found = schema.discover(ROOT / "migrations")
        self.assertGreaterEqual(len(found), 1)
        self.assertEqual([int(m.version) for m in found], list(range(1, len(found) + 1)))


if __name__ == "__main__":
    unittest.main()
