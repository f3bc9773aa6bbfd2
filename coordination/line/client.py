"""The Messaging API through LINE's SDK (line-bot-sdk, `linebot.v3`): the only module that calls it.

`LINE_API_BASE` points the SDK at another host: the local fake (`coordination.line.fake_api`) in
tests, the bench and the demo. Without `LINE_CHANNEL_SECRET` and `LINE_CHANNEL_ACCESS_TOKEN` the
channel is off: nothing is sent, the webhook answers 404 and the pages say so.
"""

from dataclasses import dataclass

import urllib3
from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    ReplyMessageRequest,
    RichMenuRequest,
)

#: LINE's host for uploads (a rich menu's image); a fake at LINE_API_BASE answers both.
LINE_HOST, LINE_DATA_HOST = "https://api.line.me", "https://api-data.line.me"


class LineError(Exception):
    """A call LINE refused or that did not get through; `temporary` says whether to try again."""

    def __init__(self, message: str, *, temporary: bool):
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class Quota:
    """The plan's limit this month (None: no limit) and what LINE counted as sent so far."""

    limit: int | None
    used: int


def is_configured() -> bool:
    return bool(settings.LINE_CHANNEL_SECRET and settings.LINE_CHANNEL_ACCESS_TOKEN)


def _configuration(host: str) -> Configuration:
    configuration = Configuration(host=host.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN)
    # No retries inside urllib3: a retry is ours to make, with the same retry key.
    configuration.retries = urllib3.Retry(total=0, redirect=0)
    return configuration


def _api() -> MessagingApi:
    return MessagingApi(ApiClient(_configuration(settings.LINE_API_BASE)))


def _blob_api() -> MessagingApiBlob:
    base = settings.LINE_API_BASE.rstrip("/")
    return MessagingApiBlob(ApiClient(_configuration(LINE_DATA_HOST if base == LINE_HOST else base)))


def _error(exc: Exception) -> LineError:
    if isinstance(exc, ApiException):
        # 429 (rate limit) and 5xx are worth another try; other 4xx will fail the same way again.
        temporary = exc.status is None or exc.status == 429 or exc.status >= 500
        return LineError(f"LINE answered {exc.status}: {(exc.body or b'')[:300]!r}", temporary=temporary)
    return LineError(f"LINE could not be reached: {exc}", temporary=True)


def quota() -> Quota:
    """The month's quota and consumption, as LINE counts them (two calls)."""
    api = _api()
    try:
        limit = api.get_message_quota(_request_timeout=settings.LINE_TIMEOUT)
        used = api.get_message_quota_consumption(_request_timeout=settings.LINE_TIMEOUT)
    except (ApiException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise _error(exc) from exc
    return Quota(limit=limit.value if limit.type == "limited" else None, used=used.total_usage)


def multicast(*, to: list[str], messages: list[dict], retry_key: str) -> bool:
    """Send `messages` to up to 500 followers in one call; True when LINE accepted it now, False
    when it had already accepted this retry key (409: a retry of a call that went through)."""
    request = MulticastRequest.from_dict({"to": to, "messages": messages})
    try:
        _api().multicast(request, x_line_retry_key=retry_key, _request_timeout=settings.LINE_TIMEOUT)
    except ApiException as exc:
        if exc.status == 409:
            return False
        raise _error(exc) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise _error(exc) from exc
    return True


def reply(*, reply_token: str, messages: list[dict]) -> None:
    """Answer a follower's message or tap (replies are free: they do not count against the quota)."""
    request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
    try:
        _api().reply_message(request, _request_timeout=settings.LINE_TIMEOUT)
    except (ApiException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise _error(exc) from exc


def rich_menu_install(*, menu: dict, image: bytes, content_type: str, name: str) -> str:
    """Validate and create a rich menu, upload its image, make it every follower's default and
    delete the older menus called `name`; returns the new id. An older menu stays the default
    until the new one is complete, so followers never see none."""
    api, timeout = _api(), settings.LINE_TIMEOUT
    request = RichMenuRequest.from_dict(menu)
    try:
        api.validate_rich_menu_object(request, _request_timeout=timeout)
        menu_id = api.create_rich_menu(request, _request_timeout=timeout).rich_menu_id
        _blob_api().set_rich_menu_image(
            menu_id, image, _headers={"Content-Type": content_type}, _request_timeout=timeout
        )
        api.set_default_rich_menu(menu_id, _request_timeout=timeout)
        for older in api.get_rich_menu_list(_request_timeout=timeout).richmenus:
            if older.name == name and older.rich_menu_id != menu_id:
                api.delete_rich_menu(older.rich_menu_id, _request_timeout=timeout)
    except (ApiException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise _error(exc) from exc
    return menu_id
