"""An incident coarsened to "country only" used to keep the exact place it was entered with, and every public
output showed it. Empty that place (and in the change history, which keeps the old value), as Incident.save()
now does for every new save."""
from django.db import migrations


def scrub(apps, schema_editor):
    for name in ("Incident", "HistoricalIncident"):
        apps.get_model("monitoring", name).objects.filter(place_precision="country").exclude(place="").update(
            place="")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_public_list_indexes")]
    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
