"""The platform controller: health-gated blue/green deploys behind nginx, a deploy history and an API.

Every second it asks each app slot for GET /version. A slot answering with a release or an
instance it has not seen yet is a new deploy: it must answer GET /health with 200 on
GATE_PASSES probes in a row within GATE_SECONDS, or the deploy is refused and the live slot
keeps serving. When several new deploys are in the gate at once, the platform waits for all
of them and puts the highest release live. State (live slot, history) is JSON on a volume.

API (port 9000): GET /api/status, GET /api/deploys, POST /api/rollback.
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOTS = ("blue", "green")
STATE_FILE = os.environ.get("PLATFORM_STATE", "/var/lib/platform/state.json")
LIVE_CONF = "/run/platform/live.conf"
GATE_PASSES = int(os.environ.get("GATE_PASSES", "3"))
GATE_SECONDS = float(os.environ.get("GATE_SECONDS", "12"))
LOCK = threading.RLock()
STARTED_AT = time.time()


def log(message, **fields):
    print(json.dumps({"ts": time.time(), "component": "platform", "msg": message, **fields}), flush=True)


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def get(slot, path):
    """(status, JSON body) of GET http://app-<slot>:8080<path>; status 0 when nothing answered."""
    try:
        with urllib.request.urlopen(f"http://app-{slot}:8080{path}", timeout=2) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}
    except Exception:  # noqa: BLE001 - refused, unknown host, timeout, not JSON
        return 0, {}


def nginx_workers():
    """PIDs of the nginx master's children (its workers) right now; empty when nginx is not up."""
    try:
        with open("/run/nginx.pid", encoding="utf-8") as file:
            master = file.read().strip()
    except OSError:
        return set()
    workers = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as file:
                # "pid (comm) state ppid ...": comm may hold spaces, so split after its ')'.
                if file.read().rsplit(")", 1)[1].split()[1] == master:
                    workers.add(pid)
        except (OSError, IndexError):
            pass  # exited while we looked
    return workers


def version_key(release):
    return [int(part) if part.isdigit() else part for part in str(release).replace("-", ".").split(".")]


