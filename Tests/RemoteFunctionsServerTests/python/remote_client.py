#!/usr/bin/env python3
"""A remote-functions client written from docs/PROTOCOL.md alone, with the standard library.

Run as a script against a server that has the test functions of RemoteFunctionsServerTests:

    python3 remote_client.py http://127.0.0.1:PORT

It exits 0 when every check passes and prints what failed otherwise.
"""
import http.client
import json
import random
import sys
import time
import urllib.parse


class RemoteError(Exception):
    """An error of the protocol: a code, a user-safe message and optional details."""

    # Section 3.4: the code for an error status without an error body.
    STATUS_CODES = {400: "invalid_argument", 401: "unauthenticated", 403: "permission_denied",
                    404: "not_found", 405: "unimplemented", 501: "unimplemented",
                    408: "deadline_exceeded", 504: "deadline_exceeded", 409: "aborted",
                    413: "resource_exhausted", 429: "resource_exhausted", 431: "resource_exhausted",
                    499: "cancelled", 502: "unavailable", 503: "unavailable"}
    RETRYABLE = {"unavailable", "deadline_exceeded"}

    def __init__(self, code, message, details=None, status=None):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.details, self.status = code, message, details, status

    @property
    def retryable(self):
        return self.code in self.RETRYABLE

    @classmethod
    def from_response(cls, status, body):
        try:
            error = json.loads(body)["error"]
            return cls(error["code"], error.get("message", ""), error.get("details"), status)
        except (ValueError, KeyError, TypeError):
            return cls(cls.STATUS_CODES.get(status, "unknown"), f"HTTP {status}", None, status)


class RemoteClient:
    def __init__(self, base_url):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port or 80

    def _connection(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def call(self, function_id, args=None, method="POST", headers=None):
        """Calls a query or command and returns its decoded output (section 2)."""
        connection = self._connection()
        try:
            all_headers = {"Accept": "application/json", **(headers or {})}
            if method == "POST":
                all_headers["Content-Type"] = "application/json"
                connection.request("POST", f"/_remote/{function_id}", body=json.dumps(args), headers=all_headers)
            else:
                query = urllib.parse.urlencode({"args": json.dumps(args)})
                connection.request("GET", f"/_remote/{function_id}?{query}", headers=all_headers)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RemoteError.from_response(response.status, body)
            return json.loads(body)
        finally:
            connection.close()

    def open_stream(self, function_id, args=None, last_event_id=None):
        """Opens one stream request and yields ("next", value, id), ("end", value) or raises."""
        connection = self._connection()
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        query = urllib.parse.urlencode({"args": json.dumps(args)})
        connection.request("GET", f"/_remote/{function_id}?{query}", headers=headers)
        response = connection.getresponse()
        if response.status != 200 or not response.getheader("Content-Type", "").startswith("text/event-stream"):
            body = response.read()
            connection.close()
            raise RemoteError.from_response(response.status, body)
        return connection, self._events(response)

    @staticmethod
    def _events(response):
        """Parses text/event-stream frames (section 4.3)."""
        event, data, event_id = None, [], None
        while True:
            raw = response.readline()
            if not raw:
                return
            line = raw.decode("utf-8").rstrip("\r\n")
            if line == "":
                if data or event:
                    yield event or "message", "\n".join(data), event_id
                event, data, event_id = None, [], None
                continue
            if line.startswith(":"):
                yield "comment", line[1:], None
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
            elif field == "id":
                event_id = value

    def stream(self, function_id, args=None, max_attempts=8, stop_after=None):
        """Yields every value of a stream, reconnecting with backoff and resuming (section 5)."""
        last_event_id, attempt, delivered = None, 0, 0
        while True:
            try:
                connection, events = self.open_stream(function_id, args, last_event_id)
            except (OSError, http.client.HTTPException):
                events, connection = None, None
            ended = False
            if events is not None:
                try:
                    for kind, data, event_id in events:
                        if kind == "next":
                            attempt = 0
                            yield json.loads(data)
                            delivered += 1
                            if event_id is not None:
                                last_event_id = event_id
                            if stop_after is not None and delivered == stop_after:
                                # Simulates a cut connection: close without reading on.
                                connection.close()
                                stop_after = None
                                break
                        elif kind == "end":
                            ended = True
                            break
                        elif kind == "error":
                            error = json.loads(data)
                            remote = RemoteError(error["code"], error.get("message", ""), error.get("details"))
                            if not remote.retryable:
                                raise remote
                            break
                except (OSError, http.client.HTTPException):
                    pass
                finally:
                    connection.close()
            if ended:
                return
            if attempt >= max_attempts:
                raise RemoteError("unavailable", "gave up reconnecting")
            delay = min(10.0, 0.25 * 2 ** attempt) * (1 + random.uniform(-0.2, 0.2))
            attempt += 1
            time.sleep(delay / 10)  # a tenth of the documented schedule keeps the test short


def main(base_url):
    client = RemoteClient(base_url)
    failures = []

    def check(name, condition):
        if not condition:
            failures.append(name)

    check("echo over POST", client.call("test.echo", {"n": 41}) == {"n": 41, "ok": True})
    check("echo over GET", client.call("test.echo", {"n": 7}, method="GET") == {"n": 7, "ok": True})
    for code, status in [("not_found", 404), ("invalid_argument", 400), ("unavailable", 503),
                         ("permission_denied", 403), ("unauthenticated", 401), ("internal", 500)]:
        try:
            client.call("test.fail", {"code": code})
            failures.append(f"{code} did not fail")
        except RemoteError as error:
            check(f"{code} code", error.code == code)
            check(f"{code} status", error.status == status)
            check(f"{code} details", error.details == {"hint": "test"})
    try:
        client.call("test.nested", {"inner": {"values": [1, "two"]}})
        failures.append("bad arguments accepted")
    except RemoteError as error:
        check("bad field path", error.code == "invalid_argument" and "inner.values[1]" in error.message)
    try:
        client.call("no.such.function", None)
        failures.append("unknown function accepted")
    except RemoteError as error:
        check("unknown function", error.code == "not_found" and error.status == 404)
    try:
        client.call("test.increment", {"n": 1}, headers={"Origin": "https://evil.example"})
        failures.append("cross-site command accepted")
    except RemoteError as error:
        check("cross-site command", error.code == "permission_denied" and error.status == 403)

    values = [value["i"] for value in client.stream("test.ticks", {"count": 20})]
    check("stream values", values == list(range(20)))
    resumed = [value["i"] for value in client.stream("test.ticks", {"count": 30}, stop_after=12)]
    check("resume exactly once", resumed == list(range(30)))
    try:
        list(client.stream("test.failingStream", {"count": 2}))
        failures.append("stream error not raised")
    except RemoteError as error:
        check("stream error", error.code == "aborted")

    for failure in failures:
        print("FAILED:", failure)
    print("python client: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
