"""Which channel brought whom: the one helper every emitted link goes through, the page cache
that neither splits on the code nor shows it, and a registration made from the 通信 QR code
counted under 通信 in the yearly report."""

from datetime import timedelta
from urllib.parse import quote

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from areas.models import Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from cms.newsletter.printing import issue_pdf
from cms.newsletter.tests.helpers import event_this_month, new_issue
from cms.newsletter.tests.test_issue_pdf import decoded_qr_codes
from common.fiscal import fiscal_year
from common.links import CHANNEL_COOKIE, channel_url
from coordination.signups.models import ChannelCount, Slot

pytestmark = pytest.mark.django_db


def test_the_helper_adds_or_replaces_the_code_and_keeps_the_rest(settings):
    assert channel_url("/events/", "flyer") == f"{settings.SITE_URL}/events/?ch=flyer"
    assert (
        channel_url("/events/?area=1&ch=web", "circular") == f"{settings.SITE_URL}/events/?area=1&ch=circular"
    )
    assert channel_url("https://maps.example.com/?q=1", "flyer") == "https://maps.example.com/?q=1"
    with pytest.raises(ValueError):
        channel_url("/events/", "made_up")


def test_the_code_neither_splits_the_page_cache_nor_shows_on_the_page(
    client, area_a, page_cache, django_assert_num_queries
):
    first = client.get(f"{area_a.url}?ch=tsushin_print")
    assert CHANNEL_COOKIE in first.cookies, (first.status_code, first.cookies, first.wsgi_request.GET)
    assert first.cookies[CHANNEL_COOKIE].value == "tsushin_print"
    assert "tsushin_print" not in first.content.decode()

    # Another channel, and the cookie the first set: the same entry, from the cache, with no query.
    with django_assert_num_queries(0):
        again = client.get(f"{area_a.url}?ch=flyer")
    assert again.content == first.content
    assert again.cookies[CHANNEL_COOKIE].value == "flyer"  # a cached page sets it too
    assert sum(1 for key in page_cache._cache if ":page:" in key) == 1


def test_a_made_up_code_sets_nothing(client, area_a):
    assert CHANNEL_COOKIE not in client.get(f"{area_a.url}?ch=%3Cscript%3E").cookies


def _registration_event(area):
    event = event_this_month(
        area,
        "今宿西 1歳のひろば",
        start_date=timezone.localdate() + timedelta(days=3),
        registration="first_come",
        registration_capacity=10,
        registration_deadline=None,
    )
    return event


def _register(client, event, **fields):
    slot = Slot.objects.filter(page=event).order_by("starts_at").first()
    data = {
        "slots": [str(slot.pk)],
        "name": "旭 花子",
        "email": "hanako@example.jp",
        "consent": "on",
        "website": "",
        **fields,
    }
    response = client.post(reverse("signups:apply", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_registration_from_the_tsushin_qr_code_counts_under_tsushin_in_the_report(client, area_a, tmp_path):
    event = _registration_event(area_a)
    issue = new_issue(area=area_a)
    qr = next(code for code in decoded_qr_codes(issue_pdf(issue), tmp_path) if event.url in code)

    client.get(qr)  # the phone opens the event's page from the paper...
    _register(client, event)  # ...and registers on the form a tap later (no code in its address)

    assert list(ChannelCount.objects.values_list("channel", "audience", "count")) == [
        ("tsushin_print", "age_1", 1)
    ]
    admin = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user
    log_in_with_second_factor(client, admin)
    page = client.get(
        reverse("activity:report"), {"year": fiscal_year(timezone.localdate())}
    ).content.decode()
    table = page.split('id="report-channels"', 1)[1].split("</table>", 1)[0]
    row = table.split("通信（紙）", 1)[1].split("</tr>", 1)[0]
    assert row.count("<td>1</td>") == 2  # 1歳 and the row's total


def test_the_persons_own_answer_is_counted_and_no_answer_is_not_known(client, area_a):
    event = _registration_event(area_a)
    _register(client, event, heard_via="circular")
    _register(client, event, email="jiro@example.jp")

    assert sorted(ChannelCount.objects.values_list("channel", "count")) == [("", 1), ("circular", 1)]


def test_the_report_files_hold_the_channel_table(client, area_a):
    event = _registration_event(area_a)
    client.get(f"{event.url}?ch=tsushin_mail")
    _register(client, event)
    admin = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user
    log_in_with_second_factor(client, admin)
    year = {"year": fiscal_year(timezone.localdate())}

    csv_text = client.get(reverse("activity:report_export", args=["csv"]), year).content.decode("utf-8-sig")
    block = csv_text.split("経路別", 1)[1]
    assert "通信（メール）" in block and "1歳" in block
    row = next(line for line in block.splitlines() if line.startswith("通信（メール）"))
    assert row.split(",")[1:] == ["0", "0", "1", "0", "0", "0", "0", "1"]


def test_share_buttons_and_feeds_carry_their_channel(client, area_a, settings):
    event = event_this_month(area_a, "今宿西 1歳のひろば")
    page = client.get(event.url).content.decode()
    shared = quote(f"{settings.SITE_URL}{event.url}?ch=share", safe="")
    assert f"lineit/share?url={shared}" in page

    rss = feedparser.parse(client.get(reverse("events:rss")).content)
    entry = next(entry for entry in rss.entries if entry.title == "今宿西 1歳のひろば")
    assert entry.link == f"{settings.SITE_URL}{event.url}?ch=feed"

    ics = Calendar.from_ical(client.get(reverse("events:event_ics", args=[event.pk])).content)
    (vevent,) = ics.walk("VEVENT")
    assert str(vevent["url"]) == f"{settings.SITE_URL}{event.url}?ch=feed"
