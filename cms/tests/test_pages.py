import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from areas.models import AreaPage, PartnerOrganisation
from cms.models import ContentPage

pytestmark = pytest.mark.django_db


def _public_urls():
    urls = ["/", "/areas/", reverse("search"), reverse("search") + "?q=白根エリア"]
    urls += [area.url for area in AreaPage.objects.order_by("path")]
    urls += ["/volunteer/", "/ward-events/", reverse("events:calendar"), reverse("events:list")]
    return urls


def _with_activities():
    """The demo's posting, recruitment and events, and their application forms."""
    from cms.demo import _demo_activities
    from coordination.events.models import EventPage
    from coordination.volunteering.models import VolunteerPostingPage

    _demo_activities()
    pages = [*VolunteerPostingPage.objects.live(), *EventPage.objects.live()]
    return [page.url for page in pages] + [reverse("signups:apply", args=[page.pk]) for page in pages]


def test_every_public_page_answers_in_japanese_by_default(client, demo_site):
    urls = _public_urls()
    assert len(urls) == 21
    urls += _with_activities()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="ja">' in html, url
        assert "本文へ移動" in html, url  # the skip link, translated
        assert "今宿西エリア" in html, url  # the area list in the header


def test_a_browser_set_to_english_still_gets_japanese_until_english_is_chosen(client, demo_site):
    html = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="ja">' in html


def test_a_visitor_can_switch_to_english_and_back(client, demo_site):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/areas/"})
    assert response.status_code == 302 and response["Location"] == "/areas/"
    for url in _public_urls() + _with_activities():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        assert "Skip to main content" in html, url

    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert '<html lang="ja">' in client.get("/").content.decode()


def test_area_page_shows_its_partner_directory_with_public_contact_only(client, demo_site):
    area = AreaPage.objects.get(code="area-02")
    nursery = PartnerOrganisation.objects.create(
        name="しらね保育園", kind=PartnerOrganisation.Kind.NURSERY, public_phone="045-000-0000"
    )
    nursery.areas.add(area)
    nursery.save()
    other = PartnerOrganisation.objects.create(
        name="よその幼稚園", kind=PartnerOrganisation.Kind.KINDERGARTEN
    )
    other.areas.add(AreaPage.objects.get(code="area-03"))
    other.save()

    html = client.get(area.url).content.decode()

    assert "白根地域ケアプラザ" in html
    assert "旭区社会福祉協議会" in html and "旭区役所 こども家庭支援課" in html
    assert "しらね保育園" in html and "保育園" in html and 'href="tel:045-000-0000"' in html
    assert "よその幼稚園" not in html


def test_search_finds_public_pages_but_not_drafts_or_private_ones(client, demo_site):
    public = ContentPage(title="そとあそびのお知らせ", slug="sotoasobi")
    demo_site.add_child(instance=public)
    public.save_revision().publish()
    draft = ContentPage(title="そとあそびの下書き", slug="sotoasobi-draft", live=False)
    demo_site.add_child(instance=draft)
    draft.save_revision()
    private = ContentPage(title="そとあそびの内部メモ", slug="sotoasobi-private")
    demo_site.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    html = client.get(reverse("search"), {"q": "そとあそびのお知らせ"}).content.decode()
    assert "/sotoasobi/" in html

    for title in ("そとあそびの下書き", "そとあそびの内部メモ"):
        html = client.get(reverse("search"), {"q": title}).content.decode()
        assert "sotoasobi-draft" not in html and "sotoasobi-private" not in html
        assert "見つかりませんでした" in html


def test_missing_page_gets_a_friendly_japanese_404(client, demo_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()
