"""The page cache's two generations: an application replaces the pages' one (places left show at
once) but not the content one (the stored form, the header's areas, the Site stay), any other
write replaces both; and each transaction gets one bump per generation at commit, also after a
rolled back one."""

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from wagtail.models import Site

from cms.models import User
from common.page_cache import CONTENT_GENERATION_KEY, GENERATION_KEY
from coordination.signups.models import Signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def generations(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache = caches["pages"]
    cache.clear()
    yield lambda: (cache.get(GENERATION_KEY), cache.get(CONTENT_GENERATION_KEY))
    cache.clear()


def _bumps_at_commit():
    """The generations the transaction will replace again when it commits."""
    return sorted(
        callback.page_cache_key
        for _ids, callback, _robust in connection.run_on_commit
        if hasattr(callback, "page_cache_key")
    )


def test_an_application_leaves_the_content_generation_and_any_other_write_replaces_both(generations):
    Site.objects.update(site_name=F("site_name"))
    pages, content = generations()
    Signup.objects.filter(pk=-1).update(status=Signup.Status.PLACED)
    assert generations()[0] != pages and generations()[1] == content
    Site.objects.update(site_name=F("site_name"))
    assert generations()[1] != content


def test_a_rolled_back_transaction_leaves_the_next_one_its_bump_at_commit(generations):
    assert not _bumps_at_commit()
    with pytest.raises(RuntimeError), transaction.atomic():
        Signup.objects.filter(pk=-1).update(status=Signup.Status.PLACED)
        assert _bumps_at_commit() == [GENERATION_KEY]
        raise RuntimeError
    assert not _bumps_at_commit()  # gone with what it was for
    Signup.objects.filter(pk=-1).update(status=Signup.Status.PLACED)
    Site.objects.update(site_name=F("site_name"))
    assert _bumps_at_commit() == sorted([GENERATION_KEY, CONTENT_GENERATION_KEY])  # one each


def test_a_log_in_replaces_no_generation_and_a_name_change_replaces_both(generations, client):
    """Every log-in writes the person's `last_login`, which no kept page shows: it used to replace
    every generation, so each log-in threw away every cached page and every reader's kept page."""
    user = User.objects.create_user(email="hanako@example.jp", password="x")
    before = generations()
    client.force_login(user)
    assert User.objects.get(pk=user.pk).last_login is not None
    assert generations() == before
    user.first_name = "花子"
    user.save(update_fields=["first_name"])
    assert generations()[0] != before[0] and generations()[1] != before[1]
