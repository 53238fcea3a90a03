"""The demo corpus made with the intake assistant (issue 18): real published updates from the development set's
public texts, every incident with its public source; loading twice changes nothing."""
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from civicspace.monitoring.models import Incident, Source, Status, Update, Victim

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "civicspace" / "data" / "demo" / "intake-devset-updates.json"
DEVSET = Path(__file__).resolve().parents[2] / "civicspace" / "intake" / "devset"


def test_the_demo_corpus_is_loaded_and_published():
    keys = [u["key"] for u in json.loads(DEMO.read_text(encoding="utf-8"))["updates"]]
    updates = Update.objects.filter(import_key__in=keys)
    assert updates.count() == len(keys) >= 40
    assert set(updates.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert updates.values("country").distinct().count() >= 10
    assert set(updates.values_list("original_language", flat=True)) == {"en", "ru", "fr", "es", "ar"}
    for incident in Incident.objects.filter(update__in=updates).prefetch_related("sources", "types"):
        assert incident.types.exists()
        urls = [s.url for s in incident.sources.all()]
        assert urls and all(url.startswith(("http://", "https://")) for url in urls)


def test_every_demo_source_is_a_development_text():
    urls = {path.read_text(encoding="utf-8").split("\n", 1)[0][len("Source: "):].strip()
            for path in DEVSET.glob("*.txt")}
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    assert {s["url"] for u in demo["updates"] for s in u["sources"]} <= urls


def test_loading_the_demo_content_twice_changes_nothing():
    def snapshot():
        return (Update.objects.count(), Incident.objects.count(), Source.objects.count(), Victim.objects.count())

    before = snapshot()
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert snapshot() == before
    assert "0 update(s)" in out.getvalue()
