"""What goes into a 通信 issue: the month's events and the open recruitment of its area, picked
when an issue is first saved (`compose_items`), and what each block shows in every edition
(`issue_items`), each link carrying the edition's channel (common.links).

It lives in the project layer because it reads two feature apps (events, volunteering), which
never read each other (docs/architecture.md).
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from areas.access import public_pages
from common.dates import ja_date, ja_time_range
from common.links import channel_url
from coordination.events.calendar import occurrences_between
from coordination.events.models import EventPage
from coordination.volunteering.listing import open_postings
from coordination.volunteering.models import PostingType, VolunteerPostingPage

#: At most this many events and openings are put in for the editor (two sides of A4 hold them).
MAX_EVENTS = 10
MAX_POSTINGS = 5
#: Dates of one repeating event listed in an item; 「ほか」 says there are more.
MAX_DATES = 4


def month_range(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def compose_items(month: date, area) -> list[dict]:
    """The stream of a new issue: the month's events in `area` (its own and the ward-wide ones;
    every event for a ward-wide issue), then the open volunteer and 提供会員 recruitment."""
    first, last = month_range(month)
    events = []
    for _occurrence, event in occurrences_between(first=first, last=last, area=area):
        if event.pk not in events:
            events.append(event.pk)
    postings = list(open_postings(area).values_list("pk", flat=True)[:MAX_POSTINGS])
    stream = []
    # The headings are the issue's text, in the site's language whatever the editor's admin uses.
    with translation.override(settings.LANGUAGE_CODE):
        if events:
            stream.append({"type": "heading", "value": _("Events this month")})
            stream += [{"type": "event", "value": {"page": pk, "note": ""}} for pk in events[:MAX_EVENTS]]
        if postings:
            stream.append({"type": "heading", "value": _("Volunteers and 提供会員 wanted")})
            stream += [{"type": "posting", "value": {"page": pk, "note": ""}} for pk in postings]
    return stream


@dataclass
class Item:
    """One block of an issue as every edition shows it."""

    kind: str
    title: str = ""
    text: str = ""
    when: str = ""
    place: str = ""
    note: str = ""
    url: str = ""
    #: What a subscriber must have chosen to get it by e-mail (`common.audiences`): "" for all.
    interest: str = ""
    age_bands: list = field(default_factory=list)


def _event_item(event: EventPage, month: date, note: str, channel: str) -> Item:
    first, last = month_range(month)
    dates = [
        f"{ja_date(o.start, year=False)}{ja_time_range(o.start, o.end)}"
        for o in event.occurrences(after=first, before=last)
    ]
    when = "、".join(dates[:MAX_DATES]) + (_(" and more") if len(dates) > MAX_DATES else "")
    return Item(
        "event",
        title=event.title,
        when=when,
        place=event.place,
        note=note or event.who_it_is_for,
        url=channel_url(event.url, channel),
        interest="events",
        age_bands=[band.key for band in event.age_bands.all()],
    )


def _posting_item(posting: VolunteerPostingPage, note: str, channel: str) -> Item:
    training = posting.posting_type == PostingType.PROVIDING_MEMBER
    return Item(
        "posting",
        title=posting.title,
        when=_("Apply by %(date)s") % {"date": ja_date(posting.deadline, year=False)}
        if posting.deadline
        else "",
        place=posting.place,
        note=note,
        url=channel_url(posting.url, channel),
        interest="training" if training else "volunteering",
    )


def issue_items(issue, channel: str) -> list[Item]:
    """The issue's blocks as items, links carrying `channel`; a chosen event or opening that is no
    longer live and public is left out of every edition."""
    chosen = [block.value["page"].pk for block in issue.body if block.block_type in ("event", "posting")]
    shown = {page.pk: page.specific for page in public_pages(Page.objects.live().filter(pk__in=chosen))}
    items = []
    for block in issue.body:
        if block.block_type in ("heading", "text"):
            items.append(Item(block.block_type, text=str(block.value)))
            continue
        page = shown.get(block.value["page"].pk)
        if page is None:
            continue
        note = block.value["note"]
        if isinstance(page, EventPage):
            items.append(_event_item(page, issue.month, note, channel))
        elif isinstance(page, VolunteerPostingPage):
            items.append(_posting_item(page, note, channel))
    return items


def items_for(items: list[Item], subscriber) -> list[Item]:
    """The items a subscriber chose (interests and the child's age bands; no choice: all), and
    the editors' words; a heading whose section is left empty is dropped."""
    kept = []
    for item in items:
        if item.interest and not subscriber.wants(item.interest):
            continue
        bands = set(item.age_bands) - {"parents", "fathers", "grandparents", "everyone"}
        if bands and subscriber.age_bands and not bands & set(subscriber.age_bands):
            continue
        kept.append(item)
    return [
        item
        for index, item in enumerate(kept)
        if item.kind != "heading" or (index + 1 < len(kept) and kept[index + 1].kind != "heading")
    ]
