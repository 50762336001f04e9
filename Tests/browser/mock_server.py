#!/usr/bin/env python3
"""Development-only mock of the live-sessions server (wire protocol v1 and the demo functions).

NOT the test target: the browser tests run against the real `live-sessions` executable. This mock
exists so the web app and the tests could be written before the server landed, and to try the
app quickly: `python3 Tests/browser/mock_server.py --port 8099`.
"""
import argparse
import json
import os
import random
import select
import socket
import string
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PUBLIC = os.path.join(ROOT, "Sources", "LiveSessionsServer", "Public")
RESOURCES = os.path.join(ROOT, "Sources", "RemoteFunctionsServer", "Resources")

lock = threading.Condition()
sessions, participants, entities = {}, {}, {}
counters = {"participant": 0, "entity": 0, "open_streams": 0}


def now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RemoteError(Exception):
    STATUS = {"invalid_argument": 400, "not_found": 404, "aborted": 409}

    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def stats(items):
    by = {"active": 0, "idle": 0, "away": 0}
    for p in items:
        by[p["status"]] += 1
    return {"total": len(items), "byStatus": by}


def session_participants(code):
    if code not in sessions:
        raise RemoteError("not_found", "No such session.")
    return [p for p in participants.values() if p["sessionCode"] == code]


def public(p):
    return {k: p[k] for k in ("id", "name", "status", "joinedAt")}


def create_session(args):
    code = "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
    sessions[code] = {"code": code, "name": args.get("name") or "Session", "createdAt": now()}
    return sessions[code]


def join(args):
    session_participants(args["sessionCode"])
    counters["participant"] += 1
    p = {"id": counters["participant"], "name": args["name"], "status": "active", "joinedAt": now(),
         "sessionCode": args["sessionCode"]}
    participants[p["id"]] = p
    return public(p)


def set_status(args):
    p = participants.get(args["participantId"])
    if not p:
        raise RemoteError("not_found", "No such participant.")
    p["status"] = args["status"]
    return public(p)


def leave(args):
    participants.pop(args["participantId"], None)
    return None


def create_entity(args):
    session_participants(args["sessionCode"])
    counters["entity"] += 1
    e = {"id": counters["entity"], "sessionCode": args["sessionCode"], "title": args["title"], "notes": "",
         "status": "todo", "version": 1, "updatedAt": now()}
    entities[e["id"]] = e
    return e


def update_entity(args):
    e = entities.get(args["entityId"])
    if not e:
        raise RemoteError("not_found", "No such entity.")
    if e["version"] != args["baseVersion"]:
        return {"conflict": True, "current": e}
    e = dict(e, **{k: v for k, v in args["changes"].items() if k in ("title", "notes", "status")})
    e["version"] += 1
    e["updatedAt"] = now()
    entities[e["id"]] = e
    return {"conflict": False, "version": e["version"], "entity": e}


def page(args):
    items = sorted(session_participants(args["sessionCode"]), key=lambda p: p["id"])
    after = int(args["cursor"]) if args.get("cursor") else 0
    rest = [p for p in items if p["id"] > after]
    chunk = rest[: args["pageSize"]]
    more = len(rest) > len(chunk)
    return {"items": [public(p) for p in chunk], "nextCursor": str(chunk[-1]["id"]) if more else None, "hasMore": more}


