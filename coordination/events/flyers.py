"""Events on paper: one event's flyer and an area's month on one page, for the circular (回覧板).

Both are drawn by the generic builder in common/flyers.py. Only live, public events and
areas are ever printed: a draft or a restricted page is a 404 here, whoever asks.
"""

import calendar as pycalendar
import logging
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from areas.models import AreaPage
from common.dates import WEEKDAYS, Weekday
from common.flyers import Flyer, FlyerTable
from common.pdf import richtext_lines
from coordination.events.calendar import month_of_events
from coordination.events.models import EventPage
from coordination.events.schedule import Repeat, WeekOfMonth

logger = logging.getLogger(__name__)

#: How many of a repeating event's next dates the flyer lists.
DATES_SHOWN = 6
#: Wagtail rendition of the event's image: large enough for print at 180 mm, small in the PDF.
IMAGE_RENDITION = "max-1200x800"
MAP_SEARCH = "https://www.google.com/maps/search/"


# ---------------------------------------------------------------------------
# Words and links


def day_label(day: date, *, year: bool = False, wide: bool = True) -> str:
    """12月8日（火）, with the year (2026年12月8日（火）) when asked; ``wide=False`` gives (火)."""
    weekday = WEEKDAYS[day.weekday()]
    weekday = f"（{weekday}）" if wide else f"({weekday})"
    prefix = f"{day.year}年" if year else ""
    return f"{prefix}{day.month}月{day.day}日{weekday}"


def date_list(days: Iterable[date], *, more: bool = False, per_line: int = 2) -> str:
    """「2026年12月8日（火）、2027年1月12日（火）、\n2月9日（火）…」: the year when it changes.

    The lines are broken here, after a comma, because reportlab's line breaking would start a
    line with the "、" that follows "）" (it hangs only one closing mark in the margin). Two
    dates, even with their years, fit on a line of the flyer's facts at full size.
    """
    labels, year = [], None
    for day in days:
        labels.append(day_label(day, year=day.year != year))
        year = day.year
    lines = ["、".join(labels[i : i + per_line]) for i in range(0, len(labels), per_line)]
    return "、\n".join(lines) + ("…" if more else "")


def rule_in_words(event: EventPage) -> str:
    """「毎月第2火曜日（2027年3月31日まで）」, or "" for an event that does not repeat."""
    if not event.recurrence_rule or event.repeat_weekday is None:
        return ""
    weekday = Weekday(event.repeat_weekday).label
    if event.repeat == Repeat.MONTHLY and event.repeat_week_of_month:
        week = str(WeekOfMonth(event.repeat_week_of_month).label).lower()
        rule = _("Every month on the %(week)s %(weekday)s") % {"week": week, "weekday": weekday}
    elif event.repeat == Repeat.WEEKLY:
        rule = _("Every %(weekday)s") % {"weekday": weekday}
    else:
        return ""
    if event.repeat_until:
        rule = _("%(rule)s, until %(date)s") % {
            "rule": rule,
            "date": f"{event.repeat_until.year}年{event.repeat_until.month}月{event.repeat_until.day}日",
        }
    return rule


def map_url(place: str) -> str:
    """A Google Maps search for the place (Maps URLs API: no key, opens the app on phones)."""
    return f"{MAP_SEARCH}?{urlencode({'api': 1, 'query': place})}"


def site_url(path: str) -> str:
    """The public address of a path on this site; paper always carries SITE_URL's host."""
    return settings.SITE_URL + path


def event_url(event: EventPage, request=None) -> str:
    parts = event.get_url_parts(request)
    return site_url(parts[2]) if parts else ""


def calendar_url(area: AreaPage, first: date) -> str:
    """The calendar page for the area and month, as the calendar's filter form writes it."""
    query = urlencode({"area": area.pk, "month": f"{first:%Y-%m}"})
    return site_url(f"{reverse('events:calendar')}?{query}")


def _time_range(event: EventPage) -> str:
    return f"{event.start_time:%H:%M}〜{event.end_time:%H:%M}"


def _contacts(event: EventPage) -> str:
    """One line per organiser with a public phone or e-mail; private details are never used."""
    lines = []
    for organisation in event.organisers.all():
        parts = [organisation.name]
        if organisation.public_phone:
            parts.append(f"{_('Phone')} {organisation.public_phone}")
        if organisation.public_email:
            parts.append(f"{_('E-mail')} {organisation.public_email}")
        if len(parts) > 1:
            lines.append("　".join(parts))
    return "\n".join(lines)


def _image(event: EventPage):
    if not event.image_id or event.image is None:
        return None
    try:
        return event.image.get_rendition(IMAGE_RENDITION)
    except Exception:  # a missing original: print the flyer without it
        logger.warning("Event %s: no rendition of its image for the flyer", event.pk, exc_info=True)
        return None


# ---------------------------------------------------------------------------
# The flyers


def event_flyer(event: EventPage, *, request=None, today: date | None = None) -> Flyer:
    """The event's flyer: facts, next dates, image, and a QR code to the place on a map."""
    today = today or timezone.localdate()
    upcoming = [occurrence.date for occurrence in event.occurrences(after=today)]
    when = [rule_in_words(event)]
    if upcoming:
        when.append(date_list(upcoming[:DATES_SHOWN], more=len(upcoming) > DATES_SHOWN))
    else:
        when.append(_("No upcoming dates."))
    organisers = "、".join(organisation.name for organisation in event.organisers.all())
    bands = event.who_it_is_for
    url = event_url(event, request)
    lines = [
        (_("When"), "\n".join(part for part in when if part)),
        (_("Time"), _time_range(event)),
        (_("Place"), event.place),
        (_("Who it is for"), bands),
        (_("Cost"), event.cost),
        (_("What to bring"), event.what_to_bring),
        (_("Organisers"), organisers),
        (_("Contact"), _contacts(event)),
        (_("Website"), url),
    ]
    areas = list(event.areas.all())
    return Flyer(
        title=event.title,
        subtitle="・".join(area.title for area in areas) if areas else _("Ward-wide"),
        lines=[(label, text) for label, text in lines if text and text.strip()],
        body_text="\n".join(richtext_lines(event.description)),
        image=_image(event),
        qr_url=map_url(event.place),
        qr_caption=f"{_('Map of the place (Google Maps)')}\n{event.place}",
        footer=_("Tsunagu: joint events"),
    )


def month_overview_flyer(area: AreaPage, first: date) -> Flyer:
    """The area's public events of the month (its own and the ward-wide ones) as one table."""
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    rows = []
    for day in month_of_events(first=first, last=last, area=area):
        for occurrence, event in day.items:
            rows.append(
                (
                    day_label(day.date, wide=False),
                    f"{occurrence.start:%H:%M}〜{occurrence.end:%H:%M}",
                    event.title,
                    event.place,
                    event.who_it_is_for,
                )
            )

    def overflow(count: int) -> str:
        return ngettext(
            "%(count)d more event: please see the website.",
            "%(count)d more events: please see the website.",
            count,
        ) % {"count": count}

    month = f"{first.year}年{first.month}月"
    return Flyer(
        title=f"{area.title}　{month}",
        subtitle=_("Joint events"),
        table=FlyerTable(
            header=[_("Date"), _("Time"), _("Event"), _("Place"), _("For")],
            rows=rows,
            widths=[31, 33, 46, 46, 24],  # mm of the 180 mm line: date and time on one line
            overflow=overflow,
            empty_text=_("No events match in this month."),
        ),
        qr_url=calendar_url(area, first),
        qr_caption=_("The events calendar for %(month)s on the website") % {"month": month},
        footer=_("Tsunagu: joint events"),
    )
