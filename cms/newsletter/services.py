"""Subscribing (double opt-in, nothing stored before confirmation), unsubscribing (deletes
everything), and sending an issue's e-mail edition once to each matching subscriber."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from areas.access import public_pages
from areas.models import AreaPage
from cms.newsletter.compose import issue_items
from cms.newsletter.emails import (
    confirmation_message,
    issue_message,
    read_confirm_token,
    read_unsubscribe_token,
)
from cms.newsletter.models import IssueEmail, NewsletterIssuePage, Subscriber
from common.audiences import AGE_BANDS, INTERESTS


def _may_tell(email: str) -> bool:
    """At most one confirmation e-mail per address per NEWSLETTER_TELL_EVERY_SECONDS."""
    key = "newsletter:told:" + hashlib.sha256(email.encode()).hexdigest()
    return cache.add(key, 1, settings.NEWSLETTER_TELL_EVERY_SECONDS)


def subscription_request(*, email: str, areas, age_bands, interests) -> None:
    """E-mail the confirmation link for these choices; nothing is stored. The form answers the
    same whatever happens here, so it never tells whether an address has subscribed."""
    email = email.strip().lower()
    if not _may_tell(email):
        return
    choices = {
        "email": email,
        "areas": sorted(area.pk for area in areas),
        "age_bands": [key for key in AGE_BANDS if key in age_bands],
        "interests": [key for key in INTERESTS if key in interests],
    }
    labels = {
        "areas": [area.title for area in areas],
        "age_bands": [str(AGE_BANDS[key]) for key in choices["age_bands"]],
        "interests": [str(INTERESTS[key]) for key in choices["interests"]],
    }
    confirmation_message(choices, labels).send()


def subscription_confirm(*, token: str) -> Subscriber:
    """Create the subscription the link was made for, or replace the choices of that address's
    subscription; raises signing.BadSignature for a tampered or expired link."""
    choices = read_confirm_token(token)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.update_or_create(
            email=choices["email"],
            defaults={
                "age_bands": choices["age_bands"],
                "interests": choices["interests"],
                "confirmed_at": timezone.now(),
            },
        )
        subscriber.areas.set(AreaPage.objects.filter(pk__in=choices["areas"]))
    return subscriber


def subscriber_for_unsubscribe(token: str) -> Subscriber | None:
    """The subscription a link names (None when it is gone); raises signing.BadSignature."""
    pk, email = read_unsubscribe_token(token)
    return Subscriber.objects.filter(pk=pk, email=email).first()


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Unsubscribe: the address, its choices and the record of what was sent, all deleted."""
    subscriber.delete()


def subscribers_for(issue: NewsletterIssuePage):
    """Confirmed subscribers an issue goes to: every one for a ward-wide issue; for an area's,
    those who chose the area or no area at all (the whole ward)."""
    subscribers = Subscriber.objects.all()
    if issue.area_id is not None:
        subscribers = subscribers.filter(Q(areas=issue.area_id) | Q(areas__isnull=True)).distinct()
    return subscribers


def missed(issue: NewsletterIssuePage):
    """Subscribers who had subscribed when the issue was (last) published, and have not had it:
    what a lost task leaves (someone who subscribes later waits for the next issue)."""
    subscribers = subscribers_for(issue).exclude(issues__issue=issue)
    return subscribers.filter(confirmed_at__lte=issue.last_published_at)


def issues_unsent(now=None) -> list[int]:
    """Issues published for e-mail in the last NEWSLETTER_RESEND_WITHIN whose edition has not
    reached everyone it goes to: their task was lost (the broker down at publish, a worker killed
    before its first chunk). The sweep queues them again; sending is idempotent."""
    now = now or timezone.now()
    recent = public_pages(NewsletterIssuePage.objects.live()).filter(
        send_email=True, last_published_at__gte=now - settings.NEWSLETTER_RESEND_WITHIN
    )
    return [issue.pk for issue in recent if missed(issue).exists()]


def issue_send(*, issue_id: int) -> int:
    """Write the e-mail edition to the outbox for each matching subscriber who has not had it,
        NEWSLETTER_SEND_CHUNK per transaction, each with its `IssueEmail` row: a message and its
        row commit together or not at all, and the row is unique, so a task run twice or a worker
        killed midway neither loses nor repeats a subscriber. An issue that is not live and public
    goes to nobody. Returns how many were written."""
    issue = public_pages(NewsletterIssuePage.objects.live()).filter(pk=issue_id).first()
    if issue is None:
        return 0  # unpublished since, or behind a password or a log-in: not for a mailing list
    items = issue_items(issue, "tsushin_mail")
    written = 0
    while True:
        pending = subscribers_for(issue).exclude(issues__issue=issue).order_by("pk")
        chunk = list(pending.prefetch_related("areas")[: settings.NEWSLETTER_SEND_CHUNK])
        if not chunk:
            return written
        try:
            with transaction.atomic():
                for subscriber in chunk:
                    IssueEmail.objects.create(issue=issue, subscriber=subscriber)
                    issue_message(issue, subscriber, items).send()
        except IntegrityError:
            continue  # another task wrote some of this chunk meanwhile: look again
        written += len(chunk)
