from datetime import timedelta

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from coordination.events.tests.test_events_feeds import make_event

pytestmark = pytest.mark.django_db


def _published(parent, title, **fields):
    event = make_event(
        parent,
        title=title,
        live=False,
        repeat="",
        start_date=timezone.localdate() + timedelta(days=7),
        **fields,
    )
    event.save_revision().publish()
    return event


def test_rss_and_atom_list_public_events_only(client, area_a, area_b):
    _published(area_a, "今宿西のそとあそび", areas=[area_a])
    _published(area_b, "白根の出張ひろば", areas=[area_b])
    make_event(area_a, title="下書きの催し", areas=[area_a], live=False)
    private = _published(area_a, "内部の打ち合わせ", areas=[area_a])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    rss = client.get(reverse("events:rss"))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    titles = [item.findtext("title") for item in ET.fromstring(rss.content).iter("item")]
    assert sorted(titles) == ["今宿西のそとあそび", "白根の出張ひろば"]

    atom = client.get(reverse("events:atom"))
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2

    area_feed = client.get(reverse("events:area_rss", args=[area_b.code]))
    assert [i.findtext("title") for i in ET.fromstring(area_feed.content).iter("item")] == [
        "白根の出張ひろば"
    ]
    # The area's Atom feed (issue 28) holds what its RSS feed holds: no draft, nothing restricted.
    area_atom = client.get(reverse("events:area_atom", args=[area_a.code]))
    atom_titles = [
        entry.findtext("{http://www.w3.org/2005/Atom}title")
        for entry in ET.fromstring(area_atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    ]
    assert atom_titles == ["今宿西のそとあそび"]
    description = ET.fromstring(rss.content).find("channel/item/description").text
    assert "年" in description and "今宿西地域ケアプラザ" in description
