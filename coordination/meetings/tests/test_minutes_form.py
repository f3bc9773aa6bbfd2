"""The minutes on a plain form: written, submitted into the area's Wagtail workflow, approved or
sent back on a plain page after a confirmation; one e-mail per event per person; private minutes
stay private; the dashboard lists the work of each role."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from areas.models import AreaPage, Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from coordination.meetings.models import ActionItem, MeetingPage, Visibility
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db
User = get_user_model()

TITLE = "今宿西エリア連携会議（第3回）"


@pytest.fixture(scope="module")
def _world(demo_world):
    """わかば保育園 and its member, a coordinator of area A and the area's coming meeting, made once
    for the module on the shared demo site (each test rolls back to them, and starts with an empty
    outbox); the fixtures below read them afresh for each test."""
    with demo_world():
        area_a = AreaPage.objects.get(code="area-01")
        nursery = OrganisationFactory(name="わかば保育園", areas=[area_a])
        partner = MembershipFactory(organisation=nursery).user
        coordinator = coordinator_of(area_a)
        start = timezone.localtime() + timedelta(days=7)
        page = MeetingPage(
            title=TITLE,
            start=start,
            end=start + timedelta(hours=2),
            place="今宿西地域ケアプラザ",
            agenda="<ol><li>夏の催し</li></ol>",
            visibility=Visibility.AREA,
        )
        area_a.add_child(instance=page)
        with TestCase.captureOnCommitCallbacks(execute=True):
            page.save_revision().publish()
        people = {"nursery": nursery.pk, "partner": partner.pk, "coordinator": coordinator.pk}
        yield {**people, "meeting": page.pk}


@pytest.fixture
def nursery(_world, area_a):
    return PartnerOrganisation.objects.get(pk=_world["nursery"])


@pytest.fixture
def partner(_world, nursery):
    return User.objects.get(pk=_world["partner"])


@pytest.fixture
def coordinator(_world, area_a):
    return User.objects.get(pk=_world["coordinator"])


@pytest.fixture
def meeting(_world, area_a, nursery):
    return MeetingPage.objects.get(pk=_world["meeting"])


def _form_data(nursery, meeting, **extra):
    due = (timezone.localtime(meeting.start) + timedelta(days=14)).date()
    data = {
        "agenda": "夏の催し\r\n回覧板",
        "organisations": [nursery.pk],
        "attendees": "山田\r\n佐藤",
        "minutes": "0歳児の来所が増えている。\r\n\r\n日曜開催の希望が多い。",
        "decisions": "秋の出張ひろばは3回開く",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-pk": "",
        "items-0-description": "チラシを回覧板に入れる",
        "items-0-owner": str(nursery.pk),
        "items-0-due": due.isoformat(),
        "items-0-status": "open",
    }
    return {**data, **extra}


def _submit(client, partner, nursery, meeting, capture):
    log_in_with_second_factor(client, partner)
    with capture(execute=True):
        return client.post(
            reverse("meetings:write_minutes", args=[meeting.pk]), _form_data(nursery, meeting, submit="1")
        )


def test_the_dashboard_offers_the_partner_the_minutes_to_write(client, partner, meeting):
    log_in_with_second_factor(client, partner)
    html = client.get(reverse("dashboard")).content.decode()
    section = html.split('id="minutes-heading"')[1].split("</section>")[0]
    assert TITLE in section
    assert reverse("meetings:write_minutes", args=[meeting.pk]) in section


def test_the_dashboard_lists_the_oldest_minutes_to_write_first_and_says_there_are_more(
    client, partner, area_a, meeting, monkeypatch
):
    """Years of meetings without minutes make no longer dashboard: the oldest few, and a note."""
    monkeypatch.setattr("coordination.meetings.wagtail_hooks.MINUTES_SHOWN", 1)
    start = timezone.localtime() - timedelta(days=3)
    held = MeetingPage(
        title="先週の連携会議", start=start, end=start + timedelta(hours=2), visibility=Visibility.AREA
    )
    area_a.add_child(instance=held)
    held.save_revision().publish()
    log_in_with_second_factor(client, partner)

    section = client.get(reverse("dashboard")).content.decode().split('id="minutes-heading"')[1]
    section = section.split("</section>")[0]
    assert "先週の連携会議" in section and TITLE not in section
    assert "ほかにも議事録を待っている会議があります" in section


def test_the_partner_submits_the_minutes_and_nothing_is_published_yet(
    client, partner, nursery, meeting, django_capture_on_commit_callbacks, mailoutbox
):
    response = _submit(client, partner, nursery, meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(meeting.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == partner

    meeting.refresh_from_db()
    assert not meeting.has_minutes, "the live page must not change before approval"
    draft = meeting.get_latest_revision_as_object()
    assert [block.value.source for block in draft.minutes] == [
        "<p>0歳児の来所が増えている。</p>",
        "<p>日曜開催の希望が多い。</p>",
    ]
    assert draft.decisions == "<ul><li>秋の出張ひろばは3回開く</li></ul>"
    assert draft.agenda == "<ol><li>夏の催し</li><li>回覧板</li></ol>"
    assert [item.description for item in draft.action_items.all()] == ["チラシを回覧板に入れる"]
    # Once submitted, it waits for the coordinator and leaves the partner's "to write" list.
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="minutes-heading"' not in html


def test_a_field_sent_back_unchanged_keeps_its_rich_text(
    client, partner, nursery, meeting, django_capture_on_commit_callbacks
):
    log_in_with_second_factor(client, partner)
    MeetingPage.objects.filter(pk=meeting.pk).update(agenda="<ol><li><b>夏の催し</b></li></ol>")
    meeting.agenda = "<ol><li><b>夏の催し</b></li></ol>"
    meeting.save_revision()
    data = _form_data(nursery, meeting, agenda="夏の催し", save="1")
    client.post(reverse("meetings:write_minutes", args=[meeting.pk]), data)
    assert meeting.get_latest_revision_as_object().agenda == "<ol><li><b>夏の催し</b></li></ol>"
    assert not WorkflowState.objects.filter(object_id=str(meeting.pk)).exists(), "a draft submits nothing"


def test_a_wrong_action_item_is_named_at_the_top_and_nothing_typed_is_lost(client, partner, nursery, meeting):
    log_in_with_second_factor(client, partner)
    data = _form_data(nursery, meeting, **{"items-0-due": "2000-01-01", "submit": "1"})
    response = client.post(reverse("meetings:write_minutes", args=[meeting.pk]), data)
    html = response.content.decode()
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert "期限" in summary and 'href="#id_items-0-due"' in summary
    assert "日曜開催の希望が多い。" in html and "チラシを回覧板に入れる" in html
    assert not WorkflowState.objects.filter(object_id=str(meeting.pk)).exists()


def test_another_row_keeps_what_was_typed(client, partner, nursery, meeting):
    log_in_with_second_factor(client, partner)
    data = _form_data(nursery, meeting, add_row="1")
    html = client.post(reverse("meetings:write_minutes", args=[meeting.pk]), data).content.decode()
    assert 'name="items-1-description"' in html and "チラシを回覧板に入れる" in html
    assert not MeetingPage.objects.get(pk=meeting.pk).get_latest_revision_as_object().action_items.exists()


def test_one_email_per_person_for_one_submission(
    client, partner, nursery, meeting, coordinator, area_a, django_capture_on_commit_callbacks, mailoutbox
):
    admin = MembershipFactory(
        role=Membership.Role.NETWORK_ADMIN,
        organisation=OrganisationFactory(kind=PartnerOrganisation.Kind.WARD_OFFICE),
        user=UserFactory(is_staff=True, is_superuser=True),
    ).user
    _submit(client, partner, nursery, meeting, django_capture_on_commit_callbacks)
    per_person = Counter(address for mail in mailoutbox for address in mail.to)
    assert per_person[coordinator.email] == 1, per_person
    assert per_person[admin.email] == 1, per_person
    assert per_person[partner.email] == 0
    assert all(count == 1 for count in per_person.values()), per_person


def test_the_coordinator_approves_after_a_confirmation_and_the_partner_is_told_once(
    client, partner, nursery, meeting, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    _submit(client, partner, nursery, meeting, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    log_in_with_second_factor(client, coordinator)
    dashboard = client.get(reverse("dashboard")).content.decode()
    review_url = reverse("meetings:review_minutes", args=[meeting.pk])
    assert review_url in dashboard.split('id="approval-heading"')[1].split("</section>")[0]
    assert "「承認して公開」" in dashboard and "「修正を依頼」" in dashboard

    page = client.get(review_url).content.decode()
    assert "日曜開催の希望が多い。" in page and "承認して公開" in page and "修正を依頼" in page

    confirm = client.post(review_url, {"action": "approve"}).content.decode()
    assert "はい、承認して公開する" in confirm
    assert not MeetingPage.objects.get(pk=meeting.pk).has_minutes, "the first tap only asks"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url, {"action": "approve", "confirmed": "yes"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.has_minutes and meeting.live
    assert [item.description for item in meeting.action_items.all()] == ["チラシを回覧板に入れる"]
    per_person = Counter(address for mail in mailoutbox for address in mail.to)
    assert per_person[partner.email] == 1, [(m.to, m.subject) for m in mailoutbox]


def test_sending_back_needs_a_comment_then_the_partner_resumes(
    client, partner, nursery, meeting, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    _submit(client, partner, nursery, meeting, django_capture_on_commit_callbacks)
    log_in_with_second_factor(client, coordinator)
    review_url = reverse("meetings:review_minutes", args=[meeting.pk])
    html = client.post(review_url, {"action": "send_back", "comment": " "}).content.decode()
    assert "何を直せばよいか" in html
    html = client.post(
        review_url, {"action": "send_back", "comment": "日付を直してください"}
    ).content.decode()
    assert "はい、差し戻す" in html
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            review_url, {"action": "send_back", "comment": "日付を直してください", "confirmed": "yes"}
        )
    state = WorkflowState.objects.get(object_id=str(meeting.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert [m.to for m in mailoutbox] == [[partner.email]]

    log_in_with_second_factor(client, partner)
    form = client.get(reverse("meetings:write_minutes", args=[meeting.pk])).content.decode()
    assert "修正を依頼されました" in form
    _submit(client, partner, nursery, meeting, django_capture_on_commit_callbacks)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_private_minutes_stay_private_on_both_pages(
    client, partner, nursery, meeting, area_b, django_capture_on_commit_callbacks
):
    _submit(client, partner, nursery, meeting, django_capture_on_commit_callbacks)
    outsider = MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user
    another_coordinator = coordinator_of(area_b)
    for person in (outsider, another_coordinator):
        log_in_with_second_factor(client, person)
        for name in ("meetings:write_minutes", "meetings:review_minutes"):
            response = client.get(reverse(name, args=[meeting.pk]))
            assert response.status_code == 403
            assert "日曜開催" not in response.content.decode()
    client.logout()
    response = client.get(reverse("meetings:review_minutes", args=[meeting.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # The partner who wrote them cannot approve them.
    log_in_with_second_factor(client, partner)
    assert client.get(reverse("meetings:review_minutes", args=[meeting.pk])).status_code == 403
    # While the minutes wait, Wagtail's workflow lock keeps the writer out, as in the editor;
    # the coordinator may still correct them, on a page no cache keeps.
    assert client.get(reverse("meetings:write_minutes", args=[meeting.pk])).status_code == 403
    log_in_with_second_factor(client, coordinator_of(meeting.area))
    response = client.get(reverse("meetings:write_minutes", args=[meeting.pk]))
    assert response.status_code == 200 and "承認待ち" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_coordinator_sees_areas_without_a_liaison_meeting(client, area_a, area_b, meeting):
    coordinator = MembershipFactory(
        organisation=OrganisationFactory(areas=[area_a, area_b]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area_a, area_b],
    ).user
    log_in_with_second_factor(client, coordinator)
    html = client.get(reverse("dashboard")).content.decode()
    section = html.split('id="no-meeting-heading"')[1].split("</section>")[0]
    assert area_b.title in section and area_a.title not in section
    assert reverse("wagtailadmin_pages:add", args=["meetings", "meetingpage", area_b.pk]) in section


def test_action_items_keep_their_ids_through_the_form(
    client, partner, nursery, meeting, django_capture_on_commit_callbacks
):
    _submit(client, partner, nursery, meeting, django_capture_on_commit_callbacks)
    coordinator = coordinator_of(meeting.area)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.current_workflow_task_state.approve(user=coordinator)
    item = ActionItem.objects.get()
    log_in_with_second_factor(client, partner)
    html = client.get(reverse("meetings:write_minutes", args=[meeting.pk])).content.decode()
    assert f'name="items-0-pk" value="{item.pk}"' in html


def test_approving_another_page_still_tells_its_writer_once(
    area_a, partner, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    page = make_posting(area_a, title="夏まつりの見守り", publish=False)
    page.save_revision(user=partner)
    with django_capture_on_commit_callbacks(execute=True):
        page.get_workflow().start(page, partner)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.approve(user=coordinator)
    assert [m.to for m in mailoutbox] == [[partner.email]]
    assert "承認されました" in mailoutbox[0].subject
