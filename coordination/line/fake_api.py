"""A local HTTP server that answers as the Messaging API does, for tests, the bench and the demo.

It speaks the contract the SDK uses — the paths (/v2/bot/message/multicast, /push, /reply,
/quota, /quota/consumption, /v2/bot/profile/{id}), `Authorization: Bearer <token>`,
`X-Line-Retry-Key` and JSON bodies — and keeps what it accepted, so a test can ask who received
what. Like LINE, it counts one message per recipient against the month's quota, refuses a send
beyond the quota (429), refuses a second request with an accepted retry key (409, with
`X-Line-Accepted-Request-Id`) and refuses a multicast to more than 500 people (400).

    server = FakeLineAPI(token="t", quota=200).start()   # a thread on a free loopback port
    settings.LINE_API_BASE = server.url
    ...
    server.delivered            # [(user_id, messages), ...]
    server.stop()

`manage.py run_fake_line` serves it in the foreground for the demo (README).
"""

import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MULTICAST_LIMIT = 500
PROFILE = re.compile(r"^/v2/bot/profile/(?P<user_id>[^/]+)$")


class FakeLineAPI:
    def __init__(
        self,
        *,
        token: str = "fake-token",  # noqa: S107 (the fake's own token, never a real one)
        quota: int | None = 200,
        used: int = 0,
        delay: float = 0.0,
    ):
        self.token, self.quota, self.used, self.delay = token, quota, used, delay
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.delivered: list[tuple[str, list]] = []
        self.replies: list[tuple[str, list]] = []
        self.accepted_keys: dict[str, str] = {}
        self.httpd: ThreadingHTTPServer | None = None

    # -- running -------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> "FakeLineAPI":
        self.httpd = ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def serve_forever(self, host: str = "127.0.0.1", port: int = 8091) -> None:
        self.httpd = ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.serve_forever()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    # -- what tests ask ----------------------------------------------------------------------
    def calls(self, path: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["path"] == path]

    def received_by(self, user_id: str) -> list[list]:
        with self.lock:
            return [messages for to, messages in self.delivered if to == user_id]

    # -- the API -----------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers, body: bytes) -> tuple[int, dict, dict]:
        """(status, JSON body, extra headers) for one request."""
        data = json.loads(body) if body else {}
        with self.lock:
            self.requests.append({"method": method, "path": path, "headers": dict(headers), "body": data})
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"message": "Authentication failed. Confirm that the access token is valid."}, {}
        if method == "GET":
            return self._get(path)
        if path == "/v2/bot/message/reply":
            with self.lock:
                self.replies.append((data.get("replyToken", ""), data.get("messages", [])))
            return 200, {"sentMessages": [{"id": uuid.uuid4().hex} for _ in data.get("messages", [])]}, {}
        if path in ("/v2/bot/message/multicast", "/v2/bot/message/push"):
            to = data.get("to", [])
            return self._send(to if isinstance(to, list) else [to], data, headers.get("X-Line-Retry-Key"))
        return 404, {"message": "Not found"}, {}

    def _get(self, path: str) -> tuple[int, dict, dict]:
        if path == "/v2/bot/message/quota":
            if self.quota is None:
                return 200, {"type": "none"}, {}
            return 200, {"type": "limited", "value": self.quota}, {}
        if path == "/v2/bot/message/quota/consumption":
            with self.lock:
                return 200, {"totalUsage": self.used}, {}
        match = PROFILE.match(path)
        if match:
            return 200, {"userId": match["user_id"], "displayName": "LINE user", "language": "ja"}, {}
        return 404, {"message": "Not found"}, {}

    def _send(self, to: list[str], data: dict, retry_key: str | None) -> tuple[int, dict, dict]:
        messages = data.get("messages", [])
        if not to or len(to) > MULTICAST_LIMIT or not 1 <= len(messages) <= 5:
            return 400, {"message": "The request body has 1 error(s)"}, {}
        with self.lock:
            if retry_key in self.accepted_keys:
                request_id = self.accepted_keys[retry_key]
                return (
                    409,
                    {"message": "The retry key is already accepted"},
                    {"X-Line-Accepted-Request-Id": request_id},
                )
            if self.quota is not None and self.used + len(to) > self.quota:
                return 429, {"message": "You have reached your monthly limit."}, {}
            self.used += len(to)
            self.delivered.extend((user_id, messages) for user_id in to)
            if retry_key:
                self.accepted_keys[retry_key] = uuid.uuid4().hex
        # Accepted before it answers: a caller killed while waiting has still sent the message.
        if self.delay:
            time.sleep(self.delay)
        return 200, {"sentMessages": [{"id": uuid.uuid4().hex} for _ in messages]}, {}


def _handler(api: FakeLineAPI):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, payload, extra = api.handle(method, self.path.split("?")[0], self.headers, body)
            out = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.send_header("X-Line-Request-Id", uuid.uuid4().hex)
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(out)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the caller went away (a killed worker): the call was accepted all the same

        def do_GET(self):
            self._answer("GET")

        def do_POST(self):
            self._answer("POST")

        def log_message(self, format, *args):
            pass  # quiet: tests and the bench make thousands of calls

    return Handler
