"""The demo site shows the headcount at work: some sessions recorded, the latest waiting."""

import pytest
from django.urls import reverse

from cms.demo import load_demo_data
from cms.models import User
from coordination.activity.models import Session

pytestmark = pytest.mark.django_db


def test_the_demo_partner_finds_sessions_to_record_and_some_recorded(client):
    load_demo_data(with_accounts=True)
    client.force_login(User.objects.get(email="partner@tsunagu.example"))

    text = client.get(reverse("dashboard")).content.decode()

    waiting = Session.objects.filter(title__startswith="出張ひろば", recorded_at__isnull=True).first()
    assert "記録待ちの回" in text
    assert reverse("activity:headcount", args=[waiting.pk]) in text
    assert Session.objects.filter(recorded_at__isnull=False).count() >= 3
    assert client.get(reverse("activity:headcount", args=[waiting.pk])).status_code == 200
