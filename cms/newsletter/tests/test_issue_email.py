"""The e-mail edition of 通信: who gets it (once), what it holds, and the one-click unsubscribe
that partners' e-mail passes too (RFC 8058)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.mail import send_mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from areas.models import Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from cms.newsletter import services
from cms.newsletter.models import IssueEmail, NewsletterIssuePage, Subscriber
from cms.newsletter.tests.helpers import archive, event_this_month, new_issue, subscriber, this_month
from common.fiscal import fiscal_year
from common.outputs import OUTPUT_HEADER
from coordination.activity.report import information_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue_a(area_a, area_b, django_capture_on_commit_callbacks):
    event_this_month(area_a, "今宿西 1歳のひろば", bands=("age_1",))
    event_this_month(area_a, "今宿西 0歳のおしゃべり会", bands=("age_0",))
    event_this_month(area_b, "白根 親子リトミック", bands=("age_1",))
    with django_capture_on_commit_callbacks(execute=True):
        return new_issue(area=area_a, title="つなぐ通信 今宿西エリア号")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """The e-mail edition sent as the task does, the outbox's messages delivered after commit."""

    def _send(issue):
        with django_capture_on_commit_callbacks(execute=True):
            services.issue_send(issue_id=issue.pk)

    return _send


def _unsubscribe_path(message):
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    return url.split("127.0.0.1:8000", 1)[1]


def test_publishing_mails_the_areas_subscribers_once_each(
    area_a, area_b, mailoutbox, django_capture_on_commit_callbacks
):
    in_a = subscriber("a@example.jp", area_a)
    ward = subscriber("ward@example.jp")
    subscriber("b@example.jp", area_b)
    event_this_month(area_a, "今宿西 1歳のひろば")
    with django_capture_on_commit_callbacks(execute=True):
        issue = new_issue(area=area_a)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.jp", "ward@example.jp"]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()  # a typo fixed after sending
    services.issue_send(issue_id=issue.pk)  # and a task run twice
    assert mailoutbox == []
    assert set(IssueEmail.objects.values_list("subscriber", flat=True)) == {in_a.pk, ward.pk}


def test_the_edition_holds_the_areas_items_for_the_childs_age_with_the_channel(
    area_a, area_b, mailoutbox, issue_a, send
):
    subscriber("one@example.jp", area_a, age_bands=["age_1"])
    send(issue_a)

    (message,) = mailoutbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'lang="ja"' in html
    for body in (message.body, html):
        assert "今宿西 1歳のひろば" in body
        assert "0歳のおしゃべり会" not in body  # another age
        assert "白根 親子リトミック" not in body  # another area
    links = [word for word in message.body.split() if word.startswith("http://127.0.0.1:8000/")]
    assert len(links) >= 3  # the event, the web page, the unsubscribe link
    for link in links:
        if "/newsletter/unsubscribe/" in link:
            continue
        assert parse_qs(urlsplit(link).query)["ch"] == ["tsushin_mail"], link


def test_every_edition_has_text_html_and_unsubscribe_headers(area_a, mailoutbox, issue_a, send):
    subscriber("one@example.jp", area_a)
    send(issue_a)
    message = mailoutbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "ワンクリックで配信停止" in message.body


def test_one_click_unsubscribe_works_without_log_in_and_deletes_the_address(
    area_a, mailoutbox, issue_a, send
):
    subscriber("one@example.jp", area_a)
    send(issue_a)
    path = _unsubscribe_path(mailoutbox[0])
    client = Client(enforce_csrf_checks=True)  # as a mail client posts, with no CSRF token

    assert "one@example.jp" in client.get(path).content.decode()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="one@example.jp").exists()
    assert not IssueEmail.objects.exists()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200  # twice: still fine


def test_a_tampered_unsubscribe_link_is_refused(client, area_a, mailoutbox, issue_a, send):
    subscriber("one@example.jp", area_a)
    send(issue_a)
    path = _unsubscribe_path(mailoutbox[0])
    tampered = path[:-6] + ("A" if path[-6] != "A" else "B") + path[-5:]

    response = client.post(tampered)

    assert response.status_code == 400
    assert "無効" in response.content.decode()
    assert Subscriber.objects.filter(email="one@example.jp").exists()