class Platform:
    def __init__(self):
        self.state = {"live": None, "seen": {}, "deploys": []}
        if os.path.exists(STATE_FILE):
            with open(STATE_FILE, encoding="utf-8") as file:
                self.state.update(json.load(file))
        self.gate = {}  # slot -> {release, instance, since, passes}
        self.ready = {}  # slot -> release that passed its gate, waiting for the others

    def save(self):
        os.makedirs(os.path.dirname(STATE_FILE), exist_ok=True)
        with open(STATE_FILE + ".tmp", "w", encoding="utf-8") as file:
            json.dump(self.state, file, indent=2)
        os.replace(STATE_FILE + ".tmp", STATE_FILE)

    def route(self, slot, reload=True):
        os.makedirs(os.path.dirname(LIVE_CONF), exist_ok=True)
        with open(LIVE_CONF, "w", encoding="utf-8") as file:
            file.write(f'set $live_slot "{slot or ""}";\n')
        if not reload:
            return
        before = nginx_workers()
        subprocess.run(["nginx", "-s", "reload"], check=True)
        # The reload is asynchronous: new workers start, then the old ones are told to finish
        # their requests and exit. Until the last old worker is gone it may still accept a
        # connection and proxy it to the old slot, so the switch is done only once none of the
        # old workers is left and nginx answers from the new slot.
        deadline = time.time() + 30
        while time.time() < deadline:
            if not (before & nginx_workers()) and self.answers_from(slot):
                return
            time.sleep(0.1)
        log("nginx did not pick up the new slot within 30s", slot=slot)

    @staticmethod
    def answers_from(slot):
        try:
            with urllib.request.urlopen("http://127.0.0.1:8080/version", timeout=2) as response:
                return response.headers.get("X-Platform-Slot") == (slot or "")
        except urllib.error.HTTPError as error:  # 5xx while the slot is down: the header still says
            return error.headers.get("X-Platform-Slot") == (slot or "")
        except Exception:  # noqa: BLE001 - refused or timed out while nginx reloads: keep waiting
            return False

    def record(self, action, slot, release, status, **extra):
        entry = {"id": len(self.state["deploys"]) + 1, "at": now(), "action": action, "slot": slot,
                 "release": release, "status": status, **extra}
        self.state["deploys"].append(entry)
        self.save()
        log(f"{action} {status}", **{k: v for k, v in entry.items() if k not in ("id", "at")})

    def switch(self, action, slot, release, **extra):
        previous = self.state["live"]
        self.route(slot)  # first nginx, then the state: status never reports a switch in progress
        self.state["live"] = slot
        self.record(action, slot, release, "live", previous=previous, **extra)

    def tick(self):
        with LOCK:
            answered = set()
            for slot in SLOTS:
                status, version = get(slot, "/version")
                if status == 200:
                    answered.add(slot)
                if status == 200 and version.get("instance"):
                    seen = {"release": version.get("release"), "instance": version["instance"]}
                    if self.state["seen"].get(slot) != seen:
                        self.state["seen"][slot] = seen
                        self.ready.pop(slot, None)
                        self.gate[slot] = {**seen, "since": time.time(), "passes": 0}
                        self.save()
                        log("new deploy detected, health gate started", slot=slot, release=seen["release"])
            for slot, pending in list(self.gate.items()):
                status, _ = get(slot, "/health")
                pending["passes"] = pending["passes"] + 1 if status == 200 else 0
                if pending["passes"] >= GATE_PASSES:
                    del self.gate[slot]
                    self.ready[slot] = pending["release"]
                elif time.time() - pending["since"] > GATE_SECONDS:
                    del self.gate[slot]
                    reason = f"GET /health did not answer 200 on {GATE_PASSES} probes in a row within {GATE_SECONDS:g}s (last: {status or 'no answer'})"
                    self.record("deploy", slot, pending["release"], "refused", reason=reason)
            # Just after the platform started (a fresh deploy), wait for every slot to answer, so
            # the highest release goes live whichever slot happened to start first.
            settling = time.time() - STARTED_AT < GATE_SECONDS and answered != set(SLOTS)
            if self.ready and not self.gate and not settling:
                for slot, release in sorted(self.ready.items(), key=lambda item: version_key(item[1])):
                    self.switch("deploy", slot, release)
                self.ready.clear()

    def status(self):
        live = self.state["live"]
        code, health = get(live, "/health") if live else (0, {})
        return {
            "live": {"slot": live, "release": (self.state["seen"].get(live) or {}).get("release") if live else None,
                     "healthy": code == 200, "health": health or None},
            "slots": {slot: self.state["seen"].get(slot) for slot in SLOTS},
            "gate": {slot: {"release": g["release"], "passes": g["passes"]} for slot, g in self.gate.items()},
        }

    def rollback(self):
        """Back to the release in the other slot: it must be one that was live before, and healthy now."""
        with LOCK:
            live = self.state["live"]
            if not live:
                return 409, {"error": "nothing is live, nothing to roll back"}
            other = "green" if live == "blue" else "blue"
            seen = self.state["seen"].get(other) or {}
            was_live = any(d["slot"] == other and d["release"] == seen.get("release") and d["status"] == "live"
                           for d in self.state["deploys"])
            if not was_live:
                return 409, {"error": f"slot {other} runs no release that was live before"}
            code, _ = get(other, "/health")
            if code != 200:
                return 409, {"error": f"slot {other} (release {seen.get('release')}) is not healthy (/health: {code or 'no answer'})"}
            # A rollback wins over deploys still in their gate: they are cancelled, not put live later.
            for slot, pending in list(self.gate.items()) + [(s, {"release": r}) for s, r in self.ready.items()]:
                if slot != other:
                    self.record("deploy", slot, pending["release"], "cancelled", reason="a rollback was requested")
            self.gate.clear()
            self.ready.clear()
            self.switch("rollback", other, seen.get("release"), **{"from": (self.state["seen"].get(live) or {}).get("release")})
            return 200, self.state["deploys"][-1]


PLATFORM = None


class Api(BaseHTTPRequestHandler):
    def reply(self, status, payload):
        data = json.dumps(payload, indent=2).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/api/status":
            return self.reply(200, PLATFORM.status())
        if self.path == "/api/deploys":
            return self.reply(200, {"deploys": PLATFORM.state["deploys"]})
        return self.reply(404, {"error": "GET /api/status, GET /api/deploys, POST /api/rollback"})

    def do_POST(self):
        if self.path == "/api/rollback":
            return self.reply(*PLATFORM.rollback())
        return self.reply(404, {"error": "POST /api/rollback"})

    def log_message(self, fmt, *args):
        pass


def main():
    global PLATFORM
    PLATFORM = Platform()
    PLATFORM.route(PLATFORM.state["live"], reload=False)
    nginx = subprocess.Popen(["nginx", "-g", "daemon off;"])
    api = ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("API_PORT", "9000"))), Api)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    log("platform up", live=PLATFORM.state["live"], api_port=api.server_address[1])
    while nginx.poll() is None:
        try:
            PLATFORM.tick()
        except Exception as error:  # noqa: BLE001 - keep the platform up, say what went wrong
            log("controller error", error=str(error))
        time.sleep(1)
    log("nginx exited", code=nginx.returncode)
    sys.exit(1)


if __name__ == "__main__":
    main()
