import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EMAIL = "hoiku@example.jp"
PASSWORD = "kosodate-2026-asahi"
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")


def _sent_after_commit(callbacks) -> list:
    """The callbacks run after the commit that send something (not the page cache's own)."""
    return [callback for callback in callbacks if not hasattr(callback, "page_cache_key")]


def _sign_up(client, capture, email=EMAIL):
    with capture(execute=True) as callbacks:
        response = client.post(
            reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
        )
    return response, callbacks


def test_sign_up_confirm_log_in_and_log_out(client, mailoutbox, django_capture_on_commit_callbacks):
    response, callbacks = _sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    # The verification mail left through the Celery task, after the transaction committed.
    assert len(_sent_after_commit(callbacks)) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert message.subject.startswith("[つなぐ]")
    path = CONFIRM_LINK.search(message.body).group(1)

    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302

    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].email == EMAIL

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_gets_a_clear_japanese_message(client, mailoutbox, django_capture_on_commit_callbacks):
    _sign_up(client, django_capture_on_commit_callbacks)
    client.post(CONFIRM_LINK.search(mailoutbox[0].body).group(1))
    client.logout()

    response = client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "入力されたメールアドレスもしくはパスワードが正しくありません。" in html
    assert f'value="{EMAIL}"' in html  # what was typed is kept
    assert not response.context["user"].is_authenticated


def test_unverified_address_cannot_log_in_and_is_told_to_confirm(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks)
    client.logout()

    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD}, follow=True)

    html = response.content.decode()
    assert "メールアドレスを確認してください" in html
    assert "確認のメールを送信しました。" in html
    assert not response.context["user"].is_authenticated


def test_account_pages_use_the_site_layout_in_japanese(client, demo_site):
    for name in ("account_login", "account_signup", "account_reset_password"):
        html = client.get(reverse(name)).content.decode()
        assert '<html lang="ja">' in html, name
        assert 'class="site-header"' in html and "本文へ移動" in html, name
        assert "<label" in html, name


def test_password_reset_mail_goes_out_through_the_task(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks)
    client.logout()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("account_reset_password"), {"email": EMAIL})

    assert response.status_code == 302
    assert len(_sent_after_commit(callbacks)) == 1
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
