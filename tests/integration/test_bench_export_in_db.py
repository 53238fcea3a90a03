"""bench/export_in_db.py, the probe behind the export's line in the benchmark report: the text it has the
database make is the export's own incidents table (same rows, same rules), else its timing would compare
different work. On both databases, with a published update whose incident cites a confidential source, a
coarsened place and a reviewed translation next to an unreviewed one."""
import pytest

from bench import export_in_db
from civicspace.monitoring.models import Incident, Status, Update
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people):
    update = make_update(people, Status.PUBLISHED)
    Update.objects.filter(pk=update.pk).update(translation_status={"fr": "reviewed", "ru": "machine"})
    incident = update.incidents.get()
    Incident.objects.filter(pk=incident.pk).update(
        description_fr='Texte, "cité"\net traduit', description_ru="не показано", place_en="Bishkek",
        place_precision="city")
    other = Incident.objects.create(update=update, date=update.date, date_precision="day", place_precision="country",
                                    description_en="Coarsened to the country.")
    Incident.objects.filter(pk=other.pk).update(place_en="never shown")
    make_update(people, Status.DRAFT)  # never read
    return update


def test_the_probe_makes_the_exports_incidents_in_the_database(published):
    result = export_in_db.measure()
    assert result["same_rows"] is True
    assert result["rows"] == Incident.objects.published().count() >= 2
    assert result["database"] in ("sqlite", "postgresql") and result["in_db"] > 0


def test_the_probe_notices_a_rule_it_does_not_apply(published, monkeypatch):
    """Its check can fail: the same probe citing confidential sources too differs from the export."""
    rule_columns = export_in_db._rule_columns

    def citing_every_source(postgres):
        return [(name, kind, sql.replace("NOT s.confidential", "1 = 1")) for name, kind, sql in rule_columns(postgres)]

    monkeypatch.setattr(export_in_db, "_rule_columns", citing_every_source)
    monkeypatch.setattr(export_in_db, "LISTS_POSTGRES", export_in_db.LISTS_POSTGRES.replace(
        "WHERE NOT s.confidential", ""))
    assert export_in_db.measure()["same_rows"] == "csv differs"
