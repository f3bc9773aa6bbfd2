"""The admin's read-only view of notifications: who each went to, by which channel, and what became of it."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from areas.models import Membership
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    log_in_with_second_factor,
)
from coordination.notifications.models import Audience, Delivery, Notification
from coordination.notifications.wagtail_hooks import ReadOnlyPermissionPolicy

pytestmark = pytest.mark.django_db

ERROR = "550 no such user"
#: What the report asks to add to areas.permissions.ADMIN_MODEL_PERMISSIONS.
VIEW_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("notifications", "view_notification"),
    ("notifications", "view_delivery"),
)


@pytest.fixture
def network_admin(demo_site):
    user = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user
    user.user_permissions.add(
        *(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in VIEW_PERMISSIONS
        )
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def members(area_a):
    organisation = OrganisationFactory(areas=[area_a])
    return [MembershipFactory(organisation=organisation).user for _ in range(3)]


@pytest.fixture
def notification(members, area_a, announce):
    """A note to the area's partners; the first member's e-mail bounced three times."""
    notification = announce(audience=Audience.AREA_PARTNERS, area=area_a, title="今宿西エリアの議事録")
    assert notification.deliveries.filter(user__in=members).count() == 2 * len(members)
    Delivery.objects.filter(
        notification=notification, user=members[0], channel=Delivery.Channel.EMAIL
    ).update(state=Delivery.State.FAILED, last_error=ERROR, attempts=3, sent_at=None)
    return notification


def _labels(*choices):
    with translation.override("ja"):  # the admin speaks the site's language
        return [str(choice.label) for choice in choices]


def _cell(row, value):
    """Whether one of the row's cells reads exactly the value."""
    return re.search(rf"<td[^>]*>\s*{re.escape(str(value))}\s*</td>", row) is not None


def _row(html, *needles, cell=None):
    """The one table row holding all the needles (and a cell reading exactly `cell`)."""
    rows = [
        row
        for row in re.split(r"<tr[ >]", html)
        if all(needle in row for needle in needles) and (cell is None or _cell(row, cell))
    ]
    assert len(rows) == 1, needles
    return rows[0]


def _assert_failed_email_shown(html, member):
    email_label, inbox_label, failed_label, sent_label = _labels(
        Delivery.Channel.EMAIL, Delivery.Channel.INBOX, Delivery.State.FAILED, Delivery.State.SENT
    )
    failed = _row(html, member.email, ERROR)
    assert _cell(failed, email_label)
    assert _cell(failed, failed_label)
    assert _cell(failed, 3)
    inbox = _row(html, member.email, cell=inbox_label)
    assert _cell(inbox, sent_label)
    assert ERROR not in inbox


def test_network_admin_sees_each_delivery_in_the_list(client, network_admin, members, notification):
    log_in_with_second_factor(client, network_admin)

    response = client.get(reverse("delivery_log:index"))

    assert response.status_code == 200
    html = response.content.decode()
    _assert_failed_email_shown(html, members[0])
    for member in members[1:]:
        assert member.email in html
    assert notification.title in html


def test_the_deliveries_list_filters_by_state_and_channel_and_searches_by_email(
    client, network_admin, members, notification
):
    log_in_with_second_factor(client, network_admin)
    url = reverse("delivery_log:index")

    failed = client.get(url, {"state": Delivery.State.FAILED}).content.decode()
    by_kind = client.get(url, {"kind": notification.kind, "channel": Delivery.Channel.INBOX}).content.decode()
    searched = client.get(url, {"q": members[1].email}).content.decode()
    by_notification = client.get(url, {"notification": notification.pk}).content.decode()

    assert ERROR in failed and members[0].email in failed and members[1].email not in failed
    assert ERROR not in by_kind and all(member.email in by_kind for member in members)
    assert members[1].email in searched and members[0].email not in searched
    assert all(member.email in by_notification for member in members)