def test_a_private_issue_is_mailed_to_nobody(area_a, mailoutbox, send):
    subscriber("one@example.jp", area_a)
    issue = new_issue(area=area_a, send_email=False)
    PageViewRestriction.objects.create(page=issue, restriction_type="password", password="kosodate")

    send(issue)

    assert [m.subject for m in mailoutbox] == [] and not IssueEmail.objects.exists()


def test_the_admin_composes_a_new_issue_from_the_month_for_the_editor(client, area_a, area_b):
    event_this_month(area_a, "今宿西 1歳のひろば")
    event_this_month(area_b, "白根 親子リトミック")
    index = archive()
    admin = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user
    log_in_with_second_factor(client, admin)
    url = reverse("wagtailadmin_pages:add", args=["newsletter", "newsletterissuepage", index.pk])
    data = nested_form_data(
        {
            "title": "つなぐ通信 今宿西エリア号",
            "slug": "imajuku-test",
            "month": this_month().isoformat(),
            "area": area_a.pk,
            "introduction": "",
            "body": streamfield([]),
            "send_email": "",
            "comments": inline_formset([]),
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    draft = NewsletterIssuePage.objects.get(slug="imajuku-test").get_latest_revision_as_object()
    titles = [block.value["page"].title for block in draft.body if block.block_type == "event"]
    assert titles == ["今宿西 1歳のひろば"]  # the area's event, not the other area's
    assert [block.value for block in draft.body if block.block_type == "heading"] == ["今月の催し"]


def test_an_issue_whose_task_was_lost_is_sent_by_the_sweep_once(
    area_a, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    """The broker was down when the issue was published: its task never ran. The sweep finds the
    subscribers it missed and sends to them, once; a later run finds nothing more to do."""
    from cms.newsletter import signals, tasks

    subscriber("a@example.jp", area_a)
    event_this_month(area_a, "今宿西 1歳のひろば")
    monkeypatch.setattr(signals, "delay_after_commit", lambda *args, **kwargs: None)  # lost
    with django_capture_on_commit_callbacks(execute=True):
        issue = new_issue(area=area_a)
    assert mailoutbox == []

    assert services.issues_unsent() == [issue.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_unsent() == 1
    assert [m.to[0] for m in mailoutbox if m.to[0] == "a@example.jp"] == ["a@example.jp"]
    assert services.issues_unsent() == []
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_unsent() == 0
    assert sum(1 for m in mailoutbox if m.to[0] == "a@example.jp") == 1
    subscriber("late@example.jp", area_a)  # subscribed after the issue: waits for the next one
    assert services.issues_unsent() == []


def test_an_edition_is_counted_once_in_the_information_table(
    area_a, mailoutbox, issue_a, send, django_capture_on_commit_callbacks
):
    """③: an e-mail of 通信 is in 「通信のメール配信数」 and not also in 「送信したメール」, and it stays
    counted after its subscriber left (their record of what was sent goes with them)."""
    one, _two = subscriber("one@example.jp", area_a), subscriber("two@example.jp", area_a)
    send(issue_a)
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("連絡", "本文", None, ["partner@example.jp"])
    assert len(mailoutbox) == 3
    assert all(OUTPUT_HEADER not in message.extra_headers for message in mailoutbox)
    services.subscriber_delete(subscriber=one)

    with translation.override("ja"):
        found = [(row.kind, row.count) for row in information_rows(fiscal_year(timezone.localdate()))]
    labels = [label for label, _count in found]
    assert len(labels) == len(set(labels)), labels  # one row per kind (LINE's, 通信's): none twice
    rows = dict(found)
    assert rows["通信のメール配信数"] == 2
    assert rows["送信したメール"] == 1
    assert rows["通信の発行号数"] == 1
    assert not any("通信" in kind and "メール" in kind for kind in rows if kind != "通信のメール配信数")
