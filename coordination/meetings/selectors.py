"""Reading meetings with only what the reader may see, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from areas.access import (
    Reader,
    coordinated_areas,
    is_network_admin,
    is_without_second_factor,
    may_write_minutes,
    organisations_of,
    served_areas,
)
from areas.models import AreaPage, Membership, PartnerOrganisation
from common.fiscal import fiscal_year, fiscal_year_range
from coordination.activity.models import programme_type_id
from coordination.meetings.models import ActionItem, MeetingPage


@dataclass
class MeetingRow:
    meeting: MeetingPage
    readable: bool


def meetings_for(*, parent, request) -> tuple[list[MeetingRow], list[MeetingRow]]:
    """Upcoming and past meetings under a page; private ones only by their public summary."""
    meetings = (
        MeetingPage.objects.child_of(parent)
        .live()
        .order_by("start")
        .prefetch_related("view_restrictions__groups")
    )
    reader = Reader(request)
    now = timezone.now()
    upcoming, past = [], []
    for meeting in meetings:
        # The reader is on the parent's page already: each meeting's own restriction decides.
        readable = reader.may_view_page(meeting, meeting.view_restrictions.all())
        if not readable and not meeting.public_summary:
            continue
        (upcoming if meeting.end >= now else past).append(MeetingRow(meeting, readable))
    past.reverse()
    return upcoming, past


def open_action_items(*, user):
    """Action items owned by the person's organisations and not done, overdue first."""
    return (
        ActionItem.objects.filter(owner_id__in=organisations_of(user), meeting__live=True)
        .exclude(status=ActionItem.Status.DONE)
        .select_related("meeting", "owner")
        .order_by("due", "pk")
    )


def taking_part(meeting: MeetingPage):
    """The organisations taking part in a meeting: invited to it, or owning one of its action
    items. Their announcements and reminders go to them, and their members who may not read the
    meeting get its invitation view (`areas.access.may_view_invitation_only`)."""
    return PartnerOrganisation.objects.filter(Q(invited_to=meeting) | Q(action_items__meeting=meeting))


@dataclass
class Invitation:
    """What an organisation taking part in a meeting it may not read is shown of it."""

    meeting: MeetingPage
    invited: list[PartnerOrganisation]
    #: The action items of the reader's own organisations, which they were reminded of.
    own_items: list[ActionItem]
    #: Whom to ask: the organisations of the area's coordinators, else of the network admins.
    contacts: list[PartnerOrganisation]


def _contacts(meeting: MeetingPage) -> list[PartnerOrganisation]:
    people = Membership.objects.filter(user__is_active=True)
    chosen = people.none()
    if meeting.area is not None:
        chosen = people.filter(role=Membership.Role.COORDINATOR, coordinated_areas=meeting.area)
    if not chosen.exists():
        chosen = people.filter(role=Membership.Role.NETWORK_ADMIN)
    return list(PartnerOrganisation.objects.filter(memberships__in=chosen).distinct())


def invitation_for(*, meeting: MeetingPage, user) -> Invitation:
    own_items = meeting.action_items.filter(owner__memberships__user=user).select_related("owner")
    return Invitation(
        meeting=meeting,
        invited=list(meeting.invited_organisations.all()),
        own_items=list(own_items.distinct().order_by("due", "pk")),
        contacts=_contacts(meeting),
    )


def close_out_choices(meeting):
    """The organisations a close-out offers: those serving the meeting's area, those invited and
    those already recorded, core members first."""
    area = meeting.area
    serving = Q(areas=area) if area else Q(kind__in=PartnerOrganisation.CORE_KINDS)
    invited = Q(pk__in=meeting.invited_organisations.values("pk"))
    attending = Q(pk__in=meeting.attending_organisations.values("pk"))
    core_first = Case(
        When(kind__in=PartnerOrganisation.CORE_KINDS, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        PartnerOrganisation.objects.filter(serving | invited | attending)
        .distinct()
        .annotate(core_first=core_first)
        .order_by("core_first", "name")
    )


#: How far back the dashboard looks for minutes not yet written, and how far ahead for the next meeting.
MINUTES_LOOKBACK = timedelta(days=180)
MINUTES_LOOKAHEAD = timedelta(days=45)


def _meetings_of_areas(areas):
    """Meetings whose parent is one of the areas (areas are all at one depth of the page tree)."""
    areas = list(areas.only("path", "depth"))
    if not areas:
        return MeetingPage.objects.none()
    length = len(areas[0].path)
    return MeetingPage.objects.annotate(parent_path=Substr("path", 1, length)).filter(
        parent_path__in=[area.path for area in areas], depth=areas[0].depth + 1
    )


@dataclass
class MinutesToWrite:
    meeting: MeetingPage
    held: bool


def minutes_to_write(*, user) -> list[MinutesToWrite]:
    """Meetings of the person's areas, from the last months to the coming weeks, whose minutes are
    not written yet (in their latest revision, draft or live) and which the person may write."""
    if not user.is_authenticated:
        return []
    now = timezone.now()
    meetings = _meetings_of_areas(served_areas(user)).filter(
        start__gte=now - MINUTES_LOOKBACK, start__lte=now + MINUTES_LOOKAHEAD
    )
    rows = []
    for meeting in meetings.order_by("start", "pk"):
        draft = meeting.get_latest_revision_as_object()
        if not draft.has_minutes and may_write_minutes(user, meeting):
            rows.append(MinutesToWrite(meeting=draft, held=meeting.end < now))
    return rows


def areas_without_liaison_meeting(*, user) -> list[AreaPage]:
    """The areas a coordinator looks after (a network admin: all) with no liaison meeting, planned
    or held, in this fiscal year."""
    if is_network_admin(user):
        areas = AreaPage.objects.all()
    else:
        areas = coordinated_areas(user)
    if is_without_second_factor(user) or not areas.exists():
        return []
    first, last = fiscal_year_range(fiscal_year(timezone.localdate()))
    held = _meetings_of_areas(areas).filter(
        programme_type_id=programme_type_id("liaison_meeting"), start__date__gte=first, start__date__lte=last
    )
    with_meeting = {meeting.parent_path for meeting in held}
    return [area for area in areas.order_by("code") if area.path not in with_meeting]
