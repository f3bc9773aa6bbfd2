"""What happens around a meeting: who is told, when they are reminded, what is exported."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from common.dates import ja_datetime
from common.fiscal import fiscal_year
from common.text import richtext_lines
from coordination.activity.models import Session
from coordination.activity.records import closed_year_message
from coordination.activity.services import Occasion, attendance_record, sessions_remove, sessions_sync
from coordination.meetings.models import ActionItem, MeetingPage, Visibility
from coordination.meetings.privacy import file_attachments, sync_page_restriction
from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import claim_once, notify


@transaction.atomic
def meeting_published(meeting: MeetingPage) -> None:
    """Keep its privacy in step; tell invited organisations, then readers of the minutes, once each.

    Each is told only what their page view shows: invited organisations see the agenda in the
    invitation view (areas.access.may_view_invitation_only); the decisions go to readers of the minutes."""
    sync_page_restriction(meeting)
    file_attachments(meeting)
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        if meeting.meeting_announced_at is None and meeting.is_upcoming:
            for organisation in meeting.invited_organisations.all():
                notify(
                    kind=Kind.MEETING,
                    title=_("Meeting: %(title)s, %(when)s")
                    % {"title": meeting.title, "when": ja_datetime(meeting.start)},
                    body="\n".join(richtext_lines(meeting.agenda)),
                    url=meeting.url,
                    area=meeting.area,
                    organisation=organisation,
                    audience=Audience.ORGANISATION,
                )
            MeetingPage.objects.filter(pk=meeting.pk).update(meeting_announced_at=now)
        if meeting.minutes_announced_at is None and meeting.has_minutes:
            area_only = meeting.visibility == Visibility.AREA and meeting.area is not None
            audience = Audience.AREA_PARTNERS if area_only else Audience.NETWORK_PARTNERS
            notify(
                kind=Kind.NEW_MINUTES,
                title=_("Minutes published: %(title)s") % {"title": meeting.title},
                body="\n".join(richtext_lines(meeting.decisions)),
                url=meeting.url,
                area=meeting.area,
                audience=audience,
            )
            MeetingPage.objects.filter(pk=meeting.pk).update(minutes_announced_at=now)


def send_reminders(now=None) -> int:
    """The day before: remind invited organisations of meetings and owners of due action items."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        meetings = MeetingPage.objects.live().filter(start__date=tomorrow, reminded_at__isnull=True)
        for meeting in meetings:
            with transaction.atomic():
                if not claim_once(MeetingPage, meeting.pk, "reminded_at", now):
                    continue
                for organisation in meeting.invited_organisations.all():
                    notify(
                        kind=Kind.REMINDER,
                        title=_("Tomorrow: %(title)s, %(when)s")
                        % {"title": meeting.title, "when": ja_datetime(meeting.start)},
                        url=meeting.url,
                        area=meeting.area,
                        organisation=organisation,
                        audience=Audience.ORGANISATION,
                    )
                    sent += 1
        items = (
            ActionItem.objects.filter(due=tomorrow, meeting__live=True)
            .exclude(status=ActionItem.Status.DONE)
            .exclude(reminded_on=timezone.localtime(now).date())
        )
        for item in items.select_related("meeting", "owner"):
            with transaction.atomic():
                if (
                    not ActionItem.objects.filter(pk=item.pk)
                    .exclude(reminded_on=timezone.localtime(now).date())
                    .update(reminded_on=timezone.localtime(now).date())
                ):
                    continue
                notify(
                    kind=Kind.REMINDER,
                    title=_("Due tomorrow: %(item)s (%(meeting)s)")
                    % {"item": item.description, "meeting": item.meeting.title},
                    url=item.meeting.url,
                    organisation=item.owner,
                    audience=Audience.ORGANISATION,
                )
                sent += 1
    return sent


@transaction.atomic
def mark_action_item_done(*, item: ActionItem, user) -> bool:
    """Mark an item done on the live page and in its revisions, so that a later publish from
    the editor does not quietly reopen it; recorded in the audit log. False if it was done."""
    changed = (
        ActionItem.objects.filter(pk=item.pk)
        .exclude(status=ActionItem.Status.DONE)
        .update(status=ActionItem.Status.DONE)
    )
    if not changed:
        return False
    meeting = item.meeting.specific
    for revision in {meeting.latest_revision, meeting.live_revision} - {None}:
        for stored in revision.content.get("action_items", []):
            if stored.get("pk") == item.pk:
                stored["status"] = ActionItem.Status.DONE
        revision.save(update_fields=["content"])
    log(instance=meeting, action="wagtail.edit", user=user, data={"action_item": item.pk, "status": "done"})
    return True


def meeting_sessions_sync(meeting: MeetingPage) -> None:
    """The meeting is one session in the activity ledger, for its area (none: ward-wide); the
    organisations invited may record who came."""
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    occasion = Occasion(
        key="meeting", date=start.date(), start_time=start.time(), end_time=end.time(), place=meeting.place
    )
    sessions_sync(
        page=meeting,
        programme_type_id=meeting.programme_type_id,
        areas=[meeting.area] if meeting.area else [],
        organisations=meeting.invited_organisations.all(),
        occasions=[occasion],
    )


def meeting_sessions_remove(meeting: MeetingPage) -> None:
    """Taken down or deleted: the meeting leaves the ledger unless its headcount is recorded."""
    sessions_remove(page=meeting)


@transaction.atomic
def meeting_close_out(*, meeting: MeetingPage, user, organisations, people: int, report: str = ""):
    """After the meeting: who came, how many and a short report, in the ledger's session, and
    the organisations on the page itself (live and in its revisions, so the next edit keeps
    them), without publishing again (which would announce the meeting anew)."""
    organisations = list(organisations)
    meeting.attending_organisations.set(organisations)
    meeting.save(clean=False, update_fields=["attending_organisations"])
    for revision in {meeting.latest_revision, meeting.live_revision} - {None}:
        revision.content["attending_organisations"] = [org.pk for org in organisations]
        revision.save(update_fields=["content"])
    session = meeting_session(meeting)
    log(instance=meeting, action="wagtail.edit", user=user, data={"closed_out": True})
    return attendance_record(
        session=session, user=user, organisations=organisations, people=people, report=report
    )


def meeting_session(meeting: MeetingPage):
    """The meeting's session in the ledger, written now if publishing has not yet."""
    session = Session.objects.filter(page=meeting, key="meeting").first()
    if session is None:
        meeting_sessions_sync(meeting)
        session = Session.objects.filter(page=meeting, key="meeting").first()
    if session is None:  # held in a fiscal year closed for entry: the ledger takes no new session
        raise ValidationError(closed_year_message(fiscal_year(timezone.localtime(meeting.start))))
    return session
