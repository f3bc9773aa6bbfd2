"""The one way the project tells anyone anything: record, then fan out after commit."""

from django.utils import timezone
from django.utils.text import Truncator

from common.queue import delay_after_commit
from coordination.notifications.models import Audience, Notification
from coordination.notifications.tasks import fan_out


def notify(
    *,
    kind,
    title,
    audience,
    url="",
    body="",
    area=None,
    organisation=None,
    person=None,
    body_audience=None,
    extra_audience="",
    areas=None,
) -> Notification:
    """Record what happened in the caller's transaction; the fan-out task runs after it commits.

    Queueing never fails the caller: with the broker down, the sweep fans it out later.

    `extra_audience` is a second audience (someone in both is told once). `areas` are the areas the
    notification concerns, recorded for the area subscribers audience (default: `area`; none:
    ward-wide, which reaches every subscriber).
    """
    # A page's title may take 255 characters and a producer may add to it: the inbox line and the
    # e-mail subject keep what fits, ending in "…", rather than the page failing to publish.
    title = Truncator(title).chars(Notification._meta.get_field("title").max_length)
    notification = Notification.objects.create(
        kind=kind,
        title=title,
        body=body,
        url=url,
        area=area,
        organisation=organisation,
        person=person,
        audience=audience,
        body_audience=body_audience or audience,
        extra_audience=extra_audience or "",
    )
    if Audience.AREA_SUBSCRIBERS in (audience, extra_audience):
        if areas is None and area is not None:
            areas = [area]
        if areas:
            notification.areas.set(areas)
    delay_after_commit(fan_out, notification.pk)
    return notification


def partners_of(areas) -> dict:
    """notify() arguments for telling the partners of these areas: the area's partners when there
    is one, all partners of the network when there are several or none (ward-wide)."""
    areas = list(areas)
    if len(areas) == 1:
        return {"audience": Audience.AREA_PARTNERS, "area": areas[0]}
    return {"audience": Audience.NETWORK_PARTNERS}


def claim_once(model, pk, field: str, now=None) -> bool:
    """Set one row's `field` (when it was announced, reminded...) if it is still empty, in one
    conditional UPDATE. True only for the caller that set it: publishing again, or a job run
    twice at once, tells nobody twice."""
    claimed = model.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(
        **{field: now or timezone.now()}
    )
    return bool(claimed)
