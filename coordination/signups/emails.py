"""Telling applicants (by e-mail, in Japanese) and the organisers (through the notification pipeline)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.links import channel_url
from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import notify
from coordination.signups.links import confirm_url, manage_url, roster_leave_url
from coordination.signups.models import Applicant, RosterEntry

#: The channel of every link to a page in these e-mails (their own links, to confirm or withdraw,
#: are the applicant's, not a way in: links.py).
MAIL = "mail"


def _subject(kind, page) -> str:
    subjects = {
        "received": _("Please confirm your application: %(page)s"),
        "entered": _("Your application has been received: %(page)s"),
        "again": _("Someone applied again with your address: %(page)s"),
        "changed": _("Your application has changed: %(page)s"),
        "withdrawn": _("Your application has been withdrawn: %(page)s"),
        "moved_up": _("A place is yours: %(page)s"),
        "decision": _("About your application: %(page)s"),
        "drawn": _("Lottery result: %(page)s"),
        "reminder": _("Tomorrow: %(page)s"),
        "waiting": _("Your application was not taken: %(page)s"),
        "cancelled": _("Cancelled: %(page)s"),
    }
    return "[つなぐ] " + subjects[kind] % {"page": page.title}


def _send(subject, body, email) -> None:
    """After commit, through the Celery mail backend."""
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def email_applicant(applicant: Applicant, kind: str, signups=None, **extra) -> None:
    """E-mail the applicant about their application, in Japanese. `signups`: all of the
    application's, with their slots, when the caller has just made them (else they are read)."""
    if not applicant.email:
        return  # applied by telephone; the organisers call them
    page = applicant.page.specific
    if signups is None:
        signups = applicant.signups.select_related("slot").order_by("slot__sort_order", "pk")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "applicant": applicant,
            "page": page,
            "page_url": channel_url(page.url or "/", MAIL),
            "signups": sorted(signups, key=lambda signup: (signup.slot.sort_order, signup.pk or 0)),
            "manage_url": manage_url(applicant),
            "confirm_url": confirm_url(applicant),
            "confirm_by": applicant.confirm_by,
            "contact": page.signup_contact(),
            "kind": kind,
            "retention_days": settings.SIGNUP_RETENTION_DAYS,
            **extra,
        }
        subject = _subject(kind, page)
        body = render_to_string("signups/email/applicant.txt", context)
    _send(subject, body, applicant.email)


def email_waiting(email: str, page, waiting) -> None:
    """An application for `page` was not taken because the address has too many applications
    waiting for confirmation: tell its owner which, with their links."""
    page = page.specific
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "page": page,
            "page_url": channel_url(page.url or "/", MAIL),
            "waiting": [(applicant.page.specific, confirm_url(applicant)) for applicant in waiting],
            "confirm_minutes": int(settings.SIGNUP_CONFIRM_WITHIN.total_seconds() // 60),
            "contact": page.signup_contact(),
        }
        subject = _subject("waiting", page)
        body = render_to_string("signups/email/waiting.txt", context)
    _send(subject, body, email)


def email_roster(entry: RosterEntry, kind: str, page=None, message: str = "") -> None:
    """To one person on the roster, in Japanese: "joined" after they confirmed, or "invite" to a
    page with the organiser's message. Every such e-mail carries their own link to leave."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "entry": entry,
            "kind": kind,
            "page": page,
            "page_url": channel_url(page.url or "/", MAIL) if page is not None else "",
            "contact": page.signup_contact() if page is not None else "",
            "message": message,
            "leave_url": roster_leave_url(entry),
        }
        if kind == "invite":
            subject = _("Invitation: %(page)s") % {"page": page.title}
        else:
            subject = _("You are on the volunteer roster")
        body = render_to_string("signups/email/roster.txt", context)
    _send("[つなぐ] " + subject, body, entry.email)


def tell_organisers(applicant: Applicant, signups, what: str) -> None:
    """Inbox and e-mail (as each member chose) for the organisations; never the applicant's details."""
    page = applicant.page.specific
    labels = "、".join(s.slot.label for s in signups if s.slot.label)
    with translation.override(settings.LANGUAGE_CODE):
        titles = {
            "new": _("New application: %(page)s"),
            "added": _("Application changed: %(page)s"),
            "withdrawn": _("Application withdrawn: %(page)s"),
        }
        title = titles[what] % {"page": page.title}
        if labels:
            title = f"{title}（{labels}）"
        url = reverse("signups:list", args=[page.pk])
        for organisation in page.signup_organisations():
            notify(
                kind=Kind.APPLICATION,
                title=title,
                url=url,
                organisation=organisation,
                audience=Audience.ORGANISATION,
            )
