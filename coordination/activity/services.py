"""What writes the activity ledger: the feature apps keep their pages' sessions in step, and
partners record each session's headcount."""

from dataclasses import dataclass
from datetime import date, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from areas.access import area_coordinators, may_reopen_fiscal_year
from areas.models import AreaPage
from common.dates import ja_date
from common.fiscal import fiscal_year
from coordination.activity.facilities import facility_matching, normalised
from coordination.activity.models import COUNT_FIELDS, Facility, LiaisonDeadline, Session
from coordination.activity.records import FiscalYearStatus, OpenYears, closed_year_message
from coordination.activity.report import areas_without_liaison_meeting
from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import notify


@dataclass(frozen=True)
class Occasion:
    """One date a page holds a session on, as the feature app describes it.

    `key` is stable within the page and is the key of the signup slot for the same date, if
    the page takes registrations (an event's date, "shift-12"), so the headcount can start from
    the places taken."""

    key: str
    date: date
    start_time: time | None = None
    end_time: time | None = None
    place: str = ""
    #: The facility, when the page names one; otherwise it is found from `place` (facilities.py).
    facility_id: int | None = None


HEADCOUNT_FIELDS = (*COUNT_FIELDS, "note", "facility")


@transaction.atomic
def sessions_sync(*, page, programme_type_id, areas, organisations, occasions, window=None) -> list[Session]:
    """Write one session per occasion of the page, again and again without duplicates.

    Sessions of the page that are no longer among the occasions (inside `window`, a pair of
    dates, when one is given: a rolling series leaves earlier years alone) are deleted unless
    they have a headcount: history survives the editor's changes. A recorded session keeps its
    counts; its programme type, title, areas and organisations follow the page. Dates in a
    closed fiscal year (records.OpenYears) are neither added, changed nor deleted: the page's
    form says so before publishing (`closed_dates`).
    """
    areas, organisations = list(areas), list(organisations)
    existing = {session.key: session for session in Session.objects.filter(page=page)}
    facilities = list(Facility.objects.all())
    years = OpenYears()
    kept = []
    for occasion in occasions:
        found = existing.get(occasion.key)
        if not years.is_open_on(occasion.date) or (found and not years.is_open_on(found.date)):
            existing.pop(occasion.key, None)  # a closed year's ledger stays as its document says
            continue
        session = existing.pop(occasion.key, None) or Session(page=page, key=occasion.key)
        session.programme_type_id = programme_type_id
        session.title = page.title
        session.date = occasion.date
        session.start_time, session.end_time = occasion.start_time, occasion.end_time
        session.facility_id = _facility_id(session, occasion, facilities)
        session.place = occasion.place
        session.save()
        session.areas.set(areas)
        session.organisations.set(organisations)
        kept.append(session)
    gone = [
        session.pk
        for session in existing.values()
        if (window is None or window[0] <= session.date <= window[1]) and years.is_open_on(session.date)
    ]
    Session.objects.filter(pk__in=gone, recorded_at__isnull=True).delete()
    return kept


def _facility_id(session, occasion, facilities) -> int | None:
    """The page's facility, or the one its place names; the session's facility (found before,
    or picked by the staff on the headcount form) stays while the page's place is unchanged."""
    if occasion.facility_id is not None:
        return occasion.facility_id
    if session.pk and session.facility_id is not None and session.place == occasion.place:
        return session.facility_id
    found = facility_matching(occasion.place, facilities)
    return found.pk if found is not None else None


def facility_attribute_sessions(*, facility) -> int:
    """A facility was entered or renamed: the sessions with no facility whose place names it
    exactly are attributed to it (the old rows kept their place as text). Returns how many."""
    names = set(facility.names())
    unattributed = Session.objects.filter(facility__isnull=True).exclude(place="")
    ids = [pk for pk, place in unattributed.values_list("pk", "place") if normalised(place) in names]
    return Session.objects.filter(pk__in=ids).update(facility=facility)


