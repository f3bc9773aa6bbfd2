import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from cms.models import User

pytestmark = pytest.mark.django_db

EMAIL = "coordinator@example.jp"
PASSWORD = "kosodate-2026-asahi"


@pytest.fixture
def member(db):
    user = User.objects.create_user(email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


def _current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_any_member_can_turn_on_totp_and_log_in_with_a_recovery_code(client, member):
    assert client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD}).status_code == 302

    # Turning on a second factor asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "認証アプリを有効化する" in page.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302

    types = set(Authenticator.objects.filter(user=member).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    recovery = Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    code = recovery.wrap().get_unused_codes()[0]

    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.get("/").context["user"].is_authenticated

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert not client.get("/").context["user"].is_authenticated

    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get("/").context["user"] == member
