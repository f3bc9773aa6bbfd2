"""A local HTTP server that answers as the Messaging API does, for tests, the bench and the demo.

It speaks the contract the SDK uses — the paths (/v2/bot/message/multicast, /push, /reply,
/quota, /quota/consumption, /v2/bot/profile/{id}, and the rich menu's: /v2/bot/richmenu,
/richmenu/validate, /richmenu/list, /richmenu/{id}, /richmenu/{id}/content on LINE's data host,
/v2/bot/user/all/richmenu[/{id}]), `Authorization: Bearer <token>`, `X-Line-Retry-Key`, JSON
bodies and an image body with its Content-Type — and keeps what it accepted, so a test can ask who
received what and which rich menu followers see. Like LINE, it counts one message per recipient
against the month's quota, refuses a send beyond the quota (429), refuses a second request with an
accepted retry key (409, with `X-Line-Accepted-Request-Id`), refuses a multicast to more than 500
people (400), and refuses a rich menu LINE would refuse (400), a second image for one, or making
one the default before its image is uploaded.

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
RICH_MENU = re.compile(r"^/v2/bot/richmenu/(?P<menu_id>richmenu-[0-9a-f]+)(?P<content>/content)?$")
DEFAULT_RICH_MENU = re.compile(r"^/v2/bot/user/all/richmenu/(?P<menu_id>[^/]+)$")
#: What LINE takes for a rich menu (Messaging API reference, "Rich menu object").
RICH_MENU_ACTIONS = {"postback", "message", "uri", "datetimepicker", "richmenuswitch", "camera", "cameraRoll"}
RICH_MENU_IMAGE_TYPES = {"image/png", "image/jpeg"}
RICH_MENU_IMAGE_BYTES = 1024 * 1024


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
        self.rich_menus: dict[str, dict] = {}  # id -> the menu object, with "image" once uploaded
        self.default_rich_menu: str | None = None
        self.httpd: ThreadingHTTPServer | None = None

    #: How often the serving thread checks whether `stop()` was asked (socketserver's default 0.5 s).
    POLL_INTERVAL = 0.02

    # -- running -------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> "FakeLineAPI":
        self.httpd = ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.daemon_threads = True
        # Polled every 20 ms, not socketserver's 0.5 s: `stop()` waits for the loop to notice it,
        # which cost every test using the fake about a quarter of a second of teardown.
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": self.POLL_INTERVAL}, daemon=True
        ).start()
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
        is_json = (headers.get("Content-Type") or "application/json").startswith("application/json")
        data = json.loads(body) if body and is_json else {}
        with self.lock:
            self.requests.append(
                {"method": method, "path": path, "headers": dict(headers), "body": data if is_json else body}
            )
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"message": "Authentication failed. Confirm that the access token is valid."}, {}
        if "/richmenu" in path:
            return self._rich_menu(method, path, headers, data, body)
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

    # -- the rich menu ------------------------------------------------------------------------
    def _rich_menu(self, method, path, headers, data, body) -> tuple[int, dict, dict]:
        if method == "POST" and path in ("/v2/bot/richmenu", "/v2/bot/richmenu/validate"):
            problem = rich_menu_problem(data)
            if problem:
                return 400, {"message": "The request body has 1 error(s)", "details": [problem]}, {}
            if path.endswith("/validate"):
                return 200, {}, {}
            menu_id = f"richmenu-{uuid.uuid4().hex}"
            with self.lock:
                self.rich_menus[menu_id] = {**data, "richMenuId": menu_id}
            return 200, {"richMenuId": menu_id}, {}
        if method == "GET" and path == "/v2/bot/richmenu/list":
            with self.lock:
                menus = [{k: v for k, v in m.items() if k != "image"} for m in self.rich_menus.values()]
            return 200, {"richmenus": menus}, {}
        if path == "/v2/bot/user/all/richmenu":
            if method == "GET" and self.default_rich_menu:
                return 200, {"richMenuId": self.default_rich_menu}, {}
            return 404, {"message": "no default richmenu"}, {}
        match = DEFAULT_RICH_MENU.match(path)
        if match and method == "POST":
            menu = self.rich_menus.get(match["menu_id"])
            if menu is None:
                return 404, {"message": "Not found"}, {}
            if "image" not in menu:
                return 400, {"message": "must upload richmenu image before applying it to user"}, {}
            self.default_rich_menu = match["menu_id"]
            return 200, {}, {}
        match = RICH_MENU.match(path)
        if match is None or match["menu_id"] not in self.rich_menus:
            return 404, {"message": "Not found"}, {}
        menu_id = match["menu_id"]
        if match["content"] and method == "POST":
            return self._rich_menu_image(menu_id, headers.get("Content-Type", ""), body)
        if method == "DELETE" and not match["content"]:
            with self.lock:
                del self.rich_menus[menu_id]
                if self.default_rich_menu == menu_id:
                    self.default_rich_menu = None
            return 200, {}, {}
        return 404, {"message": "Not found"}, {}

    def _rich_menu_image(self, menu_id, content_type, body) -> tuple[int, dict, dict]:
        if content_type not in RICH_MENU_IMAGE_TYPES or not body or len(body) > RICH_MENU_IMAGE_BYTES:
            return 400, {"message": "invalid image: a PNG or JPEG of at most 1 MB"}, {}
        with self.lock:
            if "image" in self.rich_menus[menu_id]:
                return 400, {"message": "An image has already been uploaded to the richmenu."}, {}
            self.rich_menus[menu_id]["image"] = (content_type, bytes(body))
        return 200, {}, {}

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


def rich_menu_problem(menu: dict) -> str:
    """What LINE would refuse in a rich menu object, or ""."""
    size = menu.get("size") or {}
    width, height = size.get("width", 0), size.get("height", 0)
    if not (800 <= width <= 2500 and height >= 250 and width / height >= 1.45):
        return "size: 800 to 2500 pixels wide, at least 250 high, aspect ratio at least 1.45"
    if not menu.get("name") or len(menu["name"]) > 300 or len(menu.get("chatBarText") or "") > 14:
        return "name (1-300 characters) and chatBarText (at most 14)"
    areas = menu.get("areas") or []
    if not 1 <= len(areas) <= 20:
        return "areas: 1 to 20"
    for area in areas:
        bounds, action = area.get("bounds") or {}, area.get("action") or {}
        x, y, w, h = (bounds.get(k, -1) for k in ("x", "y", "width", "height"))
        if min(x, y) < 0 or w <= 0 or h <= 0 or x + w > width or y + h > height:
            return "areas[].bounds: inside the menu"
        if action.get("type") not in RICH_MENU_ACTIONS or len(action.get("label") or "") > 20:
            return "areas[].action: a known type, a label of at most 20 characters"
        if action["type"] == "message" and not action.get("text"):
            return "areas[].action.text"
        if action["type"] == "uri" and not str(action.get("uri", "")).startswith(("http://", "https://")):
            return "areas[].action.uri"
    return ""


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

        def do_DELETE(self):
            self._answer("DELETE")

        def log_message(self, format, *args):
            pass  # quiet: tests and the bench make thousands of calls

    return Handler
