"""The newsletter's e-mails: the confirmation of a subscription, and an issue's e-mail edition
(HTML and plain text, one-click unsubscribe, links carrying the 通信 e-mail channel)."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.newsletter.compose import issue_items, items_for
from common.links import channel_url, site_url
from common.mail import one_click_unsubscribe_headers
from common.outputs import OUTPUT_HEADER

CONFIRM_SALT = "tsunagu.newsletter.confirm"
UNSUBSCRIBE_SALT = "tsunagu.newsletter.unsubscribe"


def confirm_token(choices: dict) -> str:
    """The confirmation link's token: the address and the choices themselves, signed and dated,
    so that nothing is stored before the owner of the address opens it."""
    return signing.dumps(choices, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> dict:
    """The choices a link was made for; raises signing.BadSignature (SignatureExpired when older
    than NEWSLETTER_CONFIRM_WITHIN)."""
    return signing.loads(token, salt=CONFIRM_SALT, max_age=settings.NEWSLETTER_CONFIRM_WITHIN)


def unsubscribe_token(subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["s"]), str(data["e"])


def unsubscribe_url(subscriber) -> str:
    return site_url(reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber)]))


def confirmation_message(choices: dict, labels: dict) -> EmailMultiAlternatives:
    """「登録を確かめてください」: the link that creates the subscription, and what was chosen."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "confirm_url": site_url(reverse("newsletter:confirm", args=[confirm_token(choices)])),
            "hours": int(settings.NEWSLETTER_CONFIRM_WITHIN.total_seconds() // 3600),
            "labels": labels,
        }
        subject = _("[Tsunagu] Please confirm your subscription to 通信")
        text = render_to_string("newsletter/email/confirm.txt", context)
    return EmailMultiAlternatives(subject=subject, body=text, to=[choices["email"]])


def issue_message(issue, subscriber, items=None) -> EmailMultiAlternatives:
    """One subscriber's e-mail edition: the items they chose, HTML and plain text."""
    items = issue_items(issue, "tsushin_mail") if items is None else items
    with translation.override(settings.LANGUAGE_CODE):
        unsubscribe = unsubscribe_url(subscriber)
        context = {
            "issue": issue,
            "items": items_for(items, subscriber),
            "web_url": channel_url(issue.url, "tsushin_mail"),
            "subscribe_url": channel_url(reverse("newsletter:subscribe"), "tsushin_mail"),
            "unsubscribe_url": unsubscribe,
        }
        subject = f"[つなぐ] {issue.title}"
        text = render_to_string("newsletter/email/issue.txt", context)
        html = render_to_string("newsletter/email/issue.html", context)
    # Counted once, as 通信 (③), not also among the e-mails sent (the outbox drops the header).
    headers = {**one_click_unsubscribe_headers(unsubscribe), OUTPUT_HEADER: "newsletter"}
    message = EmailMultiAlternatives(subject=subject, body=text, to=[subscriber.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message
