import datetime
import json
import pathlib
import tempfile
import unittest

from app import buildinfo


class BuildInfoTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = pathlib.Path(tmp.name)
        (self.dir / "VERSION").write_text("3.1.4\n")
        self.now = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)

    def test_version_defaults_to_the_version_file(self):
        info = buildinfo.make({}, self.dir / "VERSION", self.now)
        self.assertEqual(info, {"version": "3.1.4", "revision": "unknown", "builtAt": "2024-05-06T07:08:09Z"})

    def test_build_arguments_win(self):
        info = buildinfo.make({"APP_VERSION": "3.2.0-rc1", "GIT_REVISION": "deadbeef"}, self.dir / "VERSION", self.now)
        self.assertEqual((info["version"], info["revision"]), ("3.2.0-rc1", "deadbeef"))

    def test_load(self):
        path = self.dir / "BUILD_INFO.json"
        path.write_text(json.dumps({"version": "1.0.0", "revision": "abc", "builtAt": "x"}))
        self.assertEqual(buildinfo.load(path), {"version": "1.0.0", "revision": "abc", "builtAt": "x"})
        self.assertEqual(buildinfo.load(self.dir / "missing.json")["revision"], "dev")


if __name__ == "__main__":
    unittest.main()
