"""What was built: version, source revision and build time, baked into the image.

The Dockerfile's build stage runs `python3 -m app.buildinfo /out/BUILD_INFO.json`: the version is
the APP_VERSION build argument or, when that is empty, the VERSION file of the source, so a
source change plus a rebuild changes what GET /version answers. Running from a source checkout
(no BUILD_INFO.json), the version still comes from VERSION and the revision is "dev".
"""

import datetime
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD_INFO_FILE = ROOT / "BUILD_INFO.json"
VERSION_FILE = ROOT / "VERSION"


def _read_version_file(path=VERSION_FILE) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"


def load(path=BUILD_INFO_FILE) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return {
            "version": str(data.get("version") or "unknown"),
            "revision": str(data.get("revision") or "unknown"),
            "builtAt": data.get("builtAt"),
        }
    except (OSError, ValueError):
        return {"version": _read_version_file(), "revision": "dev", "builtAt": None}


def make(env=None, version_file=VERSION_FILE, now=None) -> dict:
    env = os.environ if env is None else env
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return {
        "version": (env.get("APP_VERSION") or "").strip() or _read_version_file(version_file),
        "revision": (env.get("GIT_REVISION") or "").strip() or "unknown",
        "builtAt": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python3 -m app.buildinfo OUTPUT.json  (reads APP_VERSION, GIT_REVISION, VERSION)",
              file=sys.stderr)
        return 2
    info = make()
    with open(argv[0], "w", encoding="utf-8") as handle:
        json.dump(info, handle)
        handle.write("\n")
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
