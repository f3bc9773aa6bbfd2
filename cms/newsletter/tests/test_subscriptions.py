"""Subscribing to 通信 without an account, as a parent does on a phone: double opt-in with
nothing stored before the link is opened, links that expire, the limits of a public form, and
the privacy notice that says what is kept and for how long."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from cms.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db
SUBSCRIBE = reverse("newsletter:subscribe")


def _form(area, **fields):
    return {
        "email": "Hanako@Example.jp",
        "areas": [str(area.pk)],
        "age_bands": ["age_1"],
        "interests": ["events"],
        "consent": "on",
        "website": "",
        **fields,
    }


def _confirm_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/newsletter/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    def _subscribe(area, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SUBSCRIBE, _form(area, **fields), REMOTE_ADDR="203.0.113.5")

    return _subscribe


def test_nothing_is_kept_until_the_link_is_opened_and_its_button_pressed(
    client, area_a, subscribe, mailoutbox
):
    response = subscribe(area_a)
    assert response.status_code == 302
    assert "48時間以内" in client.get(response["Location"]).content.decode()
    assert not Subscriber.objects.exists()

    (message,) = mailoutbox
    assert message.to == ["hanako@example.jp"]
    assert "今宿西エリア" in message.body and "1歳" in message.body
    path = _confirm_path(message)
    assert "登録する" in client.get(path).content.decode()
    assert not Subscriber.objects.exists()  # opening the link (a mail scanner) confirms nothing

    assert "次の号から" in client.post(path).content.decode()
    person = Subscriber.objects.get()
    assert person.email == "hanako@example.jp" and list(person.areas.all()) == [area_a]
    assert person.age_bands == ["age_1"] and person.interests == ["events"]


def test_a_link_past_its_time_subscribes_nobody(client, area_a, subscribe, mailoutbox, settings):
    subscribe(area_a)
    settings.NEWSLETTER_CONFIRM_WITHIN = timedelta(seconds=-1)

    response = client.post(_confirm_path(mailoutbox[0]))

    assert response.status_code == 410 and "もう一度登録" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_confirming_again_replaces_the_choices_of_the_same_address(
    client, area_a, area_b, subscribe, mailoutbox, settings
):
    settings.NEWSLETTER_TELL_EVERY_SECONDS = 0
    subscribe(area_a)
    client.post(_confirm_path(mailoutbox[0]))
    subscribe(area_b, age_bands=[], interests=["volunteering"])
    client.post(_confirm_path(mailoutbox[1]))

    person = Subscriber.objects.get()
    assert list(person.areas.all()) == [area_b] and person.interests == ["volunteering"]


def test_a_mistake_keeps_what_was_typed_and_says_what_to_fix(client, area_a, subscribe, mailoutbox):
    response = subscribe(area_a, email="hanako@", consent="")

    page = response.content.decode()
    assert response.status_code == 400
    assert "hanako@example.jp のような" in page and "同意してください" in page
    assert 'value="hanako@"' in page
    assert re.search(rf'name="areas" value="{area_a.pk}"[^>]*checked', page)
    assert mailoutbox == []


def test_one_address_gets_one_confirmation_e_mail_at_a_time(area_a, subscribe, mailoutbox):
    subscribe(area_a)
    subscribe(area_a)
    assert len(mailoutbox) == 1


def test_the_form_is_rate_limited_per_connection(area_a, subscribe, mailoutbox, settings):
    settings.NEWSLETTER_RATE_LIMIT = "2/h"
    subscribe(area_a, email="one@example.jp")
    subscribe(area_a, email="two@example.jp")
    response = subscribe(area_a, email="three@example.jp")

    assert response.status_code == 400 and "1時間ほどおいて" in response.content.decode()
    assert 'value="three@example.jp"' in response.content.decode()
    assert len(mailoutbox) == 2


def test_a_robot_filling_the_hidden_field_is_refused(area_a, subscribe, mailoutbox):
    response = subscribe(area_a, website="http://spam.example")
    assert response.status_code == 400 and mailoutbox == []


def test_the_form_asks_nothing_beyond_the_choice_and_says_what_is_kept(client, demo_site):
    page = client.get(SUBSCRIBE).content.decode()
    form = page.split('class="stack-form subscribe-form"', 1)[1].split("</form>", 1)[0]
    names = set(re.findall(r'name="([a-z_]+)"', form)) - {"csrfmiddlewaretoken"}
    assert names == {"email", "areas", "age_bands", "interests", "consent", "website"}
    for said in ("保存する内容と期間", "48時間", "配信停止まで", "お名前はうかがいません"):
        assert said in page
