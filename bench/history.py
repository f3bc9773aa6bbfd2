"""Ten years of history on top of the demo data, for the benchmarks: does a page's cost grow with it?

Usage: `.venv/bin/python bench/http_load.py --history` loads it after the demo data; on another
database, `.venv/bin/python manage.py shell -c "from bench.history import load_history;
print(load_history())"`.

Adds, for the ward's 13 areas over the ten years before today: 1,040 weekly events of 48 dates
each (49,920 event dates, one registration slot and one activity session per date, most of
them with their headcount), 200,000 applications on those slots, and 20,000 liaison meetings
under the areas, restricted to the area's partners as real ones are, each with its session and
its notification in the inbox of every partner of the area. A tenth of the events are the demo
nursery's, so the demo partner's dashboard has ten years behind it too.

Pages are written with bulk inserts and treebeard paths computed here, not `add_child()` one
by one: a few minutes on SQLite instead of hours. Nothing here is used by the site.
"""

import itertools
import uuid
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from areas.access import partner_groups
from areas.models import AreaPage, Membership, PartnerOrganisation
from cms.sqlite import analyze_sqlite
from coordination.activity.models import ProgrammeType, Session
from coordination.events.models import EventDate, EventPage
from coordination.meetings.models import MeetingPage, Visibility
from coordination.notifications.models import Delivery, Notification
from coordination.signups.models import Applicant, Signup, Slot

YEARS = 10
EVENTS_PER_AREA_AND_YEAR = 8
DATES_PER_EVENT = 48
APPLICATIONS = 200_000
MEETINGS = 20_000
BATCH = 2_000
DEMO_NURSERY = "わかば保育園（デモ）"


