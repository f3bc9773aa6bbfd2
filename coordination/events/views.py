import hashlib
import re
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag, url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from areas.access import public_pages
from areas.models import AreaPage, PartnerOrganisation
from common.flyers import flyer_pdf
from common.models import OutputCount
from common.outputs import count_output
from common.page_cache import reader_page, shared_fragment, shared_page
from coordination.events import feeds, flyers
from coordination.events.calendar import CalendarFilter, by_day, list_of_events, month_bounds, month_of_events
from coordination.events.models import AgeBand, EventPage
from coordination.events.selectors import public_events
from coordination.notifications.models import EventSubscription

#: Occurrences on one page of the list view.
LIST_PAGE_SIZE = 30
#: The `area` value that stands for ward-wide events in subscription forms.
WARD_WIDE = "ward"
FILTER_FIELDS = tuple(CalendarFilter.base_fields)


def _filters(request):
    form = CalendarFilter(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    values = {
        "area": filters.get("area"),
        "age": filters.get("age"),
        "weekday": filters.get("weekday"),
        "time": filters.get("time") or None,
    }
    # Only the filters themselves, so that switching views or months keeps them and nothing else.
    query = request.GET.copy()
    for key in list(query):
        if key not in FILTER_FIELDS:
            del query[key]
    return form, values, query.urlencode()


def _subscriptions(request, areas):
    """Ward-wide events and each area, with whether the person subscribes to its new events
    (nothing for visitors who are not logged in: they get a link to log in instead)."""
    if not request.user.is_authenticated:
        return []
    subscribed = set(request.user.event_subscriptions.area_ids())
    rows = [{"code": WARD_WIDE, "title": _("Ward-wide events"), "subscribed": None in subscribed}]
    rows += [{"code": area.code, "title": area.title, "subscribed": area.pk in subscribed} for area in areas]
    return rows


def _listing(request, view, query, find, *keyed) -> str:
    """The days of events and the pager: the same for every reader (public events only), so kept
    as a shared fragment under the page cache's generation, keyed on what changes it. `find()`
    returns the days and the Paginator page (None in the month view). Rendered without the
    request's context processors: it holds nothing of the reader."""

    def build():
        days, page = find()
        context = {"days": days, "page": page, "view": view, "filter_query": query, "request": request}
        return render_to_string("events/_days.html", context)

    return shared_fragment("events-days", build, view, query, get_language(), timezone.localdate(), *keyed)


def _render(request, form, query, view, extra):
    context = {
        "form": form,
        "view": view,
        "filter_query": query,
        "subscription_rows": _subscriptions(request, form.fields["area"].queryset),
        **extra,
    }
    return render(request, "events/calendar.html", context)


#: How far ahead this month's view looks at least.
AHEAD = timedelta(days=27)


@shared_page
def calendar_page(request):
    """Month of events, as a list by day (phone-first), with filters that survive navigation."""
    form, filters, query = _filters(request)
    first, last = month_bounds(request.GET.get("month"))
    today = timezone.localdate()
    # This month starts today and looks at least four weeks ahead: on the 30th a parent sees
    # what is coming, not the days gone by (past events have their own view).
    ahead = first <= today <= last
    shown_from, shown_until = (today, max(last, today + AHEAD)) if ahead else (first, last)
    listing = _listing(
        request,
        "month",
        query,
        lambda: (month_of_events(first=shown_from, last=shown_until, **filters), None),
        shown_from,
        shown_until,
    )
    previous = (first.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    following = (last + timedelta(days=1)).strftime("%Y-%m")
    extra = {"listing": listing, "month": first, "previous": previous, "following": following, "query": query}
    if ahead:
        extra["shown_until"] = shown_until
    return _render(request, form, query, "month", extra)


@shared_page
@reader_page
def list_page(request, *, past=False):
    """Upcoming occurrences across months, soonest first (or past ones, latest first), 30 a page."""
    form, filters, query = _filters(request)
    view, number = ("past" if past else "list"), request.GET.get("page")

    def find():
        page = Paginator(list_of_events(past=past, **filters), LIST_PAGE_SIZE).get_page(number)
        return by_day(page.object_list), page

    # `month` is this month, for the links that are about a month (such as the area's overview).
    extra = {
        "listing": _listing(request, view, query, find, number),
        "month": timezone.localdate().replace(day=1),
    }
    return _render(request, form, query, view, extra)


def _next_url(request) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("events:calendar")


@require_POST
def subscription(request):
    """Subscribe to an area's new events (or the ward-wide ones), or stop: one tap, no JavaScript.

    `subscribe` is "1" or "0", the state wanted rather than a toggle, so a second tap or a resent
    form changes nothing. Visitors who are not logged in are sent to log in and come back here.
    """
    next_url = _next_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    code = request.POST.get("area", "")
    wanted = request.POST.get("subscribe") == "1"
    area = None
    if code != WARD_WIDE:
        # Any area can be left; only a public one can be chosen.
        areas = public_pages(AreaPage.objects.live()) if wanted else AreaPage.objects.all()
        area = areas.filter(code=code).first()
        if area is None:
            raise Http404
    subscriptions = EventSubscription.objects.filter(user=request.user, area=area)
    if wanted:
        if not subscriptions.exists():
            try:
                with transaction.atomic():
                    EventSubscription.objects.create(user=request.user, area=area)
            except IntegrityError:
                pass  # the same tap, twice at once: one subscription is enough
        if area:
            message = _("You will be notified of new events in %(area)s.") % {"area": area.title}
        else:
            message = _("You will be notified of new ward-wide events.")
    else:
        subscriptions.delete()
        if area:
            message = _("You will no longer be notified of new events in %(area)s.") % {"area": area.title}
        else:
            message = _("You will no longer be notified of new ward-wide events.")
    messages.success(request, message)
    return redirect(next_url)


# ---------------------------------------------------------------------------
# Calendar feeds and printable PDFs


#: How far back a calendar feed goes: a calendar app keeps what it once received, so a year of
#: past events is enough for someone subscribing now, and years of history are not sent each time.
FEED_DAYS_BACK = 365


def _feed_events(**filters):
    return public_events(since=timezone.localdate() - timedelta(days=FEED_DAYS_BACK), **filters)


def ics_response(request, content: bytes, filename: str) -> HttpResponse:
    """The feed, or 304 Not Modified when the calendar app already holds this very content.

    The ETag is a digest of the content itself, so it changes with anything that changes the
    feed (an edit, an unpublished event, the language); the language comes from the cookie the
    switcher sets, hence Vary: Cookie.
    """
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    patch_vary_headers(response, ["Cookie"])
    count_output(OutputCount.Kind.FEED)  # ③: a calendar app fetched a feed (304s included)
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_safe
def calendar_ics(request):
    """Every public event."""
    content = feeds.calendar(_feed_events(), name=_("Joint events"), request=request)
    return ics_response(request, content, "events.ics")


@require_safe
def event_ics(request, page_id):
    """One live, public event (all its dates) as an .ics file to add to one's calendar."""
    event = get_object_or_404(public_pages(EventPage.objects.live()), pk=page_id)
    content = feeds.calendar([event], name=event.title, request=request)
    return ics_response(request, content, f"event-{event.pk}.ics")


@require_safe
def area_calendar_ics(request, code):
    """One area's public events, with the ward-wide ones."""
    area = get_object_or_404(public_pages(AreaPage.objects.live()), code=code)
    name = _("Joint events: %(area)s") % {"area": area.title}
    content = feeds.calendar(_feed_events(area=area), name=name, request=request)
    return ics_response(request, content, f"events-{area.code}.ics")


@require_safe
def organisation_calendar_ics(request, pk):
    """The public events one organisation organises (alone or with others)."""
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    name = _("Joint events of %(organisation)s") % {"organisation": organisation.name}
    content = feeds.calendar(_feed_events(organisation=organisation), name=name, request=request)
    return ics_response(request, content, f"events-organisation-{organisation.pk}.ics")


@require_safe
def age_band_calendar_ics(request, key):
    """The public events for one age band, with the events for everyone."""
    age_band = get_object_or_404(AgeBand, key=key)
    name = _("Joint events for: %(age_band)s") % {"age_band": age_band}
    content = feeds.calendar(_feed_events(age_band=age_band), name=name, request=request)
    return ics_response(request, content, f"events-{age_band.key}.ics")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def event_flyer_pdf(request, page_id):
    """A live, public event's flyer; drafts and restricted events do not exist here."""
    event = get_object_or_404(public_pages(EventPage.objects.live()), pk=page_id)
    count_output(OutputCount.Kind.FLYER)  # ③: a flyer downloaded to print or pass on
    return _pdf(flyer_pdf(flyers.event_flyer(event, request=request)), f"event-{event.pk}.pdf")


def parse_month(value: str) -> date:
    """The first day of a YYYY-MM month; anything else is a 404."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match:
        raise Http404("No such month")
    try:
        return date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise Http404("No such month") from None


@require_safe
def area_month_overview_pdf(request, code, month):
    """A live, public area's month of public events on one A4 page."""
    area = get_object_or_404(public_pages(AreaPage.objects.live()), code=code)
    first = parse_month(month)
    count_output(OutputCount.Kind.CIRCULAR)  # ③: a month's sheet, as circulated (回覧)
    return _pdf(flyer_pdf(flyers.month_overview_flyer(area, first)), f"events-{area.code}-{first:%Y-%m}.pdf")
