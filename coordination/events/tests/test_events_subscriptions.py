"""Subscribing to an area's new events, and what a subscriber gets when an event is published."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.template.defaultfilters import urlencode
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import PageViewRestriction

from areas.models import AreaPage
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    log_in_with_second_factor,
)
from coordination.events.tests.test_events_feeds import make_event
from coordination.notifications import delivery as delivery_service
from coordination.notifications.fanout import fan_out
from coordination.notifications.models import (
    Delivery,
    EventSubscription,
    Frequency,
    Kind,
    Notification,
    NotificationPreference,
)

pytestmark = pytest.mark.django_db
SUBSCRIBE = reverse("events:subscription")


def ja(message):
    """What a Japanese visitor reads for an English msgid (itself until it is translated)."""
    with translation.override("ja"):
        return gettext(message)


@pytest.fixture
def parent(db):
    """A parent with an account and no membership anywhere."""
    return UserFactory(email="oyako@example.jp")


def subscribe(user, area=None):
    return EventSubscription.objects.create(user=user, area=area)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish an event as an editor does, with the after-commit fan-out and sending run eagerly."""

    def _publish(parent_page, **fields):
        fields.setdefault("title", "親子でからだをつかってあそぼう")
        fields.setdefault("repeat", "")
        fields.setdefault("start_date", timezone.localdate() + timedelta(days=10))
        event = make_event(parent_page, live=False, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            event.save_revision().publish()
        return event

    return _publish


def _deliveries(user, channel):
    return Delivery.objects.filter(user=user, channel=channel, notification__kind=Kind.NEW_EVENT)


# --- subscribing -------------------------------------------------------------------------


def test_a_logged_in_parent_subscribes_and_unsubscribes_from_the_area_page(client, parent, area_a):
    log_in_with_second_factor(client, parent)
    html = client.get(area_a.url).content.decode()
    assert ja("Notify me of new events in this area") in html
    assert f'name="area" value="{area_a.code}"' in html and 'name="subscribe" value="1"' in html

    response = client.post(
        SUBSCRIBE, {"area": area_a.code, "subscribe": "1", "next": area_a.url}, follow=True
    )

    assert response.redirect_chain == [(area_a.url, 302)]
    assert list(EventSubscription.objects.values_list("user", "area")) == [(parent.pk, area_a.pk)]
    html = response.content.decode()
    assert (ja("You will be notified of new events in %(area)s.") % {"area": area_a.title}) in html
    assert ja("You are notified of new events in this area.") in html
    assert 'name="subscribe" value="0"' in html

    # A second tap (or a form sent again) changes nothing.
    client.post(SUBSCRIBE, {"area": area_a.code, "subscribe": "1", "next": area_a.url})
    assert EventSubscription.objects.count() == 1

    client.post(SUBSCRIBE, {"area": area_a.code, "subscribe": "0", "next": area_a.url})
    assert not EventSubscription.objects.exists()
    assert 'name="subscribe" value="1"' in client.get(area_a.url).content.decode()


def test_the_calendar_offers_every_area_and_ward_wide_events(client, parent, area_a, area_b):
    log_in_with_second_factor(client, parent)
    subscribe(parent, area_b)
    html = client.get(reverse("events:calendar")).content.decode()
    assert ja("Ward-wide events") in html
    assert (
        html.count('name="subscribe" value="1"') == AreaPage.objects.count()
    )  # ward-wide and 12 of the 13 areas
    assert html.count('name="subscribe" value="0"') == 1

    response = client.post(
        SUBSCRIBE, {"area": "ward", "subscribe": "1", "next": reverse("events:calendar") + "?area=2"}
    )

    assert response["Location"] == reverse("events:calendar") + "?area=2"
    assert set(EventSubscription.objects.values_list("area", flat=True)) == {None, area_b.pk}


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in_and_back(client, area_a):
    html = client.get(area_a.url).content.decode()
    login = reverse("account_login") + "?next=" + urlencode(area_a.url)
    assert f'href="{login}"' in html
    assert reverse("account_signup") + "?next=" in html
    assert 'name="subscribe"' not in html

    response = client.post(SUBSCRIBE, {"area": area_a.code, "subscribe": "1", "next": area_a.url})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [area_a.url]
    assert not EventSubscription.objects.exists()
    assert client.get(SUBSCRIBE).status_code == 405


def test_subscribing_needs_the_csrf_token(parent, area_a):
    client = Client(enforce_csrf_checks=True)
    log_in_with_second_factor(client, parent)

    refused = client.post(SUBSCRIBE, {"area": area_a.code, "subscribe": "1"})
    assert refused.status_code == 403
    assert not EventSubscription.objects.exists()

    client.get(area_a.url)  # the page sets the CSRF cookie its form uses
    token = client.cookies["csrftoken"].value
    accepted = client.post(SUBSCRIBE, {"area": area_a.code, "subscribe": "1", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert EventSubscription.objects.filter(user=parent, area=area_a).exists()


def test_an_unknown_area_or_a_foreign_next_address_is_refused(client, parent, area_a):
    log_in_with_second_factor(client, parent)
    assert client.post(SUBSCRIBE, {"area": "area-99", "subscribe": "1"}).status_code == 404

    response = client.post(
        SUBSCRIBE, {"area": area_a.code, "subscribe": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("events:calendar")


def test_the_settings_page_lists_subscriptions_and_removes_them(client, parent, area_a):
    subscribe(parent, area_a)
    subscribe(parent)
    log_in_with_second_factor(client, parent)
    settings_url = reverse("notifications:settings")

    page = client.get(settings_url)
    html = page.content.decode()
    assert area_a.title in html and ja("Ward-wide events") in html
    # An area the parent only follows carries new events alone; network-wide carries every kind.
    assert f"new_event__{area_a.pk}" in page.context["form"].fields
    assert f"new_minutes__{area_a.pk}" not in page.context["form"].fields
    assert "new_minutes__network" in page.context["form"].fields

    response = client.post(SUBSCRIBE, {"area": "ward", "subscribe": "0", "next": settings_url})
    assert response["Location"] == settings_url
    assert list(EventSubscription.objects.values_list("area", flat=True)) == [area_a.pk]

    data = {name: field.initial for name, field in page.context["form"].fields.items()}
    data[f"new_event__{area_a.pk}"] = Frequency.WEEKLY
    client.post(settings_url, data)
    assert (
        NotificationPreference.objects.get(user=parent, kind=Kind.NEW_EVENT, area=area_a).frequency
        == "weekly"
    )


# --- publishing ----------------------------------------------------------------------------


def test_a_subscriber_of_the_area_gets_one_inbox_delivery_and_an_email(
    parent, area_a, publish, mailoutbox, client
):
    subscribe(parent, area_a)
    NotificationPreference.objects.create(
        user=parent, kind=Kind.NEW_EVENT, area=area_a, frequency=Frequency.IMMEDIATE
    )

    publish(area_a, areas=[area_a], place="今宿西地域ケアプラザ 多目的室")

    assert _deliveries(parent, "inbox").count() == 1
    assert _deliveries(parent, "email").get().state == Delivery.State.SENT
    (message,) = [m for m in mailoutbox if m.to == [parent.email]]
    assert "親子でからだをつかってあそぼう" in message.subject
    assert "今宿西地域ケアプラザ 多目的室" in message.body  # what an event says is public
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")

    log_in_with_second_factor(client, parent)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "親子でからだをつかってあそぼう" in inbox and "今宿西地域ケアプラザ 多目的室" in inbox


def test_by_default_a_subscriber_gets_the_daily_digest(parent, area_a, publish, mailoutbox):
    subscribe(parent, area_a)

    publish(area_a, areas=[area_a])

    email = _deliveries(parent, "email").get()
    assert (email.state, email.frequency) == (Delivery.State.WAITING, Frequency.DAILY)
    assert mailoutbox == []
    tomorrow = timezone.localtime() + timedelta(days=1)
    delivery_service.send_digest(parent.pk, "daily", tomorrow)
    assert [m.to for m in mailoutbox] == [[parent.email]]
    assert "親子でからだをつかってあそぼう" in mailoutbox[0].body


def test_a_subscriber_of_another_area_gets_nothing(parent, area_a, area_b, publish, mailoutbox):
    subscribe(parent, area_b)

    publish(area_a, areas=[area_a])

    assert not Delivery.objects.filter(user=parent).exists()
    assert parent.email not in [m.to[0] for m in mailoutbox]


def test_a_partner_who_also_subscribes_gets_exactly_one(area_a, area_b, publish, mailoutbox):
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    subscribe(partner, area_a)
    subscribe(partner, area_b)
    subscribe(partner)

    publish(area_a, areas=[area_a, area_b])  # several areas: all partners, and both areas' subscribers

    assert _deliveries(partner, "inbox").count() == 1
    assert _deliveries(partner, "email").count() == 1


def test_an_event_of_several_areas_reaches_their_subscribers_once_and_no_one_else(
    parent, area_a, area_b, publish
):
    other_area = AreaPage.objects.get(code="area-03")
    follows_both = UserFactory()
    subscribe(follows_both, area_a)
    subscribe(follows_both, area_b)
    subscribe(parent, other_area)
    ward_only = UserFactory()
    subscribe(ward_only)

    publish(area_a, areas=[area_a, area_b])

    assert _deliveries(follows_both, "inbox").count() == 1
    assert not Delivery.objects.filter(user__in=[parent, ward_only]).exists()


def test_a_ward_wide_event_reaches_subscribers_of_any_area_and_of_ward_wide_events(
    parent, area_a, area_b, publish
):
    subscribe(parent, area_b)
    ward_only = UserFactory()
    subscribe(ward_only)
    inactive = UserFactory(is_active=False)
    subscribe(inactive, area_a)

    publish(area_a, title="わくわくフェスティバル", areas=[])

    assert _deliveries(parent, "inbox").count() == 1
    assert _deliveries(ward_only, "inbox").count() == 1
    assert not Delivery.objects.filter(user=inactive).exists()


def test_publishing_again_does_not_notify_again(parent, area_a, publish, django_capture_on_commit_callbacks):
    subscribe(parent, area_a)
    event = publish(area_a, areas=[area_a])

    with django_capture_on_commit_callbacks(execute=True):
        event.title = "親子でからだをつかってあそぼう（場所変更）"
        event.save_revision().publish()

    assert Notification.objects.filter(kind=Kind.NEW_EVENT).count() == 1
    assert _deliveries(parent, "inbox").count() == 1


def test_an_event_hidden_from_the_public_reaches_partners_but_not_subscribers(
    parent, area_a, django_capture_on_commit_callbacks
):
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    subscribe(parent, area_a)
    event = make_event(area_a, title="関係者向け 打ち合わせ会", areas=[area_a], live=False, repeat="")
    PageViewRestriction.objects.create(page=event, restriction_type=PageViewRestriction.LOGIN)

    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()

    assert _deliveries(partner, "inbox").count() == 1
    assert not Delivery.objects.filter(user=parent).exists()


def test_the_one_click_unsubscribe_stops_event_emails_for_subscribed_areas(
    parent, area_a, publish, mailoutbox
):
    subscribe(parent, area_a)
    NotificationPreference.objects.create(
        user=parent, kind=Kind.NEW_EVENT, area=area_a, frequency=Frequency.IMMEDIATE
    )
    publish(area_a, areas=[area_a])
    (message,) = [m for m in mailoutbox if m.to == [parent.email]]
    path = message.extra_headers["List-Unsubscribe"].strip("<>").split("127.0.0.1:8000", 1)[1]

    Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    mailoutbox.clear()
    publish(area_a, areas=[area_a], title="そとあそび")

    assert mailoutbox == []
    assert _deliveries(parent, "inbox").count() == 2  # the inbox still gets everything


def test_the_fan_out_query_count_does_not_grow_with_subscribers(area_a, area_b):
    from coordination.notifications.services import notify

    counts = []
    for total in (2, 20):
        while EventSubscription.objects.count() < total:
            user = UserFactory()
            subscribe(user, area_a)
            subscribe(user, area_b)
        notification = notify(
            kind=Kind.NEW_EVENT,
            title="催し",
            audience="network_partners",
            extra_audience="area_subscribers",
            areas=[area_a, area_b],
        )
        with CaptureQueriesContext(connection) as captured:
            list(fan_out(notification.pk))
        counts.append(len(captured))
        assert Delivery.objects.filter(notification=notification, channel="inbox").count() == total // 2
    assert counts[0] == counts[1], counts


def test_subscriptions_are_unique_per_person_and_area(parent, area_a):
    from django.db import IntegrityError, transaction

    subscribe(parent, area_a)
    subscribe(parent)
    for area in (area_a, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            subscribe(parent, area)
