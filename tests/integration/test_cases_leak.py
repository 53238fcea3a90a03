"""A person's confidential name (and the editors' notes on a case) never reach a public output: case pages, the
list, the country page, the API, the feeds, search and the data release; unless an editor published the name with
a reason."""
import datetime as dt
import io
import zipfile

import pytest
from django.conf import settings
from django.core.management import call_command

from civicspace.cases import services
from civicspace.countries.models import Country
from civicspace.monitoring.models import Term

pytestmark = pytest.mark.django_db
MARKERS = {"name": "CANARY-case-name-91b2", "note": "CANARY-case-editor-note-47fd",
           "reason": "CANARY-case-name-reason-0c3e", "proposed": "CANARY-case-unverified-note-5e11"}
LANGS = [code for code, _ in settings.LANGUAGES]


@pytest.fixture
def planted(people):
    editor = people["editor"]
    kgz = Country.objects.get(code="KGZ")
    hidden = services.case_create(actor=editor, country=kgz, subject_type="person", subject_name=MARKERS["name"],
                                  victim_type=Term.objects.get(vocabulary="victim", code="hrd"),
                                  organisation="Synthetic NGO (test)", editor_note=MARKERS["note"])
    source = services.case_source_add(case=hidden, actor=editor, title="Synthetic report (test)",
                                      url="https://example.org/case")
    services.case_event_add(case=hidden, actor=editor, kind="arrest", date=dt.date(2025, 2, 1), source=source)
    services.case_event_add(case=hidden, actor=people["partner"], kind="release", date=dt.date(2025, 3, 1),
                            source=source, note=MARKERS["proposed"])
    services.case_publish(case=hidden, actor=editor)
    # a published name's reason note stays confidential too
    named = services.case_create(actor=editor, country=kgz, subject_type="person", subject_name="Named Person (test)",
                                 organisation="Synthetic NGO (test)")
    named_source = services.case_source_add(case=named, actor=editor, title="Report (test)",
                                            url="https://example.org/named")
    services.case_event_add(case=named, actor=editor, kind="arrest", date=dt.date(2025, 2, 1), source=named_source)
    services.case_publish(case=named, actor=editor)
    services.case_name_publish(case=named, actor=editor, reason="consent", note=MARKERS["reason"])
    return hidden, named


def assert_clean(text, where):
    for what, marker in MARKERS.items():
        assert marker not in text, f"{what} leaked in {where}"


def test_no_marker_in_any_public_output(client, planted, tmp_path):
    hidden, named = planted
    call_command("search_reindex", stdout=io.StringIO())
    urls = []
    for lang in LANGS:
        urls += [f"/{lang}/cases/", f"/{lang}/cases/?country=kgz", f"/{lang}/cases/{hidden.pk}/",
                 f"/{lang}/cases/{named.pk}/", f"/{lang}/countries/kgz/", f"/{lang}/cases/feed/",
                 f"/{lang}/cases/feed/country/kgz/", f"/{lang}/cases/{hidden.pk}/feed/",
                 f"/{lang}/search/?q=91b2", f"/{lang}/search/?q=CANARY", f"/{lang}/search/?q=Synthetic"]
        urls += [f"/api/v1/cases?lang={lang}", f"/api/v1/cases/{hidden.pk}?lang={lang}",
                 f"/api/v1/cases?country=KGZ&lang={lang}"]
    urls += ["/api/v1/openapi.json"]
    seen_named = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_clean(body, url)
        seen_named = seen_named or "Named Person (test)" in body
    assert seen_named  # the name published with a reason does appear
    detail = client.get(f"/en/cases/{hidden.pk}/").content.decode()
    assert "A human rights defender of Synthetic NGO (test)" in detail
    assert "Released" not in detail  # the unverified event is not shown
    out = tmp_path / "release"
    call_command("export", "--out", str(out), stdout=io.StringIO())
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name.startswith("cases.") for p in files)
    for path in files:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    assert_clean(archive.read(name).decode("utf-8", "replace"), f"{path.name}:{name}")
        else:
            assert_clean(path.read_text(encoding="utf-8", errors="replace"), path.name)
