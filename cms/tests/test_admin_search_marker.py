"""The suite's switch for Wagtail's search index (cms/tests/admin_search.py): off by default, on in a
test marked `admin_search`, and the demo site indexed either way, as the admin would find it."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def _document(title):
    return Document.objects.create(title=title, file=ContentFile(b"%PDF-1.4", name="handout.pdf"))


def test_a_save_in_an_unmarked_test_leaves_the_index_alone():
    _document("ひろば 配布資料")
    assert list(Document.objects.search("配布資料")) == []


@pytest.mark.admin_search
def test_a_save_in_a_marked_test_is_found_as_the_admin_would_find_it():
    document = _document("ひろば 配布資料")
    assert list(Document.objects.search("配布資料")) == [document]


def test_the_demo_site_is_in_the_index_whatever_the_mark(demo_site):
    area = Page.objects.get(slug="area-01")
    word = area.title.split()[0]
    assert area in list(Page.objects.search(word))
