"""What happens when a posting is published or taken down."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from coordination.activity.services import Occasion, sessions_remove, sessions_sync
from coordination.notifications.models import Kind
from coordination.notifications.services import claim_once, notify, partners_of
from coordination.volunteering.models import VolunteerPostingPage


@transaction.atomic
def posting_published(posting: VolunteerPostingPage) -> None:
    """Tell the partners of the posting's area (all partners when several or none), once."""
    if not claim_once(VolunteerPostingPage, posting.pk, "announced_at"):
        return
    target = partners_of(posting.areas.all())
    with translation.override(settings.LANGUAGE_CODE):
        title = _("New volunteer posting: %(title)s") % {"title": posting.title}
    notify(kind=Kind.NEW_POSTING, title=title, body=posting.schedule, url=posting.url, **target)


def posting_sessions_sync(posting: VolunteerPostingPage) -> None:
    """One session in the activity ledger per dated shift or training session, keyed as its
    signup slot; a regular shift with only a weekday has no date to count."""
    occasions = [
        Occasion(
            key=f"shift-{shift.pk}",
            date=shift.date,
            start_time=shift.start_time,
            end_time=shift.end_time,
            place=shift.place or posting.place,
        )
        for shift in posting.shifts.all()
        if shift.date
    ]
    sessions_sync(
        page=posting,
        programme_type_id=posting.programme_type_id,
        areas=posting.areas.all(),
        organisations=posting.organisers.all(),
        occasions=occasions,
    )


def posting_sessions_remove(posting: VolunteerPostingPage) -> None:
    """Taken down or deleted: its shifts leave the ledger, except those with a headcount."""
    sessions_remove(page=posting)
