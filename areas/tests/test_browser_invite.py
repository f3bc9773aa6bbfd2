"""On a phone: a coordinator brings a new nursery's staff member in; the staff member joins."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from playwright.sync_api import expect

from areas.models import AreaPage, Membership, PartnerOrganisation
from areas.tests.factories import MembershipFactory, OrganisationFactory
from cms.tests.live_demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "ja-JP"}
PASSWORD = "kosodate-2026-asahi"


def test_a_coordinator_invites_new_nursery_staff_from_a_phone_and_they_join(live_server, browser):
    load_demo(with_accounts=False)
    area = AreaPage.objects.get(code="area-01")
    coordinator = MembershipFactory(
        organisation=OrganisationFactory(areas=[area]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area],
    ).user
    secret = generate_totp_secret()  # coordinators invite only after the second factor
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": secret})

    page = browser.new_context(**PHONE).new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Eメール").fill(coordinator.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label(re.compile("コード")).fill(code)
    page.get_by_role("button", name=re.compile("ログイン|サインイン|認証")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")

    page.get_by_role("link", name="メンバーを招待する").click()
    page.get_by_label("招待する方のメールアドレス").fill("staff@example.jp")
    page.get_by_label("新しい団体の名前").fill("みらい保育園")
    page.get_by_label("新しい団体のエリア").select_option(label="今宿西エリア")
    page.get_by_role("button", name="招待を送る").click()
    expect(page.get_by_role("status")).to_contain_text("staff@example.jp に招待を送りました")
    expect(page.get_by_role("heading", level=1)).to_have_text("みらい保育園")

    link = re.search(r"http://[^\s]+/partners/invitations/[^/\s]+/", mail.outbox[-1].body).group(0)
    path = link.split("/partners/invitations/")[1]
    staff = browser.new_context(**PHONE).new_page()
    staff.goto(f"{live_server.url}/partners/invitations/{path}")
    expect(staff.get_by_role("heading", level=1)).to_have_text("みらい保育園に参加する")
    staff.get_by_label("姓").fill("旭")
    staff.get_by_label(re.compile(r"^名[:：]?$")).fill("花子")
    staff.get_by_label(re.compile(r"^パスワード[:：]?$")).fill(PASSWORD)
    staff.get_by_label("パスワード（確認）").fill(PASSWORD)
    staff.get_by_role("button", name="アカウントを作って参加する").click()

    expect(staff.get_by_role("status")).to_contain_text("ようこそ。みらい保育園のメンバーになりました。")
    expect(staff.get_by_role("main")).to_contain_text("連携団体メンバー")
    organisation = PartnerOrganisation.objects.get(name="みらい保育園")
    assert organisation.memberships.get().user.email == "staff@example.jp"
