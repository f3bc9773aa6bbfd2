"""What waits for a coordinator's approval: on their page and in the inbox, and in a Japanese e-mail."""

import pytest
from django.urls import reverse

from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db

TITLE = "夏まつりの見守りボランティア"


@pytest.fixture
def partner(area_a):
    return MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user


@pytest.fixture
def submitted(area_a, partner, django_capture_on_commit_callbacks, mailoutbox):
    """A partner's draft posting under area A, submitted for approval as the editor's button does."""
    coordinator = coordinator_of(area_a)
    page = make_posting(area_a, title=TITLE, publish=False)
    page.save_revision(user=partner)
    with django_capture_on_commit_callbacks(execute=True):
        page.get_workflow().start(page, partner)
    return page, coordinator


def _approval_section(client, user, url, *, second_factor=True) -> str:
    if second_factor:
        log_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    html = client.get(url).content.decode()
    if 'id="approval-heading"' not in html:
        return ""
    return html.split('id="approval-heading"')[1].split("</section>")[0]


@pytest.mark.parametrize("url", [reverse("dashboard"), reverse("notifications:inbox")])
def test_the_coordinator_sees_the_page_waiting_for_approval(client, submitted, url):
    page, coordinator = submitted
    assert _approval_section(client, coordinator, url, second_factor=False) == ""
    section = _approval_section(client, coordinator, url)
    assert TITLE in section
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in section


@pytest.mark.parametrize("url", [reverse("dashboard"), reverse("notifications:inbox")])
def test_the_partner_and_another_areas_coordinator_see_no_approvals(client, submitted, partner, area_b, url):
    assert _approval_section(client, partner, url) == ""
    assert _approval_section(client, coordinator_of(area_b), url) == ""


def test_once_approved_it_no_longer_waits(client, submitted):
    page, coordinator = submitted
    page.current_workflow_task_state.approve(user=coordinator)
    assert _approval_section(client, coordinator, reverse("dashboard")) == ""


def test_the_coordinator_is_asked_in_japanese_in_the_sites_style(submitted, mailoutbox):
    page, coordinator = submitted
    mail = next(m for m in mailoutbox if m.to == [coordinator.email])
    assert mail.subject == f"承認待ち：「{TITLE}」"
    assert mail.body.startswith(f"{coordinator.email}様")
    assert f"「{TITLE}」（今宿西エリア）の承認をお願いします" in mail.body
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in mail.body
    assert "つなぐ — 旭区 子育て支援ネットワーク" in mail.body
    assert "Hello" not in mail.body and "moderation" not in mail.body


def test_the_partner_hears_in_japanese_when_it_is_sent_back(
    submitted, partner, mailoutbox, django_capture_on_commit_callbacks
):
    page, coordinator = submitted
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.reject(user=coordinator, comment="日時を書いてください")
    mail = next(m for m in mailoutbox if m.to == [partner.email])
    assert TITLE in mail.subject and "差し戻" in mail.subject
    assert "日時を書いてください" in mail.body and "様" in mail.body.splitlines()[0]