def sessions_remove(*, page) -> int:
    """The page was unpublished or is being deleted: its sessions without a headcount go; those
    with one stay (a deleted page leaves them without a page), and so do a closed year's."""
    years = OpenYears()
    unrecorded = Session.objects.filter(page=page, recorded_at__isnull=True).values_list("pk", "date")
    gone = [pk for pk, day in unrecorded if years.is_open_on(day)]
    deleted, _ = Session.objects.filter(pk__in=gone).delete()
    return deleted


@transaction.atomic
def headcount_record(*, session: Session, user, **counts) -> Session:
    """Store the numbers typed in at the venue or from the sign-in sheet; recording again
    corrects them."""
    unknown = set(counts) - set(HEADCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"Not a headcount field: {', '.join(sorted(unknown))}")
    _refuse_closed(session)
    for name, value in counts.items():
        setattr(session, name, value)
    session.recorded_at = timezone.now()
    session.recorded_by = user
    session.save()
    return session


def training_outcome_record(*, session: Session, trained: int, providers_registered: int | None) -> Session:
    """How many completed a training session and how many of them registered as providing
    members (None: not known yet); recording again corrects them."""
    _refuse_closed(session)
    session.trained, session.providers_registered = trained, providers_registered
    session.save(update_fields=["trained", "providers_registered"])
    return session


@transaction.atomic
def attendance_record(*, session: Session, user, organisations, people: int, report: str = "") -> Session:
    """A meeting's close-out: which organisations came, how many people, and a short report.
    The people are its headcount (adults); closing out again corrects it."""
    session.attending_organisations.set(organisations)
    return headcount_record(session=session, user=user, adults=people, note=report)


def _refuse_closed(session: Session) -> None:
    """The forms say it beside the fields (Session.clean); this holds for every other caller."""
    if not OpenYears().is_open_on(session.date):
        raise ValidationError(closed_year_message(fiscal_year(session.date)))


@transaction.atomic
def close_year(*, fiscal_year: int, by=None) -> FiscalYearStatus:
    """The year's evaluation document is published: its sessions are closed for entry (and, as
    documents are published in order, every earlier year's that was not reopened)."""
    status, _created = FiscalYearStatus.objects.select_for_update().get_or_create(fiscal_year=fiscal_year)
    status.closed, status.closed_at, status.closed_by = True, timezone.now(), by
    status.save()
    return status


@transaction.atomic
def reopen_year(*, fiscal_year: int, by, reason: str) -> FiscalYearStatus:
    """Open a closed year again for corrections, by a network admin and with a reason kept
    beside it; closing it again (publishing a new revision) keeps the reason."""
    if not may_reopen_fiscal_year(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the year is reopened."))
    status, _created = FiscalYearStatus.objects.select_for_update().get_or_create(
        fiscal_year=fiscal_year, defaults={"closed": False}
    )
    status.closed, status.reopened_at, status.reopened_by = False, timezone.now(), by
    status.reopen_reason = reason.strip()
    status.save()
    return status


@transaction.atomic
def liaison_flags_notify(*, today=None) -> int:
    """Tell the coordinators of each area with no liaison meeting by a passed deadline, once per
    deadline (beat: daily). Returns how many notifications were recorded."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        sent = _notify_flagged(today)
    return sent


def _notify_flagged(today) -> int:
    sent = 0
    deadlines = LiaisonDeadline.objects.select_for_update().filter(due__lt=today, notified_on__isnull=True)
    for deadline in deadlines:
        flagged = areas_without_liaison_meeting(deadline.fiscal_year, AreaPage.objects.live(), deadline.due)
        url = reverse("activity:report") + f"?year={deadline.fiscal_year}"
        for area in flagged:
            for person in area_coordinators(area):
                notify(
                    kind=Kind.REMINDER,
                    title=_("%(area)s has held no liaison meeting by %(due)s")
                    % {"area": area.title, "due": ja_date(deadline.due)},
                    url=url + f"&area={area.code}",
                    area=area,
                    person=person,
                    audience=Audience.PERSON,
                )
                sent += 1
        deadline.notified_on = today
        deadline.save(update_fields=["notified_on"])
    return sent
