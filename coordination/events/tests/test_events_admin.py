"""Events in the editor: a partner adds one; bad times, rules and images are refused, nothing lost."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from coordination.activity.models import programme_type_id
from coordination.events.models import AgeBand, EventPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(area_a):
    return OrganisationFactory(name="わかば保育園", areas=[area_a])


@pytest.fixture
def partner(organiser):
    return MembershipFactory(organisation=organiser).user


def _form(organiser, area, *, dates=(), **overrides):
    fields = {
        "title": "今宿西 親子ひろば",
        "slug": "oyako-hiroba",
        "description": rich_text("<p>手遊びと絵本の読み聞かせ。</p>"),
        "place": "今宿西地域ケアプラザ 多目的室",
        "start_date": "2026-04-01",
        "start_time": "10:00",
        "end_time": "11:30",
        "repeat": "monthly",
        "repeat_weekday": "1",
        "repeat_week_of_month": "2",
        "repeat_until": "2027-03-31",
        "dates": inline_formset([{"date": day, "kind": kind} for day, kind in dates]),
        "questions": inline_formset([]),
        "registration_unit": "groups",
        "cost": "無料",
        "what_to_bring": "バスタオル、飲み物",
        "image": "",
        "image_alt": "",
        "seo_title": "",
        "search_description": "",
        **overrides,
    }
    data = nested_form_data(fields)
    data["organisers"] = [organiser.pk]
    data["areas"] = [area.pk]
    data["programme_type"] = programme_type_id("event")
    data["age_bands"] = list(AgeBand.objects.filter(key__in=["age_0", "age_1"]).values_list("pk", flat=True))
    return data


def _add_url(area):
    return reverse("wagtailadmin_pages:add", args=["events", "eventpage", area.pk])


def _refused(response, message):
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "今宿西 親子ひろば" in html and "バスタオル、飲み物" in html  # nothing typed is lost
    assert not EventPage.objects.exists()


def test_a_partner_adds_a_monthly_event_with_a_date_off_and_an_extra_date(client, area_a, partner, organiser):
    log_in_with_second_factor(client, partner)
    response = client.post(
        _add_url(area_a),
        _form(organiser, area_a, dates=[("2026-08-11", "exception"), ("2026-08-25", "extra")]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = EventPage.objects.get()
    draft = page.get_latest_revision_as_object()
    assert page.recurrence_rule == "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270331T145959Z"
    assert list(draft.organisers.all()) == [organiser]
    assert {b.key for b in draft.age_bands.all()} == {"age_0", "age_1"}
    assert len(draft.occurrences()) == 12


def test_an_event_ending_before_it_starts_is_refused(client, area_a, partner, organiser):
    log_in_with_second_factor(client, partner)
    response = client.post(_add_url(area_a), _form(organiser, area_a, end_time="09:30"))
    _refused(response, "催しの終わりは始まりより後にしてください。")


def test_a_rule_giving_no_date_is_refused(client, area_a, partner, organiser):
    log_in_with_second_factor(client, partner)
    response = client.post(
        _add_url(area_a), _form(organiser, area_a, repeat_week_of_month="5", repeat_until="2026-05-31")
    )
    _refused(response, "この繰り返しでは、最初の日から最後の日までに開催日がありません。")


def test_a_rule_giving_more_than_400_dates_is_refused(client, area_a, partner, organiser):
    log_in_with_second_factor(client, partner)
    response = client.post(
        _add_url(area_a), _form(organiser, area_a, repeat="weekly", repeat_until="2035-03-31")
    )
    _refused(response, "この繰り返しでは開催日が400回を超えます。最後の日をもっと前にしてください。")


def test_dates_off_leaving_no_date_are_refused(client, area_a, partner, organiser):
    log_in_with_second_factor(client, partner)
    response = client.post(
        _add_url(area_a), _form(organiser, area_a, repeat="", dates=[("2026-04-01", "exception")])
    )
    _refused(response, "この休みの日を除くと、開催日が残りません。")


def test_an_image_without_a_description_is_refused(client, area_a, partner, organiser):
    image = get_image_model().objects.create(title="ひろばの様子", file=get_test_image_file())
    log_in_with_second_factor(client, partner)
    response = client.post(_add_url(area_a), _form(organiser, area_a, image=str(image.pk)))
    _refused(response, "画像が見えない方のために、画像の説明を入力してください。")


def test_an_event_added_under_an_area_with_no_area_ticked_is_for_that_area(
    client, area_a, partner, organiser
):
    log_in_with_second_factor(client, partner)
    data = _form(organiser, area_a)
    data.pop("areas")
    response = client.post(_add_url(area_a), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = EventPage.objects.get().get_latest_revision_as_object()
    assert list(draft.areas.all()) == [area_a]  # not ward-wide by accident


def test_ward_wide_events_live_on_their_own_page_that_only_network_admins_add_to(client, area_a, partner):
    from coordination.events.models import EventIndexPage
    from coordination.events.tests.test_events_feeds import make_event

    index = EventIndexPage.objects.get()
    assert not index.permissions_for_user(partner).can_add_subpage()
    make_event(
        index, title="旭区子育てフェスタ", areas=[], repeat="", start_date=date.today() + timedelta(days=20)
    )

    assert "旭区子育てフェスタ" in client.get(index.url).content.decode()
    assert "旭区子育てフェスタ" in client.get(area_a.url).content.decode()  # every area shows it
