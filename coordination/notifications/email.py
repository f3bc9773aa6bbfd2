"""E-mail for notifications: Japanese first, plain text and HTML, one-click unsubscribe."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from areas.access import NotificationReader
from common.links import channel_url
from common.mail import one_click_unsubscribe_headers

UNSUBSCRIBE_SALT = "tsunagu.notifications.unsubscribe"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The person and kind a link was made for; raises signing.BadSignature when tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def unsubscribe_url(user_id: int, kind: str) -> str:
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)])


#: The channel of the links to the site in these e-mails (their unsubscribe link is the reader's own).
MAIL = "mail"


def absolute(url: str) -> str:
    """The address of a notification's page, carrying the e-mail channel (another site's is kept)."""
    return channel_url(url, MAIL)


def _item(notification, reader):
    return {
        "title": notification.title,
        "body": notification.body if reader.may_read_notification_body(notification) else "",
        "url": absolute(notification.url) if notification.url else "",
        "kind": notification.get_kind_display(),
    }


def build_message(*, user, notifications, kind, digest=None, reader=None) -> EmailMultiAlternatives:
    """One e-mail about one notification, or a digest of several of the same kind. `reader`: the
    person's NotificationReader when the caller loaded it already (a batch loads all at once)."""
    with translation.override(settings.LANGUAGE_CODE):
        reader = reader or NotificationReader(user)
        items = [_item(n, reader) for n in notifications]
        unsubscribe = unsubscribe_url(user.pk, kind)
        context = {
            "items": items,
            "digest": digest,
            "unsubscribe_url": unsubscribe,
            "settings_url": channel_url(reverse("notifications:settings"), MAIL),
            "inbox_url": channel_url(reverse("notifications:inbox"), MAIL),
        }
        if digest:
            subject = _("[Tsunagu] %(digest)s: %(count)d new") % {"digest": digest, "count": len(items)}
        else:
            subject = "[つなぐ] " + items[0]["title"]
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers=one_click_unsubscribe_headers(unsubscribe),
    )
    message.attach_alternative(html, "text/html")
    return message
