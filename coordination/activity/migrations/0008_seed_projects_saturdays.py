"""The seed's seven projects (事業の内容), the seeded programme types in theirs, and the Saturday
flag of the sessions already kept. Sessions keep their place as text: facilities are the hub's
to enter, and entering one attributes the unattributed sessions held there (signals.py)."""

from django.db import migrations

PROJECTS = [
    (1, "乳幼児の遊びと育ちの場及びその養育者の交流の場の提供", "親子の居場所事業"),
    (2, "子育てに関する相談及び関係機関との連携に関すること", "子育て相談事業"),
    (3, "子育てに関する情報の収集及び提供に関すること", "情報収集・提供事業"),
    (4, "子育てに関する支援活動を行う者同士の連携に関すること", "支援者ネットワーク事業"),
    (5, "子育てに関する支援活動を行う者の育成、支援に関すること", "人材育成、活動支援事業"),
    (
        6,
        "地域の住民同士で子どもを預け、預かる支え合いの促進に関すること",
        "横浜子育てサポートシステム区支部事務局運営事業",
    ),
    (7, "子育て家庭のニーズに応じた施設・事業等の利用の支援に関すること", "利用者支援事業"),
]

TYPE_PROJECTS = {
    "outreach_playroom": 1,
    "outdoor_play": 1,
    "playroom_salon": 1,
    "course": 1,
    "gathering": 1,
    "event": 4,
    "liaison_meeting": 4,
    "volunteering": 5,
    "training": 6,
}


def seed(apps, schema_editor):
    Project = apps.get_model("activity", "Project")
    ProgrammeType = apps.get_model("activity", "ProgrammeType")
    Session = apps.get_model("activity", "Session")
    ids = {}
    for number, name, short_name in PROJECTS:
        project, _created = Project.objects.get_or_create(
            number=number, defaults={"name": name, "short_name": short_name}
        )
        ids[number] = project.pk
    for code, number in TYPE_PROJECTS.items():
        ProgrammeType.objects.filter(code=code, project__isnull=True).update(project_id=ids[number])
    # Types the hub added: the first project until the hub says otherwise.
    ProgrammeType.objects.filter(project__isnull=True).update(project_id=ids[1])
    Session.objects.filter(date__iso_week_day=6).update(is_saturday=True)


class Migration(migrations.Migration):
    dependencies = [("activity", "0007_facilities_projects_demand")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
