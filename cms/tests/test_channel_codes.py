"""Every link and QR code Tsunagu sends out of itself carries a channel code (issue 29: which
channel brought whom). The emitters are found from the system, not from memory:

- every route of the URL map that serves a file, feed or printed sheet (.ics, .rss, .atom, .pdf,
  a QR sheet) must be in EMITTERS (fetched here) or in INTERNAL (with the reason it is no way in);
- every e-mail template under templates/ must be rendered here, by the code that sends it.

Each output's links to the site are read (calendars unfolded, XML unescaped, PDFs' text, link
annotations and what their QR codes encode) and each must carry `?ch=`, unless it is a person's own link
(PERSONAL: a token in the path, to confirm, withdraw or unsubscribe) or a feed's link to itself.
"""

import html
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import segno
from django.conf import settings
from django.test.signals import template_rendered
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from pypdf import PdfReader

import cms.newsletter.printing
import common.flyers
from areas.memberships import invitation_send
from areas.models import Membership
from areas.tests.factories import MembershipFactory, log_in_with_second_factor
from cms.models import User
from cms.newsletter.emails import confirmation_message, issue_message
from cms.newsletter.models import NewsletterIssuePage
from cms.newsletter.tests.helpers import subscriber
from common.pdf import qr_code
from coordination.activity.surveys import SurveyPage
from coordination.events.selectors import public_events
from coordination.notifications.email import build_message
from coordination.notifications.models import Audience, Kind, Notification
from coordination.signups import emails as signup_emails
from coordination.signups.models import Applicant, RosterEntry
from coordination.volunteering.models import VolunteerPostingPage

pytestmark = pytest.mark.django_db

LINK = re.compile(r"""https?://[^\s"'<>()\\]+""")
#: A person's own links: a token in the path, sent to them alone; no way in for anyone else.
PERSONAL = {
    "signups:confirm",
    "signups:manage",
    "signups:roster_leave",
    "newsletter:confirm",
    "newsletter:unsubscribe",
    "notifications:unsubscribe",
    "areas:invitation_accept",
}
#: A feed's link to itself (atom:link rel="self"), which a reader's feed app keeps as its name.
FEEDS_THEMSELVES = {"events:rss", "events:atom", "events:area_rss", "events:area_atom"}
#: E-mails to staff about their work in the admin (Wagtail's workflow: submitted, approved, sent
#: back): links into the admin for the person named, never a way in for the public.
STAFF_EMAILS = ("wagtailadmin/notifications/",)
#: Files served by the site that are not sent out to bring anyone in, and why.
INTERNAL = {
    "meetings:pdf": "minutes, for the partners of the meeting, behind a log-in",
    "meetings:area_action_items_csv": "a data export for partners",
    "signups:csv": "applicants' data, for organisers",
    "activity:report_export": "the yearly figures, for the hub and the ward office",
    "evaluation:file": "the yearly document: text and figures from the ledger, no addresses",
}
OUTPUT = re.compile(r"(\.(ics|rss|atom|pdf)|/qr/)$")


def _routes(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            name = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), name)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name


def uncoded(text: str) -> list[str]:
    """The links to the site in `text` without a channel code (personal links and feeds' own
    addresses aside)."""
    missing = []
    for url in LINK.findall(html.unescape(text)):
        url = url.rstrip(".,;。、")
        if not (url == settings.SITE_URL or url.startswith(settings.SITE_URL + "/")):
            continue
        parts = urlsplit(url)
        try:
            name = resolve(unquote(parts.path or "/")).view_name
        except Resolver404:
            name = ""
        if name in PERSONAL or name in FEEDS_THEMSELVES:
            continue
        if "ch" not in parse_qs(parts.query):
            missing.append(url)
    return missing


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # An address printed across two lines is one address.
    wrapped = re.compile(r"(https?://\S*)\n([!-~]+)")
    parts = [wrapped.sub(r"\1\2", page.extract_text() or "") for page in reader.pages]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            parts.append(str(action.get("/URI", "")))
    return "\n".join(parts)


def _svg_qr_codes(page: str) -> list[str]:
    """The addresses printed under the sheet's inline SVG QR codes that the QR code encodes: the
    code is made again from the printed address and must be the same drawing."""
    found = []
    for svg in re.findall(r"<svg.*?</svg>", page, re.DOTALL):
        for url in LINK.findall(html.unescape(page)):
            if segno.make(url, error="m").svg_inline(scale=8, omitsize=False) == svg:
                found.append(url)
    assert len(found) == len(re.findall(r"<svg.*?</svg>", page, re.DOTALL)), "a QR code of another address"
    assert all(url.startswith(settings.SITE_URL + "/") for url in found), f"not the public address: {found}"
    return found


@pytest.fixture
def world(full_demo, area_a):
    today = timezone.localdate()
    event = public_events(area_a).filter(cancelled=False).exclude(registration="").first() or (
        public_events(area_a).first()
    )
    return {
        "event": event,
        "area": area_a,
        "month": f"{today:%Y-%m}",
        "organisation": event.organisers.first(),
        "posting": VolunteerPostingPage.objects.live().first(),
        "issue": NewsletterIssuePage.objects.live().order_by("-month").first(),
        "survey": SurveyPage.objects.live().first(),
    }


