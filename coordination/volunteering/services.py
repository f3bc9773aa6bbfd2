"""What happens when a posting is published."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

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
