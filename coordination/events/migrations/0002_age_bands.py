"""The age bands families choose from: data every site needs, so a migration creates them."""

from django.db import migrations

AGE_BANDS = [
    "pregnancy",
    "age_0",
    "age_1",
    "age_2",
    "age_3_plus",
    "parents",
    "fathers",
    "grandparents",
    "everyone",
]


def seed_age_bands(apps, schema_editor):
    AgeBand = apps.get_model("events", "AgeBand")
    for order, key in enumerate(AGE_BANDS):
        AgeBand.objects.update_or_create(key=key, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(seed_age_bands, migrations.RunPython.noop)]
