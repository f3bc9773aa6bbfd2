"""Headers a browser or proxy acts on: the Content-Security-Policy, and no caching of private files."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from areas.permissions import area_groups
from areas.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_on_disk(settings, tmp_path):
    """Wagtail serves a document from a file on disk."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def _document(collection=None):
    return Document.objects.create(
        title="名簿",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="roster.pdf"),
        collection=collection or Collection.get_first_root_node(),
    )


def test_public_pages_allow_no_inline_script_and_nothing_from_elsewhere(client, demo_site):
    policy = client.get("/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "script-src 'self';" in policy + ";" and "unsafe" not in policy


def test_the_admin_has_a_policy_too(client, area_a):
    client.force_login(MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user)

    policy = client.get("/admin/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy


def test_a_restricted_document_is_never_stored_by_a_cache(client, area_a):
    partners = area_groups(area_a)[0]
    collection = Collection.get_first_root_node().add_child(name="今宿西の資料")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([partners])
    document = _document(collection)
    client.force_login(MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user)

    response = client.get(document.url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_public_document_may_be_cached(client, demo_site):
    response = client.get(_document().url)

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
