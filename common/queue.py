"""Queueing a task once the transaction commits, without ever failing the request that saved."""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _delay(task, args) -> None:
    try:
        task.delay(*args)
    except OperationalError as exc:
        # The change is saved and its work is recorded in the database (a notification not yet
        # fanned out, an outbox row); the sweep queues it again once the broker is back.
        logger.warning("Could not queue %s%r, the sweep will: %s", task.name, tuple(args), exc)


def delay_after_commit(task, *args) -> None:
    """Queue `task` with `args` after the current transaction commits (at once outside one).

    A broker that is down is logged, not raised: the person who saved sees their change saved.
    """
    transaction.on_commit(partial(_delay, task, args))