UNARY = {
    "sessions.create": create_session, "participants.join": join, "participants.setStatus": set_status,
    "participants.leave": leave, "entities.create": create_entity, "entities.update": update_entity,
    "entities.list": lambda a: sorted((e for e in entities.values() if e["sessionCode"] == a["sessionCode"]),
                                      key=lambda e: e["id"]),
    "participants.page": page,
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, value):
        self.send_body(status, "application/json", json.dumps(value).encode())

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/metrics":
            text = f"# TYPE remote_open_streams gauge\nremote_open_streams {counters['open_streams']}\n"
            return self.send_body(200, "text/plain; version=0.0.4", text.encode())
        if path.startswith("/_remote/client."):
            file = os.path.join(RESOURCES, path[len("/_remote/"):])
        else:
            file = os.path.normpath(os.path.join(PUBLIC, path.lstrip("/") or "index.html"))
            if not file.startswith(PUBLIC):
                return self.send_json(404, {"error": {"code": "not_found", "message": "Not found."}})
        if not os.path.isfile(file):
            return self.send_json(404, {"error": {"code": "not_found", "message": "Not found."}})
        types = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".ts": "text/plain",
                 ".svg": "image/svg+xml"}
        with open(file, "rb") as f:
            self.send_body(200, types.get(os.path.splitext(file)[1], "application/octet-stream"), f.read())

    def do_POST(self):
        fid = self.path[len("/_remote/"):] if self.path.startswith("/_remote/") else ""
        length = int(self.headers.get("Content-Length") or 0)
        try:
            args = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            return self.send_json(400, {"error": {"code": "invalid_argument", "message": "Bad JSON."}})
        try:
            if fid in UNARY:
                with lock:
                    result = UNARY[fid](args)
                    lock.notify_all()
                return self.send_json(200, result)
            if fid in STREAMS:
                return self.stream(STREAMS[fid], args)
            raise RemoteError("not_found", "No such function.")
        except RemoteError as error:
            self.send_json(RemoteError.STATUS.get(error.code, 500), {"error": {"code": error.code, "message": error.message}})
        except (KeyError, TypeError) as error:
            self.send_json(400, {"error": {"code": "invalid_argument", "message": f"Missing field {error}."}})

    def client_gone(self):
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def wait(self, seconds, predicate=lambda: False):
        """Waits up to `seconds` for `predicate` (under the lock); raises when the client hung up."""
        deadline = time.monotonic() + seconds
        while True:
            if self.client_gone():
                raise BrokenPipeError()
            with lock:
                if predicate():
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                lock.wait(min(remaining, 0.1))

    def stream(self, generator, args):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store, no-transform")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"retry: 250\n\n")
        self.wfile.flush()
        self.close_connection = True
        with lock:
            counters["open_streams"] += 1
        try:
            for item in generator(self, args, self.headers.get("Last-Event-ID")):
                value, cursor = item
                frame = "event: next\n" + (f"id: {cursor}\n" if cursor is not None else "") + f"data: {json.dumps(value)}\n\n"
                self.wfile.write(frame.encode())
                self.wfile.flush()
            self.wfile.write(b"event: end\ndata: null\n\n")
        except RemoteError as error:
            self.wfile.write(f"event: error\ndata: {json.dumps({'code': error.code, 'message': error.message})}\n\n".encode())
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with lock:
                counters["open_streams"] -= 1


def participants_stream(handler, args, _cursor):
    while True:
        with lock:
            items = sorted(session_participants(args["sessionCode"]), key=lambda p: p["id"])
            value = {"participants": [public(p) for p in items], "timestamp": now(), "stats": stats(items)}
        yield value, None
        handler.wait(1.0)


def load_progressive(handler, args, _cursor):
    code = args["sessionCode"]
    with lock:
        items = session_participants(code)
        session = sessions[code]
    yield {"type": "session", "data": session}, None
    handler.wait(0.4)
    recent = sorted(items, key=lambda p: p["id"])[-50:]
    yield {"type": "participants", "data": {"total": len(items), "recent": [public(p) for p in recent]}}, None
    handler.wait(0.8)
    names = sorted(len(p["name"]) for p in items) or [0]
    analytics = dict(stats(items), joinsPerMinute=[{"minute": now(), "count": len(items)}], peakMinute=now(),
                     medianNameLength=names[len(names) // 2])
    yield {"type": "analytics", "data": analytics}, None
    handler.wait(0.8)
    yield {"type": "insights", "data": [{"title": "Mostly active", "detail": f"{analytics['byStatus']['active']} of {len(items)} participants are active."}]}, None


def watch(handler, args, cursor):
    seen = int(cursor) if cursor else 0
    while True:
        with lock:
            e = entities.get(args["entityId"])
            if not e:
                raise RemoteError("not_found", "No such entity.")
        if e["version"] > seen:
            seen = e["version"]
            yield {"type": "update", "data": e, "version": e["version"]}, e["version"]
        handler.wait(15, lambda: entities[args["entityId"]]["version"] > seen)


STREAMS = {"participants.stream": participants_stream, "sessions.loadProgressive": load_progressive,
           "entities.watch": watch}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--data")
    parser.add_argument("--seed-large", action="store_true")
    options = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    if options.seed_large:
        with lock:
            code = create_session({"name": "Large seeded session"})["code"]
            for i in range(1000):
                join({"sessionCode": code, "name": "".join(random.choice(string.ascii_lowercase) for _ in range(random.randint(3, 10))).title()})
        print(f"seeded session {code}", flush=True)
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
