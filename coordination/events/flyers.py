"""Events on paper: one event's flyer and an area's month on one page, for the circular (回覧板).

Both are laid out by the generic builder in common/flyers.py. An event that takes registration
says how and by when to register, and its QR code opens the registration form; otherwise the
code opens the place on a map. Only live, public events and
areas are ever printed: a draft or a restricted page is a 404 here, whoever asks.
"""

import calendar as pycalendar
import logging
from collections.abc import Iterable
from datetime import date
from urllib.parse import unquote, unquote_plus, urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from areas.models import AreaPage
from common.dates import Weekday, ja_date, ja_datetime, ja_time_range
from common.flyers import Flyer, FlyerTable
from common.links import channel_url
from common.text import richtext_lines
from coordination.events.calendar import month_of_events
from coordination.events.models import EventPage
from coordination.events.schedule import Repeat, WeekOfMonth

logger = logging.getLogger(__name__)

#: How many of a repeating event's next dates the flyer lists.
DATES_SHOWN = 6
#: Wagtail rendition of the event's image: large enough for print at 180 mm, small in the PDF.
IMAGE_RENDITION = "max-1200x800"
MAP_SEARCH = "https://www.google.com/maps/search/"
#: Every place is in the ward: a map search for 「地域ケアプラザ」 alone finds the wrong one.
WARD = "横浜市旭区"


# ---------------------------------------------------------------------------
# Words and links


def date_list(days: Iterable[date], *, more: bool = False, per_line: int = 2) -> str:
    """「2026年12月8日（火）、2027年1月12日（火）、\n2月9日（火）…」: the year when it changes.

    Two dates to a line, broken after a comma, so that a date never wraps inside and the lines
    read as a list.
    """
    labels, year = [], None
    for day in days:
        labels.append(ja_date(day, year=day.year != year))
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
    """A Google Maps search for the place in the ward (Maps URLs API: no key, opens the app on phones)."""
    query = place if WARD in place else f"{WARD} {place}"
    return f"{MAP_SEARCH}?{urlencode({'api': 1, 'query': query})}"


def event_url(event: EventPage, request=None) -> str:
    """The event's page, as a flyer prints it (`?ch=flyer`: common.links)."""
    parts = event.get_url_parts(request)
    return channel_url(parts[2], "flyer") if parts else ""


def calendar_url(area: AreaPage, first: date) -> str:
    """The calendar page for the area and month, as the calendar's filter form writes it."""
    query = urlencode({"area": area.pk, "month": f"{first:%Y-%m}"})
    return channel_url(f"{reverse('events:calendar')}?{query}", "circular")


def registration_url(event: EventPage) -> str:
    return channel_url(reverse("signups:apply", args=[event.pk]), "flyer")


def _registration_lines(event: EventPage) -> list[tuple[str, str]]:
    """How and by when to register, for an event that takes registration."""
    if not event.takes_signups():
        return []
    how = _("%(method)s. Scan the QR code below or open %(url)s (no account needed).") % {
        "method": event.get_registration_display(),
        "url": registration_url(event),
    }
    if event.places_per_date:  # 「1回15組」 or 「1回20人」, as the page and the admin say it
        how += "\n" + event.places_per_date
    by = ja_datetime(event.registration_deadline) if event.registration_deadline else _("While places last")
    return [(_("How to register"), how), (_("Register by"), by)]


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
    """The event's flyer: facts, next dates, image, how to register, and a QR code to the
    registration form (or, without registration, to the place on a map)."""
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
        (_("Time"), ja_time_range(event.start_time, event.end_time)),
        (_("Place"), event.place),
        (_("Who it is for"), bands),
        (_("Cost"), event.cost),
        (_("What to bring"), event.what_to_bring),
        (_("Organisers"), organisers),
        (_("Contact"), _contacts(event)),
        *_registration_lines(event),
        # As read, like the map below: a Japanese address percent-encoded would fill lines.
        (_("Website"), unquote(url)),
    ]
    if event.takes_signups():
        # Printed as read, not percent-encoded: the code opens the form, this line the map.
        lines.append((_("Map of the place (Google Maps)"), unquote_plus(map_url(event.place))))
        qr_url, caption = registration_url(event), _("Register here (no account needed)")
    else:
        qr_url, caption = map_url(event.place), f"{_('Map of the place (Google Maps)')}\n{event.place}"
    areas = list(event.areas.all())
    return Flyer(
        title=event.title,
        subtitle="・".join(area.title for area in areas) if areas else _("Ward-wide"),
        lines=[(label, text) for label, text in lines if text and text.strip()],
        body_text="\n".join(richtext_lines(event.description)),
        image=_image(event),
        qr_url=qr_url,
        qr_caption=caption,
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
                    ja_date(day.date, year=False),
                    ja_time_range(occurrence.start, occurrence.end),
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
            widths=[32, 30, 42, 44, 32],  # mm of the 180 mm line: date and time on one line
            whole=(0, 1, 2, 3, 4),  # dates, times, 「保護者」, 「多目的室」 never break inside
            overflow=overflow,
            empty_text=_("No events match in this month."),
        ),
        qr_url=calendar_url(area, first),
        qr_caption=_("The events calendar for %(month)s on the website") % {"month": month},
        footer=_("Tsunagu: joint events"),
    )
