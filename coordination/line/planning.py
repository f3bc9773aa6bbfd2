"""What goes to whom: one weekly message per choice, and urgent notices about one page.

Followers who chose the same areas, ages and interests get the same message, so a week is a few
messages sent by multicast in batches of 500, not one call per person (bench/line_weekly.py).
"""

import hashlib
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from common.dates import ja_date
from coordination.line.links import line_url
from coordination.line.models import Follower, LineBudget, LineMessage, Priority
from coordination.line.outbox import message_plan
from coordination.line.picks import Choice, Pick, collect, for_choice

#: Days the weekly message looks ahead, from the day it is sent.
WEEK = 7
#: LINE's limit for a text message is 5,000 characters; items are short well within it.
TEXT_LIMIT = 4800


def choices() -> dict[Choice, list[str]]:
    """Followers who finished the choice, grouped by it: {choice: [LINE user ids]} (two queries)."""
    areas = defaultdict(set)
    through = Follower.areas.through.objects.values_list("follower_id", "areapage_id")
    for follower_id, area_id in through.iterator(chunk_size=5000):
        areas[follower_id].add(area_id)
    grouped = defaultdict(list)
    followers = Follower.objects.filter(step=Follower.Step.DONE).exclude(interests=[])
    for pk, user_id, bands, interests in followers.values_list(
        "pk", "line_user_id", "bands", "interests"
    ).iterator(chunk_size=5000):
        choice = Choice(frozenset(areas.get(pk, ())), frozenset(bands), frozenset(interests))
        grouped[choice].append(user_id)
    return grouped


def _line(pick: Pick) -> str:
    head = " ".join(part for part in (pick.when_text or ja_date(pick.when), pick.place) if part)
    return f"・{Truncator(pick.title).chars(60)}\n  {head}\n  {line_url(pick.path)}"


def weekly_text(picks: list[Pick], first: date, last: date) -> str:
    title = _("This week from つなぐ (%(first)s – %(last)s)") % {
        "first": ja_date(first, year=False),
        "last": ja_date(last, year=False),
    }
    footer = _("Send 「設定」 to change what you receive.")
    body = "\n\n".join(_line(pick) for pick in picks)
    return Truncator(f"{title}\n\n{body}\n\n{footer}").chars(TEXT_LIMIT)


def _picks_key(chosen: list[Pick]) -> str:
    return hashlib.sha256(repr([pick.page_id for pick in chosen]).encode()).hexdigest()[:16]


def weekly_plan(*, now: datetime | None = None) -> int:
    """Plan this week's messages; returns how many. Followers whose choices pick the same items
    share one message (sent in batches of 500), so a week costs a few calls, not one per person.

    A week is planned once: a second run in the same week (a retried task) plans nothing.
    """
    budget = LineBudget.load()
    if not budget.weekly_enabled:
        return 0
    first = timezone.localdate(now or timezone.now())
    last = first + timedelta(days=WEEK - 1)
    year, week, _day = first.isocalendar()
    prefix = f"weekly:{year}-W{week:02d}:"
    if LineMessage.objects.filter(key__startswith=prefix).exists():
        return 0
    picks = collect(first, last)
    same_picks = defaultdict(lambda: ([], []))
    for choice, recipients in choices().items():
        chosen = for_choice(picks, choice, budget.picks_per_message)
        if chosen:
            group = same_picks[_picks_key(chosen)]
            group[0][:] = chosen
            group[1].extend(recipients)
    planned = 0
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Weekly picks %(year)s-W%(week)02d") % {"year": year, "week": week}
        for key, (chosen, recipients) in same_picks.items():
            payload = [{"type": "text", "text": weekly_text(chosen, first, last)}]
            planned += message_plan(
                key=prefix + key,
                priority=Priority.WEEKLY,
                title=title,
                payload=payload,
                recipients=sorted(recipients),
            )
    return planned


def urgent_plan(*, page_id: int, what: str, key: str, now: datetime | None = None) -> bool:
    """Plan an urgent notice about one page (a place that opened up) for the followers it suits."""
    if not LineBudget.load().urgent_enabled:
        return False
    today = timezone.localdate(now or timezone.now())
    picks = collect(today, today + timedelta(days=366), page_ids=[page_id])
    if not picks:
        return False  # not public, cancelled, or nothing left to come
    with translation.override(settings.LANGUAGE_CODE):
        heading = _("A place has opened up")
    return urgent_about(pick=picks[0], heading=heading, what=what, key=key)


def urgent_about(*, pick: Pick, heading: str, what: str, key: str) -> bool:
    """Plan an urgent notice (「空きが出ました」, 「中止になりました」) about `pick` for the followers
    whose choices it suits, once per `key`. Urgent batches are admitted before weekly ones."""
    if not LineBudget.load().urgent_enabled:
        return False
    recipients = sorted(
        user_id for choice, users in choices().items() if choice.wants(pick) for user_id in users
    )
    text = f"{heading}: {what}\n\n{_line(pick)}"
    title = Truncator(f"{heading}: {pick.title}").chars(200)
    payload = [{"type": "text", "text": Truncator(text).chars(TEXT_LIMIT)}]
    return message_plan(
        key=key, priority=Priority.URGENT, title=title, payload=payload, recipients=recipients
    )
