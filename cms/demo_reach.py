"""The demo's reach (issue 29): つなぐ通信 with its archive (this month's issue composed from the
demo's events and openings, and the past fiscal year's monthly issues), a few subscribers, and the
channel counts of the past and the current fiscal year, so the report's channel table is filled.

The addresses are invented (example.jp). The demo's issues are published without their e-mail
edition (loading the demo sends nothing); the past year's e-mails are recorded as history.
"""

import random
from datetime import datetime, time

from django.utils import timezone

from areas.models import AreaPage
from cms.models import HomePage
from cms.newsletter.models import IssueEmail, NewsletterIndexPage, NewsletterIssuePage, Subscriber
from common.fiscal import fiscal_year, fiscal_year_range
from coordination.signups.models import ChannelCount

#: (e-mail, area codes, age bands, interests)
DEMO_SUBSCRIBERS = [
    ("hanako.tsushin@example.jp", ("area-01",), ("age_1",), ("events",)),
    ("ken.tsushin@example.jp", ("area-01", "area-02"), ("age_0", "age_2"), ()),
    ("michiko.tsushin@example.jp", (), (), ("volunteering", "training")),
    ("taro.tsushin@example.jp", ("area-02",), ("pregnancy",), ("events",)),
    ("yoshie.tsushin@example.jp", ("area-03",), (), ("volunteering",)),
]
#: Applications a channel brings in a month, low and high, per audience: 通信 on paper reaches
#: the support generation best, LINE and the website the parents of young children.
DEMO_CHANNELS = {
    "tsushin_print": {"supporters": (1, 4), "age_0": (0, 2), "age_1": (0, 2), "parents": (0, 2)},
    "tsushin_mail": {"supporters": (0, 2), "age_0": (0, 2), "age_1": (1, 3), "age_2": (0, 2)},
    "circular": {"supporters": (1, 3), "pregnancy": (0, 1), "parents": (0, 2)},
    "flyer": {"age_0": (0, 3), "age_1": (0, 2), "age_3_plus": (0, 2), "supporters": (0, 1)},
    "line": {"pregnancy": (0, 2), "age_0": (2, 6), "age_1": (2, 5), "age_2": (1, 4), "age_3_plus": (0, 3)},
    "share": {"age_0": (0, 2), "age_1": (0, 2), "supporters": (0, 1)},
    "web": {"age_0": (1, 4), "age_1": (1, 3), "age_2": (0, 3), "supporters": (0, 2), "parents": (0, 2)},
    "": {"parents": (1, 3), "supporters": (0, 2)},
}


def load_demo_reach() -> None:
    """Adds what is missing; never changes what exists."""
    home = HomePage.objects.first()
    if home is None:
        return
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = NewsletterIndexPage(
            title="つなぐ通信",
            slug="tsushin",
            introduction="毎月、各エリアのイベントとボランティア募集をお届けします。回覧板・掲示板用のPDFもあります。",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    _demo_subscribers()
    if not NewsletterIssuePage.objects.exists():
        _demo_issues(index)
    if not ChannelCount.objects.exists():
        _demo_channel_counts()


def _demo_subscribers() -> None:
    for email, codes, bands, interests in DEMO_SUBSCRIBERS:
        subscriber, created = Subscriber.objects.get_or_create(
            email=email, defaults={"age_bands": list(bands), "interests": list(interests)}
        )
        if created:
            subscriber.areas.set(AreaPage.objects.filter(code__in=codes))


def _publish(index, **fields) -> NewsletterIssuePage:
    issue = NewsletterIssuePage(send_email=False, **fields)
    index.add_child(instance=issue)
    issue.save_revision().publish()
    return issue


def _demo_issues(index) -> None:
    """This month's ward-wide issue, composed from the calendar, and the past year's twelve."""
    today = timezone.localdate()
    _publish(
        index,
        title=f"つなぐ通信 {today.year}年{today.month}月号",
        slug=f"{today:%Y-%m}",
        month=today,
        introduction="寒くなってきました。今月も各エリアで親子で楽しめる催しがあります。",
    )
    first, _last = fiscal_year_range(fiscal_year(today) - 1)
    subscribers = list(Subscriber.objects.order_by("pk"))
    for step in range(12):
        month = first.replace(
            year=first.year + (first.month + step - 1) // 12, month=(first.month + step - 1) % 12 + 1
        )
        issue = _publish(
            index,
            title=f"つなぐ通信 {month.year}年{month.month}月号",
            slug=f"{month:%Y-%m}",
            month=month,
            body=[
                {"type": "heading", "value": "今月のお知らせ"},
                {
                    "type": "text",
                    "value": "各エリアのひろばは通常どおり開いています。詳しくはホームページをご覧ください。",
                },
            ],
        )
        sent_at = timezone.make_aware(datetime.combine(month.replace(day=1), time(9)))
        IssueEmail.objects.bulk_create(
            [IssueEmail(issue=issue, subscriber=subscriber, sent_at=sent_at) for subscriber in subscribers]
        )


def _demo_channel_counts() -> None:
    """The past fiscal year whole and the current one up to this month, from a fixed seed."""
    today = timezone.localdate()
    year = fiscal_year(today) - 1
    rows = []
    for fy in (year, year + 1):
        draw = random.Random(f"channels-{fy}")  # noqa: S311 - demo figures, not secrets
        first, _last = fiscal_year_range(fy)
        for step in range(12):
            month = first.replace(
                year=first.year + (first.month + step - 1) // 12, month=(first.month + step - 1) % 12 + 1
            )
            if month > today:
                break
            for channel, audiences in DEMO_CHANNELS.items():
                for audience, (low, high) in audiences.items():
                    count = draw.randint(low, high)
                    if count:
                        rows.append(
                            ChannelCount(month=month, channel=channel, audience=audience, count=count)
                        )
    ChannelCount.objects.bulk_create(rows)
