"""Structured logging: one line per event, JSON (default) or text, flushed at once.

Every line is written and flushed under a lock, so `docker logs` shows it the moment it
happens and lines from concurrent requests never interleave.
"""

import datetime
import json
import sys
import threading

FORMATS = ("json", "text")


def utc_now() -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _text_value(value) -> str:
    if isinstance(value, str) and value and not any(c in value for c in ' ="\n\t'):
        return value
    return json.dumps(value, separators=(",", ":"), default=str)


def format_record(record: dict, fmt: str) -> str:
    if fmt == "text":
        head = f"{record['ts']} {record['level'].upper():<5} {record['msg']}"
        rest = " ".join(f"{k}={_text_value(v)}" for k, v in record.items() if k not in ("ts", "level", "msg"))
        return f"{head} {rest}" if rest else head
    return json.dumps(record, separators=(",", ":"), default=str)


class Logger:
    """Writes records to one stream. `fatal` records are also copied to `fatal_mirror`
    (stderr when logs go to a file), so the reason a process died is always in `docker logs`."""

    def __init__(self, fmt: str = "json", stream=None, fatal_mirror=None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown log format {fmt!r}")
        self.fmt = fmt
        self.stream = stream if stream is not None else sys.stdout
        self.fatal_mirror = fatal_mirror
        self._lock = threading.Lock()

    def log(self, level: str, msg: str, **fields) -> None:
        record = {"ts": utc_now(), "level": level, "msg": msg}
        record.update({k: v for k, v in fields.items() if v is not None})
        line = format_record(record, self.fmt) + "\n"
        with self._lock:
            targets = [self.stream]
            if level == "fatal" and self.fatal_mirror is not None and self.fatal_mirror is not self.stream:
                targets.append(self.fatal_mirror)
            for stream in targets:
                try:
                    stream.write(line)
                    stream.flush()
                except (OSError, ValueError):
                    pass  # the stream is gone (closed pipe, full disk): nothing sane left to do

    def debug(self, msg: str, **fields) -> None:
        self.log("debug", msg, **fields)

    def info(self, msg: str, **fields) -> None:
        self.log("info", msg, **fields)

    def warn(self, msg: str, **fields) -> None:
        self.log("warn", msg, **fields)

    def error(self, msg: str, **fields) -> None:
        self.log("error", msg, **fields)

    def fatal(self, msg: str, **fields) -> None:
        self.log("fatal", msg, **fields)

    def close(self) -> None:
        if self.stream not in (sys.stdout, sys.stderr):
            try:
                self.stream.close()
            except OSError:
                pass


def open_logger(fmt: str, destination: str) -> Logger:
    """`destination` is stdout, stderr or an absolute file path (appended to, line-buffered).
    Raises OSError when the file cannot be opened."""
    if destination == "stdout":
        return Logger(fmt, sys.stdout)
    if destination == "stderr":
        return Logger(fmt, sys.stderr)
    stream = open(destination, "a", buffering=1, encoding="utf-8")
    return Logger(fmt, stream, fatal_mirror=sys.stderr)
