"""Reading meetings with only what the reader may see, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from areas.access import Reader, organisations_of
from areas.models import Membership, PartnerOrganisation
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
