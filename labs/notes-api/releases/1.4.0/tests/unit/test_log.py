import io
import json
import os
import tempfile
import unittest

from app.log import Logger, open_logger


class LogTest(unittest.TestCase):
    def test_json_line_per_record(self):
        out = io.StringIO()
        log = Logger("json", out)
        log.info("request", method="GET", status=200, skipped=None)
        log.error("boom", detail="a\nb")
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 2)
        first = json.loads(lines[0])
        self.assertEqual(list(first)[:3], ["ts", "level", "msg"])
        self.assertEqual((first["level"], first["msg"], first["method"], first["status"]), ("info", "request", "GET", 200))
        self.assertNotIn("skipped", first)
        self.assertRegex(first["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(json.loads(lines[1])["detail"], "a\nb")

    def test_text_format(self):
        out = io.StringIO()
        Logger("text", out).warn("database not reachable yet", error="no route", port=5432)
        self.assertRegex(out.getvalue(), r'^\S+ WARN  database not reachable yet error="no route" port=5432\n$')

    def test_fatal_is_mirrored_when_logging_to_a_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "app.log")
            log = open_logger("json", path)
            mirror = io.StringIO()
            log.fatal_mirror = mirror
            log.info("hello")
            log.fatal("bye")
            log.close()
            with open(path) as handle:
                self.assertEqual([json.loads(l)["msg"] for l in handle], ["hello", "bye"])
            self.assertEqual(json.loads(mirror.getvalue())["msg"], "bye")

    def test_unwritable_destination_raises(self):
        with self.assertRaises(OSError):
            open_logger("json", "/nonexistent-dir/app.log")


if __name__ == "__main__":
    unittest.main()
