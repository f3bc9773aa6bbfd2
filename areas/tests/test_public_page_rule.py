"""The access module's two forms of one rule agree: `is_public_page` (one page already loaded, used
where a single page is asked for, e.g. the application form) and `public_pages` (a queryset)."""

import pytest
from wagtail.models import Page, PageViewRestriction

from areas import access

pytestmark = pytest.mark.django_db


def test_one_page_and_the_queryset_answer_alike_for_every_page(full_demo, area_a, area_b):
    PageViewRestriction.objects.create(
        page=area_a, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    child = area_b.get_children().first() or area_b
    PageViewRestriction.objects.create(page=child, restriction_type=PageViewRestriction.LOGIN)
    public = set(access.public_pages(Page.objects.all()).values_list("pk", flat=True))
    answers = {page.pk: access.is_public_page(page) for page in Page.objects.all()}
    assert answers == {pk: pk in public for pk in answers}
    assert not answers[area_a.pk] and any(answers.values()) and not all(answers.values())
