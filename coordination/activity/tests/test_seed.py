"""The programme types come back after a flush (as a transactional test or a restore leaves it)."""

import pytest

from coordination.activity.models import ProgrammeType, programme_type_id, programme_types_seed


@pytest.mark.django_db
def test_a_page_default_and_the_demo_find_their_types_after_the_table_was_emptied():
    ProgrammeType.objects.all().delete()

    training = programme_type_id("training")

    assert ProgrammeType.objects.get(pk=training).name == "研修（提供会員予定者研修など）"
    assert ProgrammeType.objects.filter(code__isnull=False).count() == 9


@pytest.mark.django_db
def test_seeding_again_keeps_what_the_hub_renamed():
    ProgrammeType.objects.filter(code="outdoor_play").update(name="そとあそび（公園）")

    programme_types_seed()

    assert ProgrammeType.objects.get(code="outdoor_play").name == "そとあそび（公園）"
    assert ProgrammeType.objects.count() == 9
