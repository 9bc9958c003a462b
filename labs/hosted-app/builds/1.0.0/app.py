"""The orders service, one release of it: JSON over HTTP, orders kept in the managed PostgreSQL.

GET /health   200 when the service can do its job (it runs the orders query), 503 otherwise
GET /version  the release and this process's instance id (the platform watches both)
GET /orders   the latest orders          POST /orders  {"customer", "item", "quantity"}
"""

import json
import os
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2

RELEASE = os.environ.get("APP_RELEASE", "unknown")
INSTANCE = uuid.uuid4().hex[:12]
STARTED = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
ORDERS_QUERY = "SELECT id, customer, item, quantity FROM orders ORDER BY id DESC LIMIT 50"


def log(message, **fields):
    print(json.dumps({"ts": time.time(), "release": RELEASE, "msg": message, **fields}), flush=True)


def connect():
    """One connection per request, with the settings the platform gives every app slot."""
    with open(os.environ["DB_PASSWORD_FILE"], encoding="utf-8") as secret:
        password = secret.read().strip()
    return psycopg2.connect(
        host=os.environ.get("DB_HOST", "db"),
        port=int(os.environ.get("DB_PORT", "5432")),
        dbname=os.environ.get("DB_NAME", "orders"),
        user=os.environ.get("DB_USER", "orders"),
        password=password,
        sslmode=os.environ.get("DB_SSLMODE", "require"),
        connect_timeout=2,
    )


def list_orders():
    with connect() as conn, conn.cursor() as cur:
        cur.execute(ORDERS_QUERY)
        names = [column.name for column in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def health():
    """The service is healthy when it can do its job: the same query /orders runs."""
    try:
        list_orders()
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        log("health check failed", error=str(error).strip())
        return 503, {"status": "failing", "release": RELEASE, "error": str(error).strip()}
    return 200, {"status": "ok", "release": RELEASE}


def create_order(body):
    try:
        order = json.loads(body or b"{}")
        values = (str(order["customer"]), str(order["item"]), int(order["quantity"]))
    except (ValueError, KeyError, TypeError):
        return 400, {"error": "expected JSON {customer, item, quantity}"}
    with connect() as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO orders (customer, item, quantity) VALUES (%s, %s, %s) RETURNING id", values
        )
        return 201, {"id": cur.fetchone()[0], "customer": values[0], "item": values[1], "quantity": values[2]}


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1: a client may keep its connection for the next request (every reply has a length).
    protocol_version = "HTTP/1.1"

    def reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self, method):
        path = self.path.split("?")[0]
        try:
            if method == "GET" and path == "/health":
                return self.reply(*health())
            if method == "GET" and path == "/version":
                return self.reply(200, {"release": RELEASE, "instance": INSTANCE, "started": STARTED})
            if method == "GET" and path == "/orders":
                orders = list_orders()
                return self.reply(200, {"release": RELEASE, "count": len(orders), "orders": orders})
            if method == "POST" and path == "/orders":
                length = int(self.headers.get("content-length") or 0)
                return self.reply(*create_order(self.rfile.read(length)))
            return self.reply(404, {"error": f"no route {method} {path}"})
        except Exception as error:  # noqa: BLE001 - the request fails, the server goes on
            log("request failed", path=path, error=str(error).strip())
            return self.reply(500, {"error": "internal error"})

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def log_message(self, fmt, *args):
        log("request", line=fmt % args)


def main():
    for name in ("DB_PASSWORD_FILE",):
        if not os.environ.get(name):
            print(f"orders: {name} is not set", file=sys.stderr)
            sys.exit(1)
    port = int(os.environ.get("PORT", "8080"))
    log("listening", port=port, instance=INSTANCE)
    # A listen backlog of 5 (http.server's default) drops the connections of a burst, which the
    # client sends again only a second later.
    ThreadingHTTPServer.request_queue_size = 128
    ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
