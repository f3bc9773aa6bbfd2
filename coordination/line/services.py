"""What other apps call: the webhook's events in, and urgent notices: a place that opened up, an event
cancelled."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.queue import delay_after_commit
from coordination.line import client, planning, webhook
from coordination.line.picks import Pick
from coordination.line.tasks import process_event, send_planned

InvalidSignatureError = webhook.InvalidSignatureError


def webhook_receive(*, body: str, signature: str) -> int:
    """Store the new events of one webhook call and queue their processing after commit.

    Raises InvalidSignatureError when the body was not signed with the channel secret.
    """
    new = webhook.events_store(body=body, signature=signature)
    for row_id in new:
        delay_after_commit(process_event, row_id)
    return len(new)


def place_opened(*, page_id: int, slot_key: str, what: str, now=None) -> bool:
    """A place opened up on a full date or shift (someone cancelled and nobody was waiting for
    it): tell the followers it suits at once, within the month's budget. Call in the
    transaction that freed the place; once per page, slot and day."""
    if not client.is_configured():
        return False
    now = now or timezone.now()
    key = f"urgent:opened:{page_id}:{slot_key}:{timezone.localdate(now).isoformat()}"
    planned = planning.urgent_plan(page_id=page_id, what=what, key=key[:200], now=now)
    if planned:
        delay_after_commit(send_planned)
    return planned


def event_cancelled(*, pick: Pick, reason: str) -> bool:
    """An event was cancelled (中止): tell the followers it suits at once, within the month's
    budget (urgent batches go first). Call in the transaction that records it; once per event."""
    if not client.is_configured():
        return False
    with translation.override(settings.LANGUAGE_CODE):
        heading = _("Cancelled (中止)")
    planned = planning.urgent_about(
        pick=pick, heading=heading, what=reason, key=f"urgent:cancelled:{pick.page_id}"
    )
    if planned:
        delay_after_commit(send_planned)
    return planned
