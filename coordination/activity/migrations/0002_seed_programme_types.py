"""The programme types the hub's yearly report names (令和7年度重点目標評価結果)."""

from django.db import migrations

TYPES = [
    # (code, name, kind)
    ("outreach_playroom", "出張ひろば", "other"),
    ("outdoor_play", "そとあそび", "other"),
    ("playroom_salon", "親子ひろば・サロン", "other"),
    ("course", "講座（ぷれパパぷれママ講座など）", "other"),
    ("gathering", "交流会", "other"),
    ("training", "研修（提供会員予定者研修など）", "training"),
    ("liaison_meeting", "エリア別連携会議", "liaison_meeting"),
    ("event", "イベント・フェスティバル", "other"),
    ("volunteering", "ボランティア活動", "volunteering"),
]


def seed(apps, schema_editor):
    ProgrammeType = apps.get_model("activity", "ProgrammeType")
    for order, (code, name, kind) in enumerate(TYPES, start=1):
        ProgrammeType.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_ledger")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