def test_the_notification_page_shows_its_deliveries(client, network_admin, members, notification):
    log_in_with_second_factor(client, network_admin)

    response = client.get(reverse("notification_log:inspect", args=[notification.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert notification.title in html
    _assert_failed_email_shown(html, members[0])
    for member in members[1:]:
        assert member.email in html
    assert reverse("delivery_log:index") + f"?notification={notification.pk}" in html


def test_the_notification_list_counts_deliveries_per_state(client, network_admin, members, notification):
    log_in_with_second_factor(client, network_admin)

    response = client.get(reverse("notification_log:index"), {"kind": notification.kind})

    assert response.status_code == 200
    html = response.content.decode()
    row = _row(html, notification.title)
    counts = {state: notification.deliveries.filter(state=state).count() for state in Delivery.State}
    assert counts[Delivery.State.FAILED] == 1
    number_cells = re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", row)
    assert number_cells == [str(counts[state]) for state in Delivery.State]


def test_the_menu_offers_the_views_to_the_network_admin_only(client, network_admin, members, notification):
    log_in_with_second_factor(client, network_admin)
    assert reverse("delivery_log:index") in client.get(reverse("wagtailadmin_home")).content.decode()

    log_in_with_second_factor(client, members[1])
    assert reverse("delivery_log:index") not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("view", ["delivery_log:index", "notification_log:index", "notification_log:inspect"])
def test_a_partner_member_is_refused(client, members, notification, view):
    partner = members[1]
    assert partner.has_perm("wagtailadmin.access_admin")  # they may open the admin, just not this
    log_in_with_second_factor(client, partner)
    args = [notification.pk] if view == "notification_log:inspect" else []

    response = client.get(reverse(view, args=args))

    assert response.status_code != 200
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert members[0].email not in client.get(response.url).content.decode()


def test_nothing_can_be_added_changed_or_deleted(client, network_admin, members, notification):
    delivery = notification.deliveries.first()
    for name, args in [("add", []), ("edit", [1]), ("delete", [1]), ("copy", [1]), ("history", [1])]:
        for viewset in ("notifications", "deliveries"):
            with pytest.raises(NoReverseMatch):
                reverse(f"{viewset}:{name}", args=args)

    log_in_with_second_factor(client, network_admin)
    paths = [
        "/admin/notification_log/new/",
        f"/admin/notification_log/edit/{notification.pk}/",
        f"/admin/notification_log/delete/{notification.pk}/",
        "/admin/delivery_log/new/",
        f"/admin/delivery_log/edit/{delivery.pk}/",
        f"/admin/delivery_log/delete/{delivery.pk}/",
    ]
    assert all(client.get(path).status_code == 404 for path in paths)
    assert all(client.post(path).status_code == 404 for path in paths)
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert Delivery.objects.filter(pk=delivery.pk).exists()


def test_not_even_a_superuser_may_change_them(network_admin):
    superuser = UserFactory(is_superuser=True)
    for model in (Notification, Delivery):
        policy = ReadOnlyPermissionPolicy(model)
        assert policy.user_has_permission(superuser, "view")
        assert policy.user_has_permission(network_admin, "view")
        assert not any(
            policy.user_has_permission(superuser, action) for action in ("add", "change", "delete")
        )


def test_the_listings_cost_the_same_number_of_queries_however_many_deliveries(
    client, network_admin, members, notification, area_a, announce, django_assert_max_num_queries
):
    log_in_with_second_factor(client, network_admin)
    urls = [reverse("delivery_log:index"), reverse("notification_log:index")]
    for url in urls:
        client.get(url)  # the first visit sets up the admin profile and session

    def count_queries():
        for url in urls:  # the shared fragments of what just changed built again, as on a first visit
            client.get(url)
        counts = []
        for url in urls:
            with django_assert_max_num_queries(30) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    small = count_queries()
    organisation = OrganisationFactory(areas=[area_a])
    for _ in range(12):
        MembershipFactory(organisation=organisation)
    for title in ("二回目の議事録", "三回目の議事録", "四回目の議事録"):
        announce(audience=Audience.AREA_PARTNERS, area=area_a, title=title)
    assert Delivery.objects.count() > 60  # more than a page of the deliveries list
    large = count_queries()

    assert large == small
