"""Two people ask for the last place at the same moment: one gets it, the other waits."""

import threading
from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from coordination.signups import services
from coordination.signups.models import Signup, Slot
from coordination.volunteering.tests.factories import make_posting


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_the_last_place_goes_to_exactly_one_of_two_simultaneous_applicants(area_a, round_):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        shifts=[
            {"date": today + timedelta(days=14), "start_time": time(10), "end_time": time(12), "capacity": 2}
        ],
    )
    slot = Slot.objects.get(page=posting)
    services.apply(posting, slot_ids=[slot.pk], name="先客", email="first@example.jp")  # one place left

    barrier = threading.Barrier(2)
    errors = []

    def apply(n):
        try:
            barrier.wait(timeout=10)
            services.apply(posting, slot_ids=[slot.pk], name=f"同時{n}", email=f"same-moment-{n}@example.jp")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    statuses = sorted(
        Signup.objects.filter(slot=slot, applicant__email__startswith="same-moment").values_list(
            "status", flat=True
        )
    )
    assert statuses == [Signup.Status.PLACED, Signup.Status.WAITING]
    assert Signup.objects.filter(slot=slot, status__in=Signup.HOLDING).count() == 2
