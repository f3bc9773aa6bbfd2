"""Meetings in the editor: validation, content-checked uploads, the approval workflow, announcements."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from areas.models import Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from coordination.activity.models import programme_type_id
from coordination.meetings.models import MeetingPage
from coordination.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def nursery(area_a):
    return OrganisationFactory(name="わかば保育園", areas=[area_a])


@pytest.fixture
def partner(nursery):
    return MembershipFactory(organisation=nursery).user


@pytest.fixture
def coordinator(area_a):
    user = MembershipFactory(
        organisation=OrganisationFactory(areas=[area_a]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area_a],
    ).user
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def _form(nursery, *, start, end, due, action=None, title="今宿西エリア連携会議（第2回）"):
    data = nested_form_data(
        {
            "title": title,
            "slug": "liaison-2",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": end.strftime("%Y-%m-%d %H:%M"),
            "place": "今宿西地域ケアプラザ 多目的室",
            "online_url": "",
            "agenda": rich_text("<p>夏の出張ひろば</p>"),
            "attendees": "",
            "minutes": streamfield([("paragraph", rich_text("<p>各団体から近況を報告した。</p>"))]),
            "decisions": rich_text("<p>8月の出張ひろばを共催する。</p>"),
            "action_items": inline_formset(
                [
                    {
                        "description": "チラシを作って回覧板に入れる",
                        "owner": nursery.pk,
                        "due": due.isoformat(),
                        "status": "open",
                    }
                ]
            ),
            "attachments": inline_formset([]),
            "visibility": "area",
            "public_summary": "夏の催しについて話し合いました。",
            "seo_title": "",
            "search_description": "",
        }
    )
    data["invited_organisations"] = [nursery.pk]
    data["attending_organisations"] = [nursery.pk]
    data["programme_type"] = programme_type_id("liaison_meeting")
    if action:
        data[action] = action
    return data


def _add_url(area):
    return reverse("wagtailadmin_pages:add", args=["meetings", "meetingpage", area.pk])


def test_a_meeting_ending_before_it_starts_is_refused_and_nothing_typed_is_lost(
    client, area_a, partner, nursery
):
    log_in_with_second_factor(client, partner)
    start = timezone.localtime() + timedelta(days=5)
    response = client.post(
        _add_url(area_a), _form(nursery, start=start, end=start - timedelta(hours=1), due=start.date())
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "会議の終わりは始まりより後にしてください。" in html
    assert "今宿西エリア連携会議（第2回）" in html and "チラシを作って回覧板に入れる" in html
    assert not MeetingPage.objects.exists()


def test_an_action_item_due_before_the_meeting_is_refused(client, area_a, partner, nursery):
    log_in_with_second_factor(client, partner)
    start = timezone.localtime() + timedelta(days=5)
    response = client.post(
        _add_url(area_a),
        _form(nursery, start=start, end=start + timedelta(hours=2), due=start.date() - timedelta(days=1)),
    )

    assert "会議より前の期限は設定できません。" in response.content.decode()
    assert not MeetingPage.objects.exists()


def test_a_partner_cannot_publish_the_coordinator_approves_and_partners_are_told_once(
    client, area_a, partner, nursery, coordinator, django_capture_on_commit_callbacks
):
    log_in_with_second_factor(client, partner)
    start = timezone.localtime() - timedelta(days=2)  # minutes are written after the meeting
    form = _form(nursery, start=start, end=start + timedelta(hours=2), due=start.date() + timedelta(days=20))

    client.post(_add_url(area_a), {**form, "action-publish": "action-publish"})
    assert not MeetingPage.objects.filter(live=True).exists()

    meeting = MeetingPage.objects.get()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[meeting.pk]), {**form, "action-submit": "action-submit"}
    )
    state = WorkflowState.objects.get(object_id=str(meeting.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    meeting.refresh_from_db()
    assert not meeting.live

    log_in_with_second_factor(client, coordinator)
    task_state = state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[meeting.pk, "approve", task_state.pk]),
            {"comment": "確認しました"},
        )
    assert response.status_code in (200, 302)
    meeting.refresh_from_db()
    assert meeting.live

    minutes = Notification.objects.filter(kind=Kind.NEW_MINUTES)
    assert minutes.count() == 1 and minutes.get().area == area_a

    # Correcting and republishing does not tell everyone again.
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save_revision(user=coordinator).publish(user=coordinator)
    assert Notification.objects.filter(kind=Kind.NEW_MINUTES).count() == 1


def test_invited_organisations_are_told_of_an_upcoming_meeting(
    area_a, partner, nursery, django_capture_on_commit_callbacks, mailoutbox
):
    start = timezone.now() + timedelta(days=10)
    meeting = MeetingPage(title="白根との合同会議", slug="joint", start=start, end=start + timedelta(hours=1))
    meeting.invited_organisations = [nursery]
    area_a.add_child(instance=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save_revision().publish()

    notification = Notification.objects.get(kind=Kind.MEETING)
    assert notification.organisation == nursery
    assert [m.to for m in mailoutbox] == [[partner.email]]
    assert "白根との合同会議" in mailoutbox[0].subject and "年" in mailoutbox[0].subject


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("議事録.pdf", PDF, True),
        ("議事録.pdf", b"MZ\x90\x00 this is really a program", False),
        ("名簿.xlsx", b"just some text pretending", False),
        ("メモ.txt", "出席者：わかば保育園".encode(), True),
        ("写真.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, True),
        ("写真.png", PDF, False),
    ],
)
def test_attachments_are_checked_by_content_not_only_by_name(
    client, partner, area_a, name, content, accepted
):
    from wagtail.documents.models import Document

    from coordination.meetings.privacy import area_collection

    log_in_with_second_factor(client, partner)
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": area_collection(area_a).pk},
    )

    assert Document.objects.filter(title=name).exists() is accepted
    if not accepted:
        assert "ファイルの中身が名前" in response.content.decode()
        assert f'value="{name}"' in response.content.decode()  # the title typed is kept


def test_an_attachment_that_is_too_big_is_refused(client, partner, area_a, settings):
    from wagtail.documents.models import Document

    from coordination.meetings.privacy import area_collection

    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
    log_in_with_second_factor(client, partner)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "大きな議事録",
            "file": SimpleUploadedFile("big.pdf", PDF + b"0" * 500),
            "collection": area_collection(area_a).pk,
        },
    )
    assert not Document.objects.exists()
    assert response.status_code == 200


def test_the_area_page_lists_the_latest_past_meetings_and_all_of_them_on_request(
    client, area_a, partner, monkeypatch, django_assert_max_num_queries
):
    """Years of meetings make no longer page: the latest past ones, and a link to every one."""
    monkeypatch.setattr("coordination.meetings.wagtail_hooks.PAST_MEETINGS_SHOWN", 2)
    for days in (40, 30, 20, 10):
        start = timezone.now() - timedelta(days=days)
        meeting = MeetingPage(
            title=f"{days}日前の会議", slug=f"ago-{days}", start=start, end=start + timedelta(hours=1)
        )
        area_a.add_child(instance=meeting)
        meeting.save_revision().publish()
    log_in_with_second_factor(client, partner)

    page = client.get(area_a.url).content.decode()
    assert page.index("10日前の会議") < page.index("20日前の会議")  # the latest first
    assert "30日前の会議" not in page and "40日前の会議" not in page
    assert "?meetings=all#meetings-heading" in page
    with django_assert_max_num_queries(40) as shown:
        client.get(area_a.url)
    with django_assert_max_num_queries(40) as every:
        page = client.get(area_a.url, {"meetings": "all"}).content.decode()
    assert all(f"{days}日前の会議" in page for days in (40, 30, 20, 10))
    assert "?meetings=all#meetings-heading" not in page
    assert len(shown) == len(every)


def test_the_area_page_query_count_does_not_grow_with_meetings(
    every_page_rendered, client, area_a, partner, django_assert_max_num_queries
):
    log_in_with_second_factor(client, partner)
    counts = []
    for total in (2, 8):
        while MeetingPage.objects.count() < total:
            n = MeetingPage.objects.count()
            start = timezone.now() + timedelta(days=n - 4)
            meeting = MeetingPage(
                title=f"会議{n}",
                slug=f"m{n}",
                start=start,
                end=start + timedelta(hours=1),
                visibility=["area", "network", "public"][n % 3],
                public_summary="要約",
            )
            area_a.add_child(instance=meeting)
            meeting.save_revision().publish()
        client.get(area_a.url)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(area_a.url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
