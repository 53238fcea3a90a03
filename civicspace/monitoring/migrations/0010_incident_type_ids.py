# Incident.type_ids: a copy of each incident's types (see the field), filled from the relation's rows.

from django.db import migrations, models


def fill_type_ids(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE monitoring_incident i SET type_ids = t.ids FROM ("
                           "SELECT incident_id, string_agg(term_id::text, ',' ORDER BY term_id) AS ids "
                           "FROM monitoring_incident_types GROUP BY incident_id) t WHERE t.incident_id = i.id")
            return
        # SQLite before 3.44 cannot order inside group_concat: grouped here, from rows read in order.
        cursor.execute("SELECT incident_id, term_id FROM monitoring_incident_types ORDER BY incident_id, term_id")
        rows, current, ids = [], None, []
        for incident_id, term_id in cursor.fetchall():
            if incident_id != current:
                if ids:
                    rows.append((",".join(map(str, ids)), current))
                current, ids = incident_id, []
            ids.append(term_id)
        if ids:
            rows.append((",".join(map(str, ids)), current))
        cursor.executemany("UPDATE monitoring_incident SET type_ids = %s WHERE id = %s", rows)


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0009_incident_date_covering'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='incident',
            name='incident_date_update',
        ),
        migrations.AddField(
            model_name='incident',
            name='type_ids',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_type_ids, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(fields=['date'], include=('update', 'id', 'type_ids'), name='incident_date_update'),
        ),
    ]