def _insert_specific(model, objects) -> None:
    """INSERT the rows of a page type's own table (Django's bulk_create refuses multi-table
    inheritance): the Page rows are already there, `page_ptr_id` points at them."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 (model's names)
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields] for obj in objects
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def add_pages(parent: Page, model, specifics: list[dict]) -> list[int]:
    """Children of `parent` of type `model`, one per dict of field values (with title and slug),
    published; returns their ids in order."""
    content_type = ContentType.objects.get_for_model(model)
    parent.refresh_from_db()
    depth = parent.depth + 1
    now = timezone.now()
    pages = []
    for step, fields in enumerate(specifics, start=parent.numchild + 1):
        published = fields.pop("published_at", now)
        pages.append(
            Page(
                title=fields["title"],
                draft_title=fields["title"],
                slug=fields["slug"],
                content_type=content_type,
                path=Page._get_path(parent.path, depth, step),
                depth=depth,
                numchild=0,
                url_path=f"{parent.url_path}{fields['slug']}/",
                locale_id=parent.locale_id,
                translation_key=uuid.uuid4(),
                live=True,
                first_published_at=published,
                last_published_at=published,
            )
        )
    Page.objects.bulk_create(pages, batch_size=BATCH)
    _insert_specific(
        model, [model(page_ptr_id=page.pk, **fields) for page, fields in zip(pages, specifics, strict=True)]
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    return [page.pk for page in pages]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _events(area, year_start: date, index: int, programme_type) -> tuple[list[dict], list[date]]:
    events, firsts = [], []
    for number in range(EVENTS_PER_AREA_AND_YEAR):
        first = year_start + timedelta(days=number % 7)
        events.append(
            {
                "title": f"{area.title} ひろば {year_start.year}年 その{number + 1}",
                "slug": f"history-{year_start.year}-{index}-{number}",
                "place": f"{area.title} 地区センター",
                "start_date": first,
                "start_time": time(10),
                "end_time": time(11, 30),
                "registration": "first_come",
                "registration_capacity": 10,
                "registration_unit": "groups",
                "programme_type": programme_type,
                "cost": "無料",
                "published_at": _at(first - timedelta(days=30), 9),
            }
        )
        firsts.append(first)
    return events, firsts


def _add_events(areas, today, nursery, programme_type) -> list[tuple[int, date]]:
    """The events, their dates, slots and sessions; returns (slot id, date) of every date."""
    organisers, area_links, dates, sessions = [], [], [], []
    for index, area in enumerate(areas):
        for year in range(YEARS, 0, -1):
            specifics, firsts = _events(area, today - timedelta(days=365 * year), index, programme_type)
            for page_id, first in zip(add_pages(area, EventPage, specifics), firsts, strict=True):
                area_links.append(EventPage.areas.through(eventpage_id=page_id, areapage_id=area.pk))
                if page_id % 10 == 0 and nursery is not None:
                    link = EventPage.organisers.through(
                        eventpage_id=page_id, partnerorganisation_id=nursery.pk
                    )
                    organisers.append(link)
                for week in range(DATES_PER_EVENT):
                    day = first + timedelta(weeks=week)
                    dates.append(EventDate(event_id=page_id, date=day, kind="extra", sort_order=week))
                    sessions.append(_session(programme_type, page_id, day, area.title, today))
    EventPage.areas.through.objects.bulk_create(area_links, batch_size=BATCH)
    EventPage.organisers.through.objects.bulk_create(organisers, batch_size=BATCH)
    EventDate.objects.bulk_create(dates, batch_size=BATCH)
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    slots = [
        Slot(
            page_id=d.event_id,
            key=d.date.isoformat(),
            label=d.date.isoformat(),
            starts_at=_at(d.date, 10),
            ends_at=_at(d.date, 11),
            weekday=d.date.weekday(),
            start_time=time(10),
            capacity=10,
            sort_order=d.sort_order,
            is_open=d.date >= today,
        )
        for d in dates
    ]
    Slot.objects.bulk_create(slots, batch_size=BATCH)
    return [(slot.pk, slot.starts_at.date()) for slot in slots]


def _session(programme_type, page_id, day, title, today) -> Session:
    held = day < today - timedelta(days=60)  # the last weeks' headcounts wait on the dashboard
    return Session(
        programme_type=programme_type,
        date=day,
        start_time=time(10),
        end_time=time(11, 30),
        page_id=page_id,
        key=day.isoformat(),
        title=title,
        is_sunday=day.weekday() == 6,
        adults=8 if held else 0,
        children_0=5 if held else 0,
        recorded_at=_at(day, 12) if held else None,
    )


def _add_applications(slots) -> None:
    """200,000 applications spread over the slots, one applicant each, most of them placed."""
    page_of = dict(Slot.objects.values_list("pk", "page_id"))
    for start in range(0, APPLICATIONS, BATCH):
        chunk = [slots[number % len(slots)] for number in range(start, min(start + BATCH, APPLICATIONS))]
        applicants = Applicant.objects.bulk_create(
            [
                Applicant(
                    page_id=page_of[slot_id],
                    name=f"申込者 {start + n}",
                    email=f"applicant{start + n}@example.jp",
                    groups=1,
                    consent_at=_at(day - timedelta(days=7), 9),
                    confirmed_at=_at(day - timedelta(days=7), 9),
                    created_at=_at(day - timedelta(days=7), 9),
                )
                for n, (slot_id, day) in enumerate(chunk)
            ]
        )
        Signup.objects.bulk_create(
            [
                Signup(applicant=applicant, slot_id=slot_id, status="placed", queued_at=applicant.created_at)
                for applicant, (slot_id, _day) in zip(applicants, chunk, strict=True)
            ]
        )


def _add_meetings(areas, today, programme_type) -> None:
    """20,000 meetings under the areas, each restricted to its area's partners, with its
    session and its notification in the partners' inboxes."""
    per_area = MEETINGS // len(areas)
    groups_through = PageViewRestriction.groups.through
    for index, area in enumerate(areas):
        count = per_area + (1 if index < MEETINGS % len(areas) else 0)
        days = [today - timedelta(days=365 * YEARS * (n + 1) // (count + 1)) for n in range(count)]
        specifics = [
            {
                "title": f"{area.title} 連携会議 {day:%Y-%m-%d}",
                "slug": f"history-meeting-{n}",
                "start": _at(day, 10),
                "end": _at(day, 12),
                "place": f"{area.title} 地域ケアプラザ",
                "programme_type": programme_type,
                "visibility": Visibility.AREA,
                "published_at": _at(day - timedelta(days=14), 9),
            }
            for n, day in enumerate(days)
        ]
        page_ids = add_pages(area, MeetingPage, specifics)
        restrictions = PageViewRestriction.objects.bulk_create(
            [PageViewRestriction(page_id=pk, restriction_type=PageViewRestriction.GROUPS) for pk in page_ids],
            batch_size=BATCH,
        )
        readers = [group.pk for group in partner_groups(area)]
        groups_through.objects.bulk_create(
            [
                groups_through(pageviewrestriction_id=r.pk, group_id=g)
                for r, g in itertools.product(restrictions, readers)
            ],
            batch_size=BATCH,
        )
        Session.objects.bulk_create(
            [
                _session(programme_type, pk, day, area.title, today)
                for pk, day in zip(page_ids, days, strict=True)
            ],
            batch_size=BATCH,
        )
        _notify_partners(area, page_ids, days)


def _notify_partners(area, page_ids, days) -> None:
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                kind="meeting",
                area=area,
                audience="area_partners",
                body_audience="area_partners",
                title=f"{area.title} 連携会議のお知らせ",
                url=f"/areas/{area.code}/",
                fanned_out_at=_at(day, 9),
            )
            for day in days
        ],
        batch_size=BATCH,
    )
    partners = list(
        Membership.objects.filter(organisation__areas=area).values_list("user_id", flat=True).distinct()
    )
    deliveries = [
        Delivery(
            notification=notification,
            user_id=user_id,
            channel="inbox",
            frequency="immediate",
            state="sent",
            read_at=_at(day, 18),
        )
        for notification, day in zip(notifications, days, strict=True)
        for user_id in partners
    ]
    Delivery.objects.bulk_create(deliveries, batch_size=BATCH)


@transaction.atomic
def load_history() -> str:
    """Add the ten years; returns a one-line summary."""
    today = timezone.localdate()
    areas = list(AreaPage.objects.order_by("path"))
    nursery = PartnerOrganisation.objects.filter(name=DEMO_NURSERY).first()
    programme_type = ProgrammeType.objects.order_by("sort_order", "pk").first()
    slots = _add_events(areas, today, nursery, programme_type)
    _add_applications(slots)
    _add_meetings(areas, today, programme_type)
    # As the next deployment's migrate would (cms/sqlite.py): SQLite plans from statistics.
    analyze_sqlite()
    return (
        f"History: {len(areas)} areas, {EventDate.objects.count():,} event dates, "
        f"{Signup.objects.count():,} applications, {MeetingPage.objects.count():,} meetings, "
        f"{Session.objects.count():,} sessions, {PageViewRestriction.objects.count():,} view restrictions."
    )
