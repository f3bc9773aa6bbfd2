"""Serve the local fake of the Messaging API in the foreground, for the demo (`make run-line`)."""

import json

from django.core.management.base import BaseCommand

from coordination.line.fake_api import FakeLineAPI


class PrintingFake(FakeLineAPI):
    """The fake, printing each message it accepts, so the demo shows what LINE would deliver."""

    def __init__(self, out, **kwargs):
        super().__init__(**kwargs)
        self.out = out

    def handle(self, method, path, headers, body):
        status, payload, extra = super().handle(method, path, headers, body)
        if method == "POST" and status == 200 and "/richmenu" in path:
            self.out.write(f"{path}: rich menu\n")
        elif method == "POST" and status == 200:
            data = json.loads(body or b"{}")
            to = data.get("to") or data.get("replyToken")
            texts = [m.get("text", m.get("altText", m.get("type"))) for m in data.get("messages", [])]
            self.out.write(f"{path} → {to}: {json.dumps(texts, ensure_ascii=False)[:500]}\n")
        return status, payload, extra


class Command(BaseCommand):
    help = "Serve a local fake of LINE's Messaging API (never LINE itself) for the demo."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8091)
        parser.add_argument("--token", default="demo-line-token", help="the access token it accepts")
        parser.add_argument("--quota", type=int, default=200, help="the plan's messages a month")
        parser.add_argument("--used", type=int, default=0, help="messages already used this month")

    def handle(self, *args, host, port, token, quota, used, **options):
        fake = PrintingFake(self.stdout, token=token, quota=quota, used=used)
        self.stdout.write(
            f"Fake Messaging API on http://{host}:{port} (quota {quota}, used {used}); Ctrl-C stops it."
        )
        try:
            fake.serve_forever(host, port)
        except KeyboardInterrupt:
            pass