#: Every emitting route: how to build its address from the demo.
EMITTERS = {
    "events:flyer_pdf": lambda w: [w["event"].pk],
    "events:event_ics": lambda w: [w["event"].pk],
    "events:area_overview_pdf": lambda w: [w["area"].code, w["month"]],
    "events:rss": lambda w: [],
    "events:atom": lambda w: [],
    "events:area_rss": lambda w: [w["area"].code],
    "events:area_atom": lambda w: [w["area"].code],
    "events:calendar_ics": lambda w: [],
    "events:area_calendar_ics": lambda w: [w["area"].code],
    "events:organisation_calendar_ics": lambda w: [w["organisation"].pk],
    "events:age_band_calendar_ics": lambda w: ["age_0"],
    "volunteering:flyer": lambda w: [w["posting"].pk],
    "activity:survey_qr": lambda w: [w["survey"].pk],
    "newsletter:pdf": lambda w: [w["issue"].pk],
}


def test_every_emitting_route_is_walked_or_named_internal():
    found = {name for route, name in _routes(get_resolver().url_patterns) if OUTPUT.search(route)}
    found |= {name for route, name in _routes(get_resolver().url_patterns) if "pdf|" in route}
    assert found - set(INTERNAL) == set(EMITTERS), "a new file, feed or sheet: add it to EMITTERS or INTERNAL"


def test_every_file_feed_and_qr_sheet_links_with_a_channel_code(client, world, monkeypatch):
    """The one walk of every emitter: four PDFs are laid out (~10 s); what their QR codes encode
    is read where they are drawn (decoding them from the page is test_issue_pdf's, ~4 s a PDF)."""
    encoded = []

    def spy(url):
        encoded.append(url)
        return qr_code(url)

    for module in (common.flyers, cms.newsletter.printing):
        assert module.qr_code is qr_code
        monkeypatch.setattr(module, "qr_code", spy)
    log_in_with_second_factor(client, User.objects.filter(is_superuser=True).first())
    for name, args in EMITTERS.items():
        encoded.clear()
        response = client.get(reverse(name, args=args(world)))
        assert response.status_code == 200, name
        content = response.content
        if response["Content-Type"].startswith("application/pdf"):
            assert encoded, f"{name}: no QR code drawn"
            text = _pdf_text(content) + "\n".join(encoded)
        elif response["Content-Type"].startswith("text/html"):
            # A printed sheet: its body (the head's canonical and preview tags describe the page).
            text = content.decode().split("</head>", 1)[1]
            text += "\n".join(_svg_qr_codes(text))
        else:
            text = content.decode().replace("\r\n ", "")  # iCalendar folds long lines
        assert LINK.search(text), f"{name} links to nothing: is this still an emitter?"
        assert uncoded(text) == [], (name, uncoded(text))


def test_every_email_template_links_with_a_channel_code(
    world, area_a, mailoutbox, django_capture_on_commit_callbacks
):
    rendered = set()

    def seen(sender, template, **kwargs):
        rendered.add(template.name)

    template_rendered.connect(seen)
    try:
        bodies = _every_email(world, area_a, django_capture_on_commit_callbacks, mailoutbox)
    finally:
        template_rendered.disconnect(seen)
    templates = Path(settings.BASE_DIR) / "templates"
    emails = {
        str(path.relative_to(templates))
        for path in templates.rglob("*")
        if path.is_file() and re.search(r"/email/|/notifications/|email", str(path.relative_to(templates)))
    }
    staff = {name for name in emails if name.startswith(STAFF_EMAILS)}
    assert emails - staff <= rendered, f"e-mail templates not walked: {sorted(emails - staff - rendered)}"
    for body in bodies:
        assert LINK.search(body)
        assert uncoded(body) == [], body[:600]


def _every_email(world, area_a, capture, mailoutbox) -> list[str]:
    event = world["event"]
    person = MembershipFactory(organisation=event.organisers.first(), role=Membership.Role.COORDINATOR).user
    messages = []
    notification = Notification.objects.create(
        kind=Kind.NEW_EVENT,
        title="新しい催し",
        url=event.url,
        audience=Audience.AREA_SUBSCRIBERS,
        body_audience=Audience.AREA_SUBSCRIBERS,
    )
    messages.append(build_message(user=person, notifications=[notification], kind=Kind.NEW_EVENT))
    messages.append(confirmation_message({"email": "n@example.jp", "areas": []}, {}))
    messages.append(issue_message(world["issue"], subscriber("s@example.jp", area_a)))
    applicant = Applicant.objects.create(
        page=event, name="旭 花子", email="h@example.jp", consent_at=timezone.now()
    )
    entry = RosterEntry.objects.create(
        name="旭 一郎", email="r@example.jp", consent_version="2026-12", consent_at=timezone.now()
    )
    with capture(execute=True):
        for kind in ("received", "cancelled"):
            signup_emails.email_applicant(applicant, kind, reason="台風")
        signup_emails.email_waiting("w@example.jp", event, [applicant])
        signup_emails.email_roster(entry, "invite", page=world["posting"], message="お願いします")
        invitation_send(
            inviter=User.objects.filter(is_superuser=True).first(),
            email="i@example.jp",
            organisation=event.organisers.first(),
            role=Membership.Role.MEMBER,
        )
    messages += mailoutbox
    bodies = []
    for message in messages:
        bodies.append(message.body)
        bodies += [content for content, _mimetype in getattr(message, "alternatives", [])]
    return bodies
