"""バトンタッチ: a family registered for the 0-year-olds' programme and then for the 1-year-olds'
counts once; different families do not; once the year's keeping time is over nothing of the
families remains, only the count."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from areas.tests.factories import MembershipFactory, log_in_with_second_factor
from coordination.activity.continuity import baton_touches, family_key, family_marks_sweep
from coordination.activity.models import FamilyCount, FamilyMark, ProgrammeType, Session
from coordination.events.models import EventPage
from coordination.signups.models import Applicant, Signup, Slot
from coordination.volunteering.models import VolunteerPostingPage

pytestmark = pytest.mark.django_db

FY = 2031
DURING = date(2031, 11, 1)  # within 令和13年度, when the daily job runs


@pytest.fixture
def chain(db):
    one = ProgrammeType.objects.create(name="1歳児のひろば")
    zero = ProgrammeType.objects.create(name="0歳児のひろば", next_programme=one)
    return zero, one


@pytest.fixture
def page(demo_site):
    return Page.objects.get(depth=2)


def registered(page, programme_type, day, email="", phone="", *, status=Signup.Status.PLACED, confirmed=True):
    """One family's place on a session of the type (a slot of the page, as registration keeps it)."""
    key = f"{programme_type.pk}-{day.isoformat()}"
    defaults = {"programme_type": programme_type, "date": day, "title": programme_type.name}
    Session.objects.get_or_create(page=page, key=key, defaults=defaults)
    slot, _created = Slot.objects.get_or_create(page=page, key=key)
    applicant = Applicant.objects.create(
        page=page,
        name="テスト",
        email=email,
        phone=phone,
        consent_at=timezone.now(),
        confirmed_at=timezone.now() if confirmed else None,
    )
    Signup.objects.create(applicant=applicant, slot=slot, status=status)


def families(fiscal_year=FY):
    """How many went on from the 0-year-olds' programme (the demo's own chain aside)."""
    return {row.programme: row.families for row in baton_touches(fiscal_year)}["0歳児のひろば"]


def test_a_family_going_on_to_the_next_age_counts_once(chain, page):
    zero, one = chain
    registered(page, zero, date(2031, 5, 10), "Mama@example.jp")
    registered(page, zero, date(2031, 6, 10), "mama@example.jp")  # the same family, again
    registered(page, one, date(2031, 10, 10), "mama@example.jp ")

    family_marks_sweep(today=DURING)

    assert families() == 1
    assert FamilyMark.objects.count() == 2  # one per family and programme, whatever the dates


def test_different_families_do_not_count(chain, page):
    zero, one = chain
    registered(page, zero, date(2031, 5, 10), "a@example.jp")
    registered(page, one, date(2031, 10, 10), "b@example.jp")
    # Going back to the younger programme is no going on.
    registered(page, one, date(2031, 5, 12), "c@example.jp")
    registered(page, zero, date(2031, 9, 12), "c@example.jp")
    # A place never confirmed, or given up, is no registration.
    registered(page, zero, date(2031, 5, 10), "d@example.jp")
    registered(page, one, date(2031, 10, 10), "d@example.jp", confirmed=False)
    registered(page, zero, date(2031, 5, 10), "e@example.jp")
    registered(page, one, date(2031, 10, 10), "e@example.jp", status=Signup.Status.WITHDRAWN)

    family_marks_sweep(today=DURING)

    assert families() == 0


def test_a_phone_registration_is_the_same_family_however_the_number_is_written(chain, page):
    zero, one = chain
    registered(page, zero, date(2031, 5, 10), phone="045-000-1234")
    registered(page, one, date(2031, 10, 10), phone="(045) 000 1234")

    family_marks_sweep(today=DURING)

    assert families() == 1


def test_no_address_is_kept_only_a_keyed_hash(chain, page, settings):
    zero, _one = chain
    registered(page, zero, date(2031, 5, 10), "mama@example.jp")
    family_marks_sweep(today=DURING)

    mark = FamilyMark.objects.get()
    assert "mama" not in mark.family and len(mark.family) == 64
    assert mark.family == family_key("mama@example.jp")
    settings.CONTINUITY_KEY = "another key"
    assert family_key("mama@example.jp") != mark.family


def test_after_the_keeping_time_nothing_of_the_families_remains_but_the_count(chain, page):
    zero, one = chain
    registered(page, zero, date(2031, 5, 10), "mama@example.jp")
    registered(page, one, date(2031, 10, 10), "mama@example.jp")
    family_marks_sweep(today=DURING)

    family_marks_sweep(today=date(2032, 9, 30))  # kept until the end of September after the year
    assert FamilyMark.objects.count() == 2

    # The applicants' own retention job has long deleted them; the marks go now.
    Applicant.objects.all().delete()
    family_marks_sweep(today=date(2032, 10, 1))

    assert not FamilyMark.objects.exists()
    assert FamilyCount.objects.get(programme_type=zero).families == 1
    assert families() == 1


def test_the_ward_report_shows_the_families_who_went_on(client, chain, page):
    zero, one = chain
    registered(page, zero, date(2031, 5, 10), "mama@example.jp")
    registered(page, one, date(2031, 10, 10), "mama@example.jp")
    family_marks_sweep(today=DURING)
    log_in_with_second_factor(client, MembershipFactory(role="network_admin").user)

    html = client.get(reverse("activity:report"), {"year": FY}).content.decode()

    baton = html.split('id="report-baton"')[1].split("</section>")[0]
    assert '<th scope="row">0歳児のひろば</th><td>1歳児のひろば</td><td>1</td>' in baton
    assert "mama" not in html


def test_the_privacy_notice_says_so(client, full_demo):
    """On the form of an event (the programmes by age are events), not on a volunteer's."""
    event = EventPage.objects.live().filter(pk__in=Slot.objects.values("page_id")).first()
    posting = VolunteerPostingPage.objects.get(slug="hiroba-volunteer")

    html = client.get(reverse("signups:apply", args=[event.pk])).content.decode()
    volunteers = client.get(reverse("signups:apply", args=[posting.pk])).content.decode()

    assert "次の月齢のプログラム" in html and "復元できない符号" in html
    assert "復元できない符号" not in volunteers


def test_a_mark_belongs_to_the_fiscal_year_of_its_session(chain, page):
    zero, _one = chain
    # The last day of 令和13年度: its mark is that year's, not the next.
    registered(page, zero, date(2032, 3, 31), "mama@example.jp")
    family_marks_sweep(today=date(2032, 3, 31))

    assert FamilyMark.objects.get().fiscal_year == FY
