"""Reading meetings with only what the reader may see, in a fixed number of queries."""

import itertools
import json
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Length, Substr
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from areas.access import (
    Reader,
    coordinated_areas,
    is_network_admin,
    is_privileged,
    is_without_second_factor,
    may_edit_page,
    organisations_of,
    served_area_ids,
)
from areas.models import AreaPage, Membership, PartnerOrganisation
from common.fiscal import fiscal_year, fiscal_year_range
from common.page_cache import shared_fragment
from coordination.meetings.models import ActionItem, MeetingPage


@dataclass
class MeetingRow:
    meeting: MeetingPage
    readable: bool


#: Past meetings an area page lists; `?meetings=all` lists them all.
PAST_MEETINGS_SHOWN = 10


def _children(parent):
    """The live meetings right under `parent`, found by a range of the path index: Wagtail's
    `child_of` is a `path LIKE`, which SQLite answers by reading every page of the site."""
    return MeetingPage.objects.filter(
        path__gt=parent.path, path__lt=parent.path + "~", depth=parent.depth + 1, live=True
    ).prefetch_related("view_restrictions__groups")


def meetings_for(*, parent, request, past_shown=None) -> tuple[list[MeetingRow], list[MeetingRow], bool]:
    """Upcoming and past meetings under a page, private ones only by their public summary, and
    whether there are past ones beyond `past_shown` (None: all of them, latest first). A fixed
    number of queries however many years of meetings the area has."""
    reader = Reader(request)
    now = timezone.now()
    meetings = _children(parent)

    def rows(found):
        # The reader is on the parent's page already: each meeting's own restriction decides.
        for meeting in found:
            readable = reader.may_view_page(meeting, meeting.view_restrictions.all())
            if readable or meeting.public_summary:
                yield MeetingRow(meeting, readable)

    if past_shown is not None:
        # Meetings the reader may not read and that have no summary are left out, so a few more
        # are read than shown; there are more when either runs over.
        latest = meetings.filter(end__lt=now).order_by("-start").values("pk")[: past_shown * 3]
        meetings = meetings.filter(Q(end__gte=now) | Q(pk__in=latest))
    found = list(meetings.order_by("start"))
    upcoming = list(rows(meeting for meeting in found if meeting.end >= now))
    read = [meeting for meeting in reversed(found) if meeting.end < now]
    shown = list(rows(read))
    if past_shown is None:
        return upcoming, shown, False
    return upcoming, shown[:past_shown], len(shown) > past_shown or len(read) == past_shown * 3


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


def _area_places() -> dict[int, tuple[str, int]]:
    """Every area's place in the page tree (id: (path, depth)): the same for everyone, so a shared
    fragment, cleared with the page cache by any page write."""

    def build():
        return {pk: (path, depth) for pk, path, depth in AreaPage.objects.values_list("pk", "path", "depth")}

    return shared_fragment("area-places", build)


def _meetings_of_areas(area_ids=None):
    """Meetings whose parent is one of the areas (None: any area), with `parent_path` annotated (a
    page's parent path is its path less one step of the tree), found by a range of the path index
    per area: computing every meeting's parent path read all of them, years of meetings on every
    dashboard."""
    places = _area_places()
    right_under = Q(pk__in=[])
    for area_id in places if area_ids is None else area_ids:
        if area_id in places:
            path, depth = places[area_id]
            right_under |= Q(path__gt=path, path__lt=path + "~", depth=depth + 1)
    parent_path = Substr("path", 1, Length("path") - MeetingPage.steplen)
    return MeetingPage.objects.filter(right_under).annotate(parent_path=parent_path)


def _has_minutes(revision) -> bool:
    """Whether a revision of a meeting holds minutes or decisions, read from its stored content."""
    content = revision.content if revision else {}
    minutes = content.get("minutes") or "[]"
    if isinstance(minutes, str):
        minutes = json.loads(minutes)
    return bool(minutes) or bool(content.get("decisions"))


@dataclass
class MinutesToWrite:
    meeting: MeetingPage
    held: bool


def minutes_to_write(*, user, at_most=None) -> list[MinutesToWrite]:
    """Meetings of the person's areas, from the last months to the coming weeks, whose minutes are
    not written yet (in their latest revision, draft or live), not waiting for approval, and which
    the person may edit, the oldest first: in a fixed number of queries, however many meetings
    there are; the first `at_most` of them (and one more, to tell that there are more)."""
    if not user.is_authenticated:
        return []
    now = timezone.now()
    waiting = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    meetings = (
        _meetings_of_areas(served_area_ids(user))
        .filter(start__gte=now - MINUTES_LOOKBACK, start__lte=now + MINUTES_LOOKAHEAD)
        .exclude(Exists(waiting))
        .select_related("latest_revision")
        .order_by("start", "pk")
    )
    found = (
        MinutesToWrite(meeting=meeting, held=meeting.end < now)
        for meeting in meetings
        if not _has_minutes(meeting.latest_revision) and may_edit_page(user, meeting)
    )
    return list(found if at_most is None else itertools.islice(found, at_most + 1))


def areas_without_liaison_meeting(*, user) -> list[AreaPage]:
    """The areas a coordinator looks after (a network admin: all) with no liaison meeting, planned
    or held, in this fiscal year (one query)."""
    if is_without_second_factor(user) or not is_privileged(user):
        return []
    areas = AreaPage.objects.all() if is_network_admin(user) else coordinated_areas(user)
    first, last = fiscal_year_range(fiscal_year(timezone.localdate()))
    held = _meetings_of_areas().filter(
        programme_type__code="liaison_meeting", start__date__gte=first, start__date__lte=last
    )
    return list(areas.exclude(path__in=held.values("parent_path")).order_by("code"))
