"""Data releases: `civicspace export` on the real reference and demo data writes a valid Frictionless data
package (CSV + JSON per table, codebook, changelog, zip), all or nothing, with nothing confidential or
unpublished in it; the public data page lists the releases and serves their files, and nothing else."""
import csv
import datetime as dt
import io
import itertools
import json
import re
import zipfile
from decimal import Decimal

import frictionless
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from civicspace.exports import codebook, selectors, services
from civicspace.legislation.models import Bill, StageEvent
from civicspace.monitoring.models import Incident, Status, Update, Victim
from civicspace.ratings.models import PublishedRating
from tests.monitoring_fixtures import CONFIDENTIAL_NOTE, CONFIDENTIAL_TITLE, PUBLIC_NAME, SENSITIVE_NAME, make_update

pytestmark = pytest.mark.django_db

DRAFT_MARKER = "CANARY-unpublished-update-41c7"
PROPOSED_MARKER = "CANARY-unverified-stage-9b2e"
TABLES = codebook.TABLE_NAMES


def export(out):
    """(the release's directory, the progress the command showed on stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export", "--releases", str(out), stdout=stdout, stderr=stderr)
    releases = services.release_versions(out)
    assert stdout.getvalue() == f"Release written: {out / releases[0]}\n"
    return out / releases[0], stderr.getvalue()


def read_csv(release, table):
    with open(release / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_json(release, name):
    return json.loads((release / name).read_text(encoding="utf-8"))


@pytest.fixture
def unpublished(people):
    draft = make_update(people, Status.DRAFT)
    Update.objects.filter(pk=draft.pk).update(title_en=DRAFT_MARKER)
    verified = make_update(people, Status.VERIFIED)
    Update.objects.filter(pk=verified.pk).update(title_en=DRAFT_MARKER + "-verified")
    bill = Bill.objects.filter(country__code="KGZ").first()
    StageEvent.objects.create(bill=bill, stage="withdrawn", date=timezone.localdate(), note_en=PROPOSED_MARKER,
                              verified=False, proposed_by=people["partner"])
    return [draft, verified]


@pytest.fixture
def release(tmp_path, people, unpublished):
    published = make_update(people, Status.PUBLISHED)
    path, progress = export(tmp_path)
    return {"path": path, "progress": progress, "published": published, "unpublished": unpublished}


def test_the_release_is_a_valid_frictionless_package_with_every_table(release):
    path = release["path"]
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", path.name)
    assert path.name == timezone.localdate().strftime("%Y.%m.%d")
    report = frictionless.validate(str(path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:10]
    for table in TABLES:
        assert (path / f"{table}.csv").is_file() and (path / f"{table}.json").is_file(), table
        assert len(read_json(path, f"{table}.json")) == len(read_csv(path, table)), table
    for name in ["datapackage.json", "changelog.json", "codebook.md", "codebook.html",
                 f"civic-space-monitor-{path.name}.zip"]:
        assert (path / name).is_file(), name
    # Progress on the command line (stderr), table by table, with the rows written and the rate.
    # +2: cases, case_events; +1: corrections (issue 21)
    assert "[4/18] ratings ..." in release["progress"] and "[15/18] taxonomy ..." in release["progress"]
    assert re.search(r"^\[4/18\] ratings: 943 rows in [0-9.]+ s \([0-9,]+ rows/s\)$", release["progress"], re.M)
    assert "validating with frictionless" in release["progress"]


def test_the_descriptor_describes_the_package_and_every_field(release):
    package = read_json(release["path"], "datapackage.json")
    assert package["name"] == "civic-space-monitor" and package["title"]
    assert package["version"] == release["path"].name
    assert package["created"].startswith(timezone.now().strftime("%Y-%m-%d"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert any("monitor.civicus.org" in s.get("path", "") for s in package["sources"])
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == TABLES
    for resource in resources.values():
        schema = resource["schema"]
        assert schema["primaryKey"], resource["name"]
        for f in schema["fields"]:
            assert f["type"] and f["description"], (resource["name"], f["name"])
    ratings = resources["ratings"]
    assert "CIVICUS Monitor's published ratings" in ratings["description"]
    assert {s["path"] for s in ratings["sources"][1:]} == {r.source_url for r in PublishedRating.objects.all()}
    assert {"fields": ["country"], "reference": {"resource": "countries", "fields": ["code"]}} in \
        ratings["schema"]["foreignKeys"]
    assert resources["ratings"]["schema"]["primaryKey"] == ["edition", "country"]
    types = {f["name"]: f["type"] for f in ratings["schema"]["fields"]}
    assert types == {"edition": "string", "country": "string", "rating": "string", "score": "number",
                     "source_url": "string"}


def test_the_real_data_is_all_there(release):
    path = release["path"]
    assert len(read_csv(path, "countries")) == 198
    assert len(read_csv(path, "regions")) == 5
    assert len(read_csv(path, "ratings")) == PublishedRating.objects.count() == 943
    che = [r for r in read_csv(path, "ratings") if r["country"] == "CHE"]
    assert {r["edition"]: (r["rating"], r["score"]) for r in che}["2025-12"] == ("narrowed", "78.36")
    assert [r for r in read_json(path, "ratings.json")
            if r["country"] == "CHE" and r["edition"] == "2025-12"][0]["score"] == 78.36
    demo = Update.objects.get(import_key="kgz-2024-03-05")
    updates = {int(u["id"]): u for u in read_csv(path, "updates")}
    assert updates[demo.pk]["title_en"] == demo.title_en and updates[demo.pk]["title_ru"] == demo.title_ru
    assert updates[demo.pk]["title_fr"] == ""  # not translated: blank, as on the page
    incidents = read_json(path, "incidents.json")
    assert {i["id"] for i in incidents} == set(Incident.objects.filter(update__status="published")
                                             .values_list("pk", flat=True))
    assert len(read_csv(path, "bills")) == Bill.objects.count() == 2
    assert len(read_csv(path, "watchlist_editions")) == 12
    assert len(read_csv(path, "taxonomy")) == 68


def test_foreign_keys_resolve(release):
    path = release["path"]
    keys = {t: {tuple(row[k] for k in table.primary_key) for row in read_csv(path, t)}
            for t, table in ((t.name, t) for t in codebook.TABLES)}
    for table in codebook.TABLES:
        for row in read_csv(path, table.name):
            for fields, resource, ref in table.foreign_keys:
                value = tuple(row[f] for f in fields)
                if all(value):
                    assert value in keys[resource], (table.name, fields, value)
    # And frictionless checks them too: a dangling reference makes the package invalid.
    rows = read_csv(path, "incidents")
    with open(path / "incidents.csv", "a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writerow({**rows[0], "id": "999999", "update": "999999"})
    package = read_json(path, "datapackage.json")
    for resource in package["resources"]:
        resource.pop("hash"), resource.pop("bytes")
    (path / "datapackage.json").write_text(json.dumps(package))
    report = frictionless.validate(str(path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def _release_texts(path):
    for file in path.iterdir():
        if file.suffix == ".zip":
            with zipfile.ZipFile(file) as archive:
                for name in archive.namelist():
                    yield f"{file.name}:{name}", archive.read(name).decode("utf-8")
        else:
            yield file.name, file.read_text(encoding="utf-8")


def test_nothing_confidential_or_unpublished_is_in_any_file(release):
    path = release["path"]
    texts = dict(_release_texts(path))
    assert any(name.endswith(".zip:civic-space-monitor-" + path.name + "/sources.csv") for name in texts)
    for name, text in texts.items():
        for marker in (CONFIDENTIAL_TITLE, CONFIDENTIAL_NOTE, SENSITIVE_NAME, DRAFT_MARKER, PROPOSED_MARKER):
            assert marker not in text, (marker, name)
    # What is public is there: the published test update, its public source and the public victim's name.
    published = release["published"]
    assert str(published.pk) in {u["id"] for u in read_csv(path, "updates")}
    assert "Public test source" in texts["sources.csv"] and PUBLIC_NAME in texts["victims.csv"]
    victims = [v for v in read_json(path, "victims.json") if v["incident"] == published.incidents.get().pk]
    assert sorted((v["type"], v["count"], v["names"]) for v in victims) == [("journalist", 2, None),
                                                                           ("media_outlet", 1, PUBLIC_NAME)]
    # The incident lists only its public source.
    incident = [i for i in read_json(path, "incidents.json") if i["update"] == published.pk][0]
    assert incident["sources"] == [published.sources.get(confidential=False).pk]
    unpublished_ids = {str(u.pk) for u in release["unpublished"]}
    assert not unpublished_ids & {u["id"] for u in read_csv(path, "updates")}
    assert not unpublished_ids & {i["update"] for i in read_csv(path, "incidents")}
    assert not unpublished_ids & {s["update"] for s in read_csv(path, "sources")}
    assert StageEvent.objects.filter(verified=False).exists()
    assert {int(e["id"]) for e in read_csv(path, "stage_events")} == set(
        StageEvent.objects.filter(verified=True).values_list("pk", flat=True))
    # The note field of sources is never exported.
    assert "note" not in read_csv(path, "sources")[0]


def test_the_codebook_explains_every_table_and_field(release):
    path = release["path"]
    markdown = (path / "codebook.md").read_text(encoding="utf-8")
    html = (path / "codebook.html").read_text(encoding="utf-8")
    for table in codebook.TABLES:
        assert f"### {table.name}: {table.title}" in markdown
        assert f"<h3>{table.name}: {table.title}</h3>" in html
        for f in table.fields:
            assert f"| `{f.name}` |" in markdown and f"<code>{f.name}</code>" in html, (table.name, f.name)
    assert "## Changes since the previous release" in markdown and "first release" in markdown
    assert "CC-BY-4.0" in markdown


def test_the_changelog_against_the_previous_release(tmp_path, people):
    retracted = make_update(people, Status.PUBLISHED)
    first, _stdout = export(tmp_path)
    changelog = read_json(first, "changelog.json")
    assert changelog["previous_version"] is None and changelog["summary"]["incidents_added"] == 0

    # A rating corrected, an update added, one retracted, one incident corrected.
    PublishedRating.objects.filter(country__code="CHE", edition__slug="2025-12").update(rating="obstructed",
                                                                                        score=Decimal("55.00"))
    added = make_update(people, Status.PUBLISHED)
    Update.objects.filter(pk=retracted.pk).update(status=Status.RETRACTED, retraction_reason="test")
    corrected = Incident.objects.filter(update__import_key="kgz-2024-03-05").first()
    Incident.objects.filter(pk=corrected.pk).update(description_en=corrected.description_en + " (corrected)")
    # An incident is corrected too when only one of its victims changes.
    victim = (Victim.objects.filter(incident__update__status="published").exclude(incident=corrected)
              .exclude(incident__update=retracted).first())
    Victim.objects.filter(pk=victim.pk).update(count=(victim.count or 0) + 1)

    second, stdout = export(tmp_path)
    assert second.name == f"{first.name}.2"
    assert f"changelog against {first.name}" in stdout
    changelog = read_json(second, "changelog.json")
    assert changelog["version"] == second.name and changelog["previous_version"] == first.name
    assert changelog["ratings"]["changed"] == [{"edition": "2025-12", "country": "CHE",
                                                "before": {"rating": "narrowed", "score": 78.36},
                                                "after": {"rating": "obstructed", "score": 55.0}}]
    assert changelog["ratings"]["added"] == [] and changelog["ratings"]["removed"] == []
    assert [i["id"] for i in changelog["incidents"]["added"]] == [added.incidents.get().pk]
    assert [i["id"] for i in changelog["incidents"]["retracted"]] == [retracted.incidents.get().pk]
    assert [i["id"] for i in changelog["incidents"]["corrected"]] == sorted([corrected.pk, victim.incident_id])
    assert changelog["incidents"]["retracted"][0]["country"] == "KGZ"
    assert [u["id"] for u in changelog["updates"]["added"]] == [added.pk]
    assert [u["id"] for u in changelog["updates"]["retracted"]] == [retracted.pk]
    assert changelog["summary"] == {"ratings_changed": 1, "ratings_added": 0, "ratings_removed": 0,
                                    "incidents_added": 1, "incidents_corrected": 2, "incidents_retracted": 1,
                                    "updates_added": 1, "updates_corrected": 0, "updates_retracted": 1}
    markdown = (second / "codebook.md").read_text(encoding="utf-8")
    assert f"Compared with release {first.name}." in markdown
    assert "| 2025-12 | CHE | narrowed (78.36) | obstructed (55.0) |" in markdown
    assert "### Incidents retracted" in markdown
    # An export with nothing changed has an empty changelog.
    third, _stdout = export(tmp_path)
    assert set(read_json(third, "changelog.json")["summary"].values()) == {0}


def _boom():
    raise RuntimeError("the sources step failed")


def test_a_failing_step_leaves_no_release(tmp_path, monkeypatch, people):
    make_update(people, Status.PUBLISHED)
    first, _stdout = export(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    monkeypatch.setattr(selectors, "sources", _boom)
    with pytest.raises(RuntimeError, match="the sources step failed"):
        call_command("export", "--releases", str(tmp_path), stdout=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == before == [first.name]
    assert services.release_versions(tmp_path) == [first.name]


def test_an_invalid_package_is_not_released(tmp_path, monkeypatch):
    real = selectors.ratings

    def bad_ratings():
        rows = real()
        rows[0]["rating"] = "bogus"
        return rows

    monkeypatch.setattr(selectors, "ratings", bad_ratings)
    with pytest.raises(CommandError, match="not valid; no release was made"):
        call_command("export", "--releases", str(tmp_path), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def served(tmp_path, people):
    make_update(people, Status.PUBLISHED)
    releases = tmp_path / "releases"
    first, _ = export(releases)
    second, _ = export(releases)
    (tmp_path / "secret.txt").write_text("outside the releases directory")
    (releases / "stray.txt").write_text("not in a release")
    with override_settings(EXPORT_RELEASES_DIR=releases):
        yield {"dir": releases, "first": first, "second": second}


def test_the_data_page_lists_the_releases_with_their_downloads(client, served):
    response = client.get("/en/data/")
    assert response.status_code == 200
    page = response.content.decode()
    first, second = served["first"].name, served["second"].name
    assert page.index(f'id="release-{second}"') < page.index(f'id="release-{first}"')  # newest first
    for version in (first, second):
        for name in (f"civic-space-monitor-{version}.zip", "datapackage.json", "codebook.html"):
            assert f'href="/en/data/{version}/{name}"' in page
    assert "First release" in page and f"compared with {first}" in page
    assert "0 ratings changed" in page
    # In every language.
    assert client.get("/ru/data/").status_code == 200
    assert client.get("/ar/data/").status_code == 200


def test_release_files_are_served(client, served):
    version = served["second"].name
    response = client.get(f"/en/data/{version}/datapackage.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert json.loads(b"".join(response.streaming_content))["version"] == version
    response = client.get(f"/en/data/{version}/civic-space-monitor-{version}.zip")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert f"civic-space-monitor-{version}/ratings.csv" in archive.namelist()
    response = client.get(f"/en/data/{version}/codebook.html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "sandbox" in response["Content-Security-Policy"]


TRAVERSALS = [
    "/en/data/{v}/../../secret.txt", "/en/data/{v}/..%2F..%2Fsecret.txt", "/en/data/..%2Fsecret.txt/x",
    "/en/data/{v}/%2E%2E", "/en/data/../secret.txt", "/en/data/{v}/missing.csv", "/en/data/stray.txt/x",
    "/en/data/{v}/.hidden", "/en/data/{v}/link.txt", "/en/data/2020.01.01/datapackage.json",
    "/en/data/{v}%2F..%2F..%2F/secret.txt", "/en/data/{v}/%2Fetc%2Fpasswd", "/en/data/..%2F..%2F/secret.txt",
]


def test_nothing_outside_a_release_is_served(client, served):
    release = served["second"]
    (release / ".hidden").write_text("hidden")
    (release / "link.txt").symlink_to(served["dir"].parent / "secret.txt")
    for url in TRAVERSALS:
        response = client.get(url.format(v=release.name))
        assert response.status_code == 404, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"outside the releases directory" not in body and b"root:" not in body, url
    assert services.release_file(release.name, "link.txt") is None
    assert services.release_file("..", "secret.txt") is None
    assert services.release_file(release.name, "datapackage.json") == (release / "datapackage.json").resolve()


def test_export_out_dir_is_a_release_frictionless_accepts(tmp_path):
    out = tmp_path / "release"
    stdout = io.StringIO()
    stderr = io.StringIO()
    call_command("export", "--out", str(out), "--releases", str(tmp_path / "releases"), stdout=stdout,
                 stderr=stderr)
    assert "[1/" in stderr.getvalue()  # progress on the command line
    assert "Release written" in stdout.getvalue() and "[1/" not in stdout.getvalue()
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    with pytest.raises(CommandError, match="exists and is not an empty folder"):
        call_command("export", "--out", str(out), "--releases", str(tmp_path / "releases"), stdout=io.StringIO())


def test_guiding_scores_table_decomposes_each_score(release):
    rows = {r["country"]: r for r in read_csv(release["path"], "guiding_scores")}
    assert len(rows) == 198
    kgz = rows["KGZ"]
    # The transition version (2026.3) decomposes by term: previous score, implied level, changes.
    points = sum(float(kgz[f"points_{s}"]) for s in ("previous", "level", "change", "live", "clipping")
                 if kgz[f"points_{s}"])
    assert points == pytest.approx(float(kgz["score"]), abs=0.01)
    assert kgz["model"] == "transition" and kgz["published_score"] == "32.19" and kgz["points_level"] != ""
    assert kgz["no_assessments"] == "true" and kgz["points_partner"] == ""
    # Somaliland: no external index covers it; its score rests on the previous published score alone.
    assert rows["SOL"]["points_level"] == "" and rows["SOL"]["points_previous"] != ""


# --- the streaming writer (issue 17) ------------------------------------------------------------------------

def _reference_write_table(directory, table, rows):
    """The writer before the export streamed: the whole table in memory, json.dump with an indent."""
    names = [f.name for f in table.fields]
    with open(directory / f"{table.name}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        for row in rows:
            writer.writerow([services.csv_value(row[name]) for name in names])
    with open(directory / f"{table.name}.json", "w", encoding="utf-8") as fh:
        json.dump([{name: services.json_value(row[name]) for name in names} for row in rows], fh,
                  ensure_ascii=False, indent=1)
        fh.write("\n")


TRICKY = codebook.Table("tricky", "Tricky", "Every kind of value.", [
    codebook.Field("tags", "list", "A list first.", item_type="string"),
    codebook.Field("id", "integer", "Identifier.", required=True),
    codebook.Field("text", "string", "Text."),
    codebook.Field("ids", "list", "Two lists in a row.", item_type="integer"),
    codebook.Field("codes", "list", "Codes.", item_type="string"),
    codebook.Field("score", "number", "A decimal."),
    codebook.Field("ratio", "number", "A float."),
    codebook.Field("day", "date", "A date."),
    codebook.Field("at", "datetime", "A datetime."),
    codebook.Field("flag", "boolean", "A boolean."),
    codebook.Field("last", "string", "Text last."),
], ["id"])


def _tricky_rows(n):
    paris = dt.timezone(dt.timedelta(hours=1))
    texts = ["", None, "plain", 'quote " and, comma', "line\nbreak\r\nand\ttab", "ünïcødé — «» 日本 عربي",
             "\u2028\u2029 separators", "control \x01\x1f", "back\\slash", " leading space", "semi;colon"]
    for i in range(n):
        yield {"tags": [] if i % 3 else ["a", "ü", 'q"'][: i % 4], "id": i, "text": texts[i % len(texts)],
               "ids": (i, i + 1) if i % 2 else [], "codes": ["x"] if i % 5 == 0 else [],
               "score": Decimal("55.00") if i % 2 else None, "ratio": i / 7 if i % 3 else 0.1,
               "day": dt.date(2024, 1 + i % 12, 1 + i % 28) if i % 4 else None,
               "at": dt.datetime(2024, 3, 5, 10, 0, 1, 123456, tzinfo=paris) if i % 2 else None,
               "flag": bool(i % 2) if i % 3 else None, "last": texts[(i + 3) % len(texts)]}


@pytest.mark.parametrize("count", [0, 1, 7])
def test_the_streaming_writer_writes_the_same_bytes_as_the_whole_table_writer(tmp_path, monkeypatch, count):
    monkeypatch.setattr(services, "CHUNK", 3)  # several chunks
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir(), after.mkdir()
    _reference_write_table(before, TRICKY, list(_tricky_rows(count)))
    assert services.write_table(after, TRICKY, _tricky_rows(count)) == count
    for name in ("tricky.csv", "tricky.json"):
        assert (after / name).read_bytes() == (before / name).read_bytes(), name
    # Tuples (selectors.Rows) write the same as dicts.
    rows = selectors.Rows([f.name for f in TRICKY.fields], (tuple(r.values()) for r in _tricky_rows(count)))
    services.write_table(after, TRICKY, rows)
    for name in ("tricky.csv", "tricky.json"):
        assert (after / name).read_bytes() == (before / name).read_bytes(), name


def test_every_table_is_written_as_the_whole_table_writer_would(release):
    """The release's JSON files are exactly json.dump(rows, indent=1) of their rows (what the export wrote
    before it streamed), and each CSV row has the schema's columns."""
    for table in codebook.TABLES:
        text = (release["path"] / f"{table.name}.json").read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n", table.name
        with open(release["path"] / f"{table.name}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == [f.name for f in table.fields]
        assert {len(row) for row in rows} == {len(table.fields)}


def test_a_dangling_reference_anywhere_in_a_table_is_not_released(tmp_path, monkeypatch):
    """Foreign keys, primary keys and enums are checked on every row while written (frictionless reads only a
    sample): one bad row far past the sample still stops the release."""
    real = selectors.victims
    incident = Incident.objects.filter(update__status="published").values_list("pk", flat=True).first()

    def victims():
        rows = real()
        extra = [(9_000_000 + i, incident, "victim", "journalist", 1, None) for i in range(services.SAMPLE_ROWS + 10)]
        extra.append((9_999_999, 999_999, "victim", "journalist", 1, None))
        return selectors.Rows(rows.columns, itertools.chain(rows, extra))

    monkeypatch.setattr(selectors, "victims", victims)
    message = r"not valid; no release was made:\n  - victims: incident \['999999'\] not in incidents"
    with pytest.raises(CommandError, match=message):
        call_command("export", "--releases", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_the_progress_is_quiet_under_verbosity_0(tmp_path):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export", "--releases", str(tmp_path), "-v", "0", stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == ""
    assert services.release_versions(tmp_path)


@pytest.mark.parametrize("ordered", [True, False])
def test_a_repeated_primary_key_is_not_released(tmp_path, ordered):
    names = [f.name for f in TRICKY.fields]
    rows = [tuple(r.values()) for r in _tricky_rows(5)]
    rows.insert(3, rows[2])
    with pytest.raises(services.ExportError, match="primary-key"):
        services.write_table(tmp_path, TRICKY, selectors.Rows(names, iter(rows), ordered=ordered))


@pytest.mark.parametrize("body", [
    None, "", "Plain paragraph.\n\nAnother one, with *emphasis* and a [link](https://example.org).",
    "Before <!-- hidden note --> after", "A <b>tag</b> and <script>x()</script>", "a < b but > c",
    "```\n<kept in a fence>\n```\nout <i>side</i>", "`<code>` inline", "<!-- only a comment -->",
    "line\r\nbreaks\u2028and\x0bothers <br>", "-->", "<", "x <? y ?> z"])
def test_update_bodies_are_cleaned_as_clean_markdown_cleans_them(body):
    """The export skips clean_markdown for bodies without "<" (nothing in them to remove): same result."""
    from civicspace.core.text import clean_markdown

    assert selectors._clean_body(body) == (clean_markdown(body) or None)

