"""Reading and saving each person's notification settings."""

from django.db import transaction

from areas.models import AreaPage, Membership
from coordination.notifications.models import DEFAULT_FREQUENCIES, Kind, NotificationPreference


def setting_areas(user) -> list[AreaPage | None]:
    """The person's areas, then None for network-wide notifications."""
    areas = AreaPage.objects.filter(
        pk__in=Membership.objects.filter(user=user).values("organisation__areas")
    ).order_by("path")
    return [*areas, None]


def current_settings(user) -> dict[tuple[str, int | None], str]:
    """(kind, area id) → frequency, defaults filled in."""
    chosen = {(p.kind, p.area_id): p.frequency for p in NotificationPreference.objects.filter(user=user)}
    return {
        (kind, area.pk if area else None): chosen.get(
            (kind, area.pk if area else None), DEFAULT_FREQUENCIES[kind]
        )
        for area in setting_areas(user)
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
