"""The admin for a Japanese user, in Chromium: the page editor of a meeting, the workflow screens,
the dashboard and the listings show no English, visible or read by screen readers, and axe-core
(WCAG 2.1 AA) finds no violation on them.

What counts as English: a run of two or more Latin letters in the page's visible text, in text
hidden for screen readers, or in an aria-label, title, placeholder or alt, once addresses, e-mail
addresses and the allowed words below are taken out."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from areas.models import AreaPage
from cms.tests.live_demo import load_demo
from cms.tests.phone import axe_violations
from coordination.activity.tests.test_browser_headcount import _logged_in
from coordination.meetings.models import MeetingPage
from coordination.meetings.services_minutes import minutes_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}

#: Latin words a Japanese reader sees on purpose, each with its reason.
ALLOWED = {
    "PDF": "the file format, as written in Japanese",
    "RSS": "the feed format, as written in Japanese",
    "Atom": "the feed format, as written in Japanese",
    "LINE": "the service's name (LINE公式アカウント)",
    "SNS": "as written in Japanese (SNSへの投稿)",
    "URL": "as written in Japanese",
    "Tsunagu": "the site's name beside つなぐ (WAGTAIL_SITE_NAME)",
    "Wagtail": "the name of the software, in its own footer",
}

#: Every text a person can see or hear: visible text, screen-reader-only text, and the names and
#: hints the browser announces.
TEXTS_JS = """
() => {
  const out = [];
  const add = (where, text) => { if (text && text.trim()) out.push([where, text.trim()]); };
  for (const line of document.body.innerText.split('\\n')) add('visible', line);
  const hidden = '.visuallyhidden, .w-sr-only, .sr-only, .visually-hidden, .skip-link, [class*="sr-only"]';
  for (const el of document.querySelectorAll(hidden)) add('screen reader', el.textContent);
  for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      if (el.closest('[hidden], template')) continue;
      add(attr, el.getAttribute(attr));
    }
  }
  return out;
}
"""
NOT_WORDS = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|/[\w/.-]+|\b[a-z0-9-]+\.(?:jpg|png|pdf)\b")
LATIN = re.compile(r"[A-Za-z][A-Za-z'’]+")


def english(page) -> list[str]:
    found = []
    for where, text in page.evaluate(TEXTS_JS):
        words = [w for w in LATIN.findall(NOT_WORDS.sub(" ", text)) if w not in ALLOWED]
        if words:
            found.append(f"{where}: {text[:80]!r}")
    return sorted(set(found))


@pytest.fixture
def world(live_server):
    load_demo(with_accounts=True)
    users = get_user_model().objects
    partner = users.get(email="partner@tsunagu.example")
    coordinator = users.get(email="coordinator@tsunagu.example")
    for person in (partner, coordinator):
        profile = UserProfile.get_for_user(person)
        profile.preferred_language = "ja"
        profile.save()
    meeting = MeetingPage.objects.get(slug="renkei-2")
    minutes_save(
        meeting=meeting,
        user=partner,
        data={
            "agenda": "秋の出張ひろばのふりかえり",
            "attendees": "",
            "organisations": [],
            "minutes": "日曜開催の希望が多い。",
            "decisions": "",
        },
        changed={"minutes"},
        rows=[],
        submit=True,
    )
    return {"partner": partner, "coordinator": coordinator, "meeting": meeting}


def _page(browser, live_server, user):
    page = _logged_in(browser, live_server, user).new_page()
    page.set_viewport_size(DESKTOP)
    page.set_default_timeout(15000)
    return page


def _check(page, url, problems):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    problems += [f"{url} {line}" for line in english(page)]
    problems += axe_violations(page)


def test_the_admin_speaks_japanese_and_passes_axe(live_server, browser, world):
    base = live_server.url
    meeting = world["meeting"]
    area = AreaPage.objects.get(code="area-01")
    problems: list[str] = []

    partner = _page(browser, live_server, world["partner"])
    new_meeting = reverse("wagtailadmin_pages:add", args=["meetings", "meetingpage", area.pk])
    _check(partner, base + new_meeting, problems)

    coordinator = _page(browser, live_server, world["coordinator"])
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[area.pk]),
        reverse("wagtailadmin_pages:edit", args=[meeting.pk]),
        reverse("wagtailadmin_pages:workflow_history", args=[meeting.pk]),
        reverse("wagtailadmin_pages:history", args=[meeting.pk]),
    ):
        _check(coordinator, base + url, problems)

    # The workflow's own screen: "request changes" opens a dialog asking for a comment.
    coordinator.goto(base + reverse("wagtailadmin_pages:edit", args=[meeting.pk]))
    coordinator.get_by_role("button", name="他のアクション").click()
    coordinator.get_by_role("button", name="修正を依頼", exact=True).click()
    expect(coordinator.get_by_role("dialog")).to_be_visible()
    problems += [f"request-changes dialog {line}" for line in english(coordinator)]
    problems += axe_violations(coordinator)

    print("\n".join(problems))
    assert not problems, "\n".join(problems)


def test_the_evaluation_admin_speaks_japanese_and_passes_axe(live_server, browser, world):
    """The hub's own screens (issue 26 and 27): the evaluation document's list and editor, the
    session list and its form, ③ information work, the fiscal years, facilities and projects."""
    from coordination.activity.models import Session
    from coordination.evaluation.models import EvaluationDocument

    admin = get_user_model().objects.get(email="admin@tsunagu.example")
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "ja"
    profile.save()
    document = EvaluationDocument.objects.order_by("-fiscal_year").first()
    session = Session.objects.order_by("-date").first()
    snippets = "wagtailsnippets_evaluation_evaluationdocument"
    problems: list[str] = []
    page = _page(browser, live_server, admin)
    for url in (
        reverse(f"{snippets}:list"),
        reverse(f"{snippets}:edit", args=[document.pk]),
        reverse("activity_sessions:index"),
        reverse("activity_sessions:edit", args=[session.pk]),
        reverse("activity_sessions:add"),
        reverse("information_work:index"),
        reverse("information_work:add"),
        reverse("fiscal_years:index"),
        reverse("facilities:index"),
        reverse("projects:index"),
        reverse("activity:to_record"),
    ):
        _check(page, live_server.url + url, problems)
    print("\n".join(problems))
    assert not problems, "\n".join(problems)
