"""The webhook: LINE's signature checked by the SDK, each event stored once by its webhookEventId.

The view answers as soon as the events are stored; the replies are made by a Celery task. LINE
redelivers an event it thinks was lost with the same webhookEventId: the unique column turns the
second copy away, so an event is processed once.
"""

import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError

from coordination.line import client
from coordination.line.models import WebhookEvent

logger = logging.getLogger(__name__)
#: How long a processed event's id is kept to turn a redelivery away (LINE redelivers within hours).
KEEP_EVENT_IDS = timedelta(days=7)
__all__ = ["InvalidSignatureError", "event_process", "events_forget", "events_store", "events_stuck"]


def events_store(*, body: str, signature: str) -> list[int]:
    """Check the signature (raises InvalidSignatureError) and store the events not seen before;
    returns their rows' ids, to process."""
    WebhookParser(settings.LINE_CHANNEL_SECRET).parse(body, signature)
    new = []
    for event in json.loads(body).get("events", []):
        event_id = event.get("webhookEventId")
        if not event_id:
            continue
        try:
            with transaction.atomic():
                new.append(WebhookEvent.objects.create(event_id=event_id, payload=event).pk)
        except IntegrityError:
            continue  # a redelivery of an event already stored
    return new


def event_process(*, event_row_id: int, answer: Callable[[dict], list[dict]]) -> bool:
    """Process one stored event once: claimed with one conditional UPDATE, its payload emptied."""
    token = uuid.uuid4().hex
    claimed = WebhookEvent.objects.filter(pk=event_row_id, state=WebhookEvent.State.QUEUED).update(
        state=WebhookEvent.State.DONE, claim=token
    )
    if not claimed:
        return False
    event = WebhookEvent.objects.get(pk=event_row_id).payload
    messages = answer(event)
    WebhookEvent.objects.filter(pk=event_row_id, claim=token).update(payload={})
    if messages and event.get("replyToken"):
        try:
            client.reply(reply_token=event["replyToken"], messages=messages)
        except client.LineError as exc:
            logger.warning("LINE reply to event %s failed: %s", event_row_id, exc)
    return True


def events_stuck(*, older_than: timedelta, now: datetime) -> list[int]:
    """Events stored but never processed (their task was lost): queued again, marked by token."""
    token = uuid.uuid4().hex
    WebhookEvent.objects.filter(state=WebhookEvent.State.QUEUED, updated_at__lt=now - older_than).update(
        claim=token, updated_at=now
    )
    return list(
        WebhookEvent.objects.filter(claim=token, state=WebhookEvent.State.QUEUED).values_list("pk", flat=True)
    )


def events_forget(*, now: datetime) -> int:
    """Processed events' ids, once no redelivery can come any more."""
    done = WebhookEvent.objects.filter(state=WebhookEvent.State.DONE, updated_at__lt=now - KEEP_EVENT_IDS)
    return done.delete()[0]
