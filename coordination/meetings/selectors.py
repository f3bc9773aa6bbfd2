"""Reading meetings with only what the reader may see, in a fixed number of queries."""

from dataclasses import dataclass

from django.utils import timezone
from wagtail.models import PageViewRestriction

from areas.models import Membership, PartnerOrganisation
from coordination.meetings.models import ActionItem, MeetingPage


class Reader:
    """The groups of the person reading, loaded once, to check many pages' view restrictions."""

    def __init__(self, request):
        self.request = request
        user = request.user
        self.is_superuser = user.is_authenticated and user.is_superuser
        self.group_ids = set(user.groups.values_list("pk", flat=True)) if user.is_authenticated else set()

    def may_view(self, restrictions) -> bool:
        for restriction in restrictions:
            if restriction.restriction_type == PageViewRestriction.GROUPS:
                allowed = {group.pk for group in restriction.groups.all()}
                if not (self.is_superuser or allowed & self.group_ids):
                    return False
            elif not restriction.accept_request(self.request):
                return False
        return True


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
        readable = reader.may_view(meeting.view_restrictions.all())
        if not readable and not meeting.public_summary:
            continue
        (upcoming if meeting.end >= now else past).append(MeetingRow(meeting, readable))
    past.reverse()
    return upcoming, past


def open_action_items(*, user):
    """Action items owned by the person's organisations and not done, overdue first."""
    return (
        ActionItem.objects.filter(owner__memberships__user=user, meeting__live=True)
        .exclude(status=ActionItem.Status.DONE)
        .select_related("meeting", "owner")
        .order_by("due", "pk")
        .distinct()
    )


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
