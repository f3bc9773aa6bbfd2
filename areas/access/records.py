"""Who may see and change what organisations record together: applicants, action items,
headcounts, a training's outcome, a meeting's close-out."""

from django.db.models import Q

from areas.access.people import (
    coordinated_areas,
    is_area_partner,
    is_member_of,
    is_network_admin,
    is_without_second_factor,
    organisations_of,
)


def may_see_applicants(user, page) -> bool:
    """Applicants' personal data: members of the page's organisations (its
    `signup_organisations()`) and network admins; not area coordinators."""
    if not user.is_authenticated:
        return False
    return is_network_admin(user) or is_member_of(user, page.signup_organisations())


def may_mark_action_item_done(user, item) -> bool:
    """Members of the item's owner organisation, and network admins."""
    return is_member_of(user, [item.owner]) or is_network_admin(user)


def may_close_out_meeting(user, meeting) -> bool:
    """Who came and how many, after the meeting: the partners of its area (coordinators among
    them) and network admins; for a ward-wide meeting (no `area`), network admins. Its page asks a
    privileged person for the second factor first, whatever their part in the meeting."""
    if is_without_second_factor(user):
        return False
    if meeting.area is None:
        return is_network_admin(user)
    return is_area_partner(user, meeting.area)


def may_record_headcount(user, session) -> bool:
    """A session's headcount (numbers only, no personal data): members of its organisations,
    coordinators of one of its areas, and network admins."""
    if not user.is_authenticated:
        return False
    return (
        is_network_admin(user)
        or is_member_of(user, session.organisations.all())
        or coordinated_areas(user).filter(pk__in=session.areas.values("pk")).exists()
    )


def may_record_training_outcome(user, session) -> bool:
    """How many completed a training session and how many of them registered as providing
    members (numbers only): as for its headcount, members of its organisations, coordinators of
    one of its areas, and network admins; nobody from another area."""
    return may_record_headcount(user, session)


def recordable_sessions(user, sessions):
    """The `sessions` (a queryset of the activity ledger's sessions) whose headcount the person
    may record, as `may_record_headcount` answers for one: every one for network admins, those of
    their organisations and of the areas they coordinate for others, none for anyone else."""
    if not user.is_authenticated:
        return sessions.none()
    if is_network_admin(user):
        return sessions
    mine = Q(organisations__in=organisations_of(user)) | Q(areas__in=coordinated_areas(user))
    return sessions.filter(pk__in=sessions.model.objects.filter(mine).values("pk"))


def is_session_recorder(user) -> bool:
    """Whether the person may record some session's headcount: network admins, members of an
    organisation and coordinators (which sessions: `recordable_sessions`)."""
    if not user.is_authenticated:
        return False
    return is_network_admin(user) or bool(organisations_of(user)) or coordinated_areas(user).exists()
