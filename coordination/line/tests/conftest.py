import base64
import hashlib
import hmac
import json

import pytest

from coordination.line.fake_api import FakeLineAPI

SECRET = "test-channel-secret"
TOKEN = "test-access-token"


@pytest.fixture
def line_api(settings):
    """The local fake of the Messaging API, and the site configured to use it."""
    api = FakeLineAPI(token=TOKEN, quota=200).start()
    settings.LINE_CHANNEL_SECRET = SECRET
    settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
    settings.LINE_API_BASE = api.url
    yield api
    api.stop()


def signed(events: list[dict], secret: str = SECRET) -> tuple[str, str]:
    """A webhook body and its X-Line-Signature, as LINE signs them."""
    body = json.dumps({"destination": "U0", "events": events}, ensure_ascii=False)
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return body, base64.b64encode(digest).decode()
