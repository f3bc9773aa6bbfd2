"""Reading and saving each person's notification settings."""

from django.db import transaction

from areas.models import AreaPage, Membership
from coordination.notifications.models import (
    DEFAULT_FREQUENCIES,
    EventSubscription,
    Kind,
    NotificationPreference,
)


def setting_areas(user) -> list[AreaPage | None]:
    """The person's areas (as a partner, or subscribed to for new events), then None for
    network-wide notifications."""
    return [area for area, _kinds in setting_groups(user)]


def setting_groups(user) -> list[tuple[AreaPage | None, list[str]]]:
    """Each of the person's areas with the kinds they hear of there, then network-wide (every kind).

    A partner's areas carry every kind; an area the person only subscribes to carries new events.
    """
    partner_area_ids = set(
        Membership.objects.filter(user=user, organisation__areas__isnull=False).values_list(
            "organisation__areas", flat=True
        )
    )
    subscribed_area_ids = set(
        EventSubscription.objects.filter(user=user, area__isnull=False).values_list("area_id", flat=True)
    )
    areas = AreaPage.objects.filter(pk__in=partner_area_ids | subscribed_area_ids).order_by("path")
    groups = [
        (area, Kind.values if area.pk in partner_area_ids else [Kind.NEW_EVENT.value]) for area in areas
    ]
    return [*groups, (None, Kind.values)]


def current_settings(user, areas=None) -> dict[tuple[str, int | None], str]:
    """(kind, area id) → frequency for the given areas (default: the person's), defaults filled in."""
    chosen = {(p.kind, p.area_id): p.frequency for p in NotificationPreference.objects.filter(user=user)}
    return {
        (kind, area.pk if area else None): chosen.get(
            (kind, area.pk if area else None), DEFAULT_FREQUENCIES[kind]
        )
        for area in (setting_areas(user) if areas is None else areas)
        for kind in Kind.values
    }


@transaction.atomic
def save_settings(user, values: dict[tuple[str, int | None], str]) -> None:
    """Store the person's choices; a choice equal to the default is stored too, so it stays put."""
    for (kind, area_id), frequency in values.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, area_id=area_id, defaults={"frequency": frequency}
        )


@transaction.atomic
def turn_off(user_id: int, kind: str) -> None:
    """Unsubscribe: no more e-mail of this kind, in any area; the inbox still gets it."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    for area in setting_areas(user):
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, area=area, defaults={"frequency": "off"}
        )
