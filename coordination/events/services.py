"""What happens when an event is published or taken down."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from areas.access import public_pages
from common.dates import ja_date
from common.fiscal import fiscal_year, fiscal_year_range
from coordination.activity.records import OpenYears
from coordination.activity.services import Occasion, sessions_remove, sessions_sync
from coordination.events.models import EventPage
from coordination.events.selectors import event_pick
from coordination.line.services import event_cancelled as line_event_cancelled
from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import claim_once, notify, partners_of
from coordination.signups.services import applicants_tell_cancelled


@transaction.atomic
def event_published(event: EventPage) -> None:
    """Tell the partners of the event's area (all partners when it spans several or none) and the
    people subscribed to its areas' new events (to any area's, for a ward-wide event), once."""
    if event.cancelled or not claim_once(EventPage, event.pk, "announced_at"):
        return
    areas = list(event.areas.all())
    target = partners_of(areas)
    if public_pages(EventPage.objects.filter(pk=event.pk)).exists():
        # Subscribing is open to anyone with an account: only a public event reaches them, and
        # what it says (title, date, place) is public, so every reader may read its text.
        target.update(
            extra_audience=Audience.AREA_SUBSCRIBERS, areas=areas, body_audience=Audience.AREA_SUBSCRIBERS
        )
    upcoming = event.upcoming_occurrences(limit=1)
    with translation.override(settings.LANGUAGE_CODE):
        when = ja_date(upcoming[0].start) if upcoming else ""
        title = _("New event: %(title)s") % {"title": event.title}
        if when:
            title = f"{title}（{when}〜）"
    notify(kind=Kind.NEW_EVENT, title=title, body=event.place, url=event.url, **target)


@transaction.atomic
def event_cancellation_told(event: EventPage, today=None) -> None:
    """Published as 中止: those registered get an e-mail (through the outbox, after commit) and,
    for a public event with a date to come, the LINE followers it suits an urgent message;
    once, however often it is published again."""
    if not event.cancelled or not claim_once(EventPage, event.pk, "cancellation_told_at"):
        return
    reason = event.cancellation_reason
    applicants_tell_cancelled(page=event, reason=reason)
    if not public_pages(EventPage.objects.filter(pk=event.pk)).exists():
        return  # behind a password or a log-in: not for a broadcast
    today = today or timezone.localdate()
    pick = event_pick(event, today, today + timedelta(days=366))
    if pick is not None:
        line_event_cancelled(pick=pick, reason=reason)


def sessions_window(today=None):
    """The dates an event's sessions are kept in step for: every fiscal year still open for
    entry (a past date published late is counted, issue 26) up to the end of the next one.
    Closed years keep what their published document counted (None: no year is closed yet,
    every date of the event counts)."""
    year = fiscal_year(today or timezone.localdate())
    return OpenYears().first_open_day(), fiscal_year_range(year + 1)[1]


def event_sessions_sync(event: EventPage, today=None) -> None:
    """One session in the activity ledger per date of the event; the key is the date, as the
    registration's slot for that date, so the headcount starts from the places taken."""
    first, last = sessions_window(today)
    occasions = [
        Occasion(
            key=occurrence.date.isoformat(),
            date=occurrence.date,
            start_time=event.start_time,
            end_time=event.end_time,
            place=event.place,
        )
        for occurrence in event.occurrences(after=first, before=last)
    ]
    sessions_sync(
        page=event,
        programme_type_id=event.programme_type_id,
        areas=event.areas.all(),
        organisations=event.organisers.all(),
        occasions=occasions,
        window=(first or date.min, last),
    )


def event_sessions_remove(event: EventPage) -> None:
    """Taken down or deleted: its dates leave the ledger, except those with a headcount."""
    sessions_remove(page=event)
