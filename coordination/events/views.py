from datetime import timedelta

from django.shortcuts import render

from coordination.events.calendar import CalendarFilter, month_bounds, month_of_events


def calendar_page(request):
    """Month of events, as a list by day (phone-first), with filters that survive navigation."""
    form = CalendarFilter(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    first, last = month_bounds(request.GET.get("month"))
    days = month_of_events(
        first=first,
        last=last,
        area=filters.get("area"),
        age=filters.get("age"),
        weekday=filters.get("weekday"),
        time=filters.get("time") or None,
    )
    previous = (first.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    following = (last + timedelta(days=1)).strftime("%Y-%m")
    query = request.GET.copy()
    query.pop("month", None)
    return render(
        request,
        "events/calendar.html",
        {
            "form": form,
            "days": days,
            "month": first,
            "previous": previous,
            "following": following,
            "query": query.urlencode(),
        },
    )
