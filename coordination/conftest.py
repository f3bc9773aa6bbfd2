import pytest

from areas.tests.factories import MembershipFactory, OrganisationFactory
from coordination.notifications.services import notify


@pytest.fixture
def partner_a(area_a):
    """A partner of area A (今宿西)."""
    return MembershipFactory(organisation=OrganisationFactory(name="わかば保育園", areas=[area_a])).user


@pytest.fixture
def partner_b(area_b):
    """A partner of area B (白根) only."""
    return MembershipFactory(organisation=OrganisationFactory(name="しらね幼稚園", areas=[area_b])).user


@pytest.fixture
def announce(django_capture_on_commit_callbacks):
    """notify() as a producer calls it, with the after-commit fan-out run (eagerly)."""

    def _announce(**kwargs):
        kwargs.setdefault("kind", "new_minutes")
        kwargs.setdefault("title", "今宿西エリア連携会議の議事録")
        kwargs.setdefault("url", "/areas/area-01/")
        with django_capture_on_commit_callbacks(execute=True):
            return notify(**kwargs)

    return _announce
