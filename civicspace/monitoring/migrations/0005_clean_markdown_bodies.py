"""Update bodies may hold HTML comments (which writers take for hidden notes) and raw HTML, and every public output
showed them. Store them as they will be published, as Update.save() now does (core/text.clean_markdown)."""
from django.conf import settings
from django.db import migrations
from django.db.models import Q

from civicspace.core.text import clean_markdown


def clean(apps, schema_editor):
    fields = ["body", *(f"body_{lang}" for lang, _name in settings.LANGUAGES)]
    suspect = Q()
    for field in fields:
        suspect |= Q(**{f"{field}__contains": "<"})
    for name in ("Update", "HistoricalUpdate"):
        model = apps.get_model("monitoring", name)
        for pk, *bodies in model.objects.filter(suspect).values_list(model._meta.pk.name, *fields).iterator():
            cleaned = [clean_markdown(b) if b else b for b in bodies]
            if cleaned != bodies:
                model.objects.filter(pk=pk).update(**dict(zip(fields, cleaned)))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_scrub_coarsened_places")]
    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
