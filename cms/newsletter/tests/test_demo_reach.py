"""The demo shows reach filled: 通信 with its archive and this month's issue, subscribers, and the
report's channel table for the past and the current fiscal year."""

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import log_in_with_second_factor
from cms.models import User
from cms.newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscriber
from common.fiscal import fiscal_year

pytestmark = pytest.mark.django_db


def test_the_demo_has_issues_subscribers_and_a_filled_channel_table(client, full_demo):
    index = NewsletterIndexPage.objects.get()
    archive = client.get(index.url).content.decode()
    assert archive.count("つなぐ通信 ") >= 13  # this month's and the past fiscal year's twelve
    current = NewsletterIssuePage.objects.live().order_by("-month").first()
    assert current.month == timezone.localdate().replace(day=1)
    assert any(block.block_type == "event" for block in current.body)  # composed from the calendar
    assert client.get(current.url).status_code == 200
    assert Subscriber.objects.count() >= 5

    admin = User.objects.filter(is_superuser=True).first()
    log_in_with_second_factor(client, admin)
    for year in (fiscal_year(timezone.localdate()) - 1, fiscal_year(timezone.localdate())):
        page = client.get(reverse("activity:report"), {"year": year}).content.decode()
        table = page.split('id="report-channels"', 1)[1].split("</table>", 1)[0]
        for channel in ("通信（紙）", "通信（メール）", "回覧板", "チラシ", "LINE", "ウェブサイト"):
            assert f'<th scope="row">{channel}</th>' in table, (year, channel)
    assert "通信の発行号数" in page and "通信のメール配信数" in page
