"""Building an issue of 通信 as an editor does, for the newsletter's tests."""

from datetime import date, time, timedelta

from django.utils import timezone

from cms.models import HomePage
from cms.newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscriber
from coordination.events.models import AgeBand
from coordination.events.tests.test_events_feeds import make_event


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def event_this_month(area, title, *, bands=("age_1",), **fields):
    """A weekly event all this month and the next, in `area` (None: ward-wide)."""
    first = this_month()
    values = {
        "start_date": first,
        "repeat": "weekly",
        "repeat_weekday": first.weekday(),
        "repeat_week_of_month": None,
        "repeat_until": first + timedelta(days=60),
        "start_time": time(10),
        "end_time": time(11, 30),
        **fields,
    }
    event = make_event(area or HomePage.objects.get(), title=title, areas=[area] if area else [], **values)
    event.age_bands = list(AgeBand.objects.filter(key__in=bands))
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def archive() -> NewsletterIndexPage:
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = NewsletterIndexPage(title="つなぐ通信", slug="tsushin-test")
        HomePage.objects.get().add_child(instance=index)
        index.save_revision().publish()
    return index


def new_issue(*, area=None, title="つなぐ通信 テスト号", publish=True, **fields) -> NewsletterIssuePage:
    """Saved empty, so it composes itself from the calendar, then published."""
    issue = NewsletterIssuePage(title=title, month=this_month(), area=area, **fields)
    archive().add_child(instance=issue)
    if publish:
        issue.save_revision().publish()
        issue.refresh_from_db()
    return issue


def subscriber(email, *areas, age_bands=(), interests=()) -> Subscriber:
    person = Subscriber.objects.create(email=email, age_bands=list(age_bands), interests=list(interests))
    person.areas.set(areas)
    return person
