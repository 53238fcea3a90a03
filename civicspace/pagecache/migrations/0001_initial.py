from django.db import migrations, models


def create_row(apps, schema_editor):
    from civicspace.pagecache.services import fresh_value

    apps.get_model("pagecache", "PublicationGeneration").objects.get_or_create(pk=1, defaults={"value": fresh_value()})


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="PublicationGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.PositiveBigIntegerField(default=1)),
            ],
            options={"db_table": "pagecache_generation"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
