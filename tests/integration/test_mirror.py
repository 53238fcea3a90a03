"""The mirror kit (issue 23): a built mirror read from disk.

One mirror is built per module (English and Russian, Kyrgyzstan's pages and every other page type, every filter,
feed and search index) and crawled from disk: every internal link resolves to a file, forms that need the server
became notes, the signature verifies and one changed byte fails it, an incremental rebuild with nothing
published writes nothing; after one publication a rebuild of a copy renders only the pages it changed and
equals a fresh full build, and what the build state cannot tell leads to a full build. One more build, with canaries planted in every confidential field and unpublished
records, renders a few page types in all five languages: no marker and no unpublished address in any file."""
import html
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicspace.audit.services import audit_event_record
from civicspace.countries.models import Country
from civicspace.mirror import builder, incremental, signing
from civicspace.monitoring import services as monitoring
from civicspace.monitoring.models import Status
from tests.integration.test_leak_canary import canaries, leaks  # noqa: F401  (the canary fixture)
from tests.monitoring_fixtures import make_update, people  # noqa: F401  (the people fixture)

# The mirror is the public pages rendered to files: like the rendering browser tests, the SQLite pass runs it.
pytestmark = [pytest.mark.django_db, pytest.mark.rendering]
ATTR = re.compile(r'\s(?:href|src|action)=["\']([^"\']*)["\']')


def build(out, *, languages, key, **options):
    return builder.mirror_build(builder.Options(out=Path(out), languages=languages, **options), signing_key=key)


@pytest.fixture(scope="module")
def keys():
    private, public = signing.keypair_new()
    return {"private": private, "public": public, "key": signing.private_key_load(private)}


@pytest.fixture(scope="module")
def mirror(tmp_path_factory, django_db_setup, django_db_blocker, keys):
    out = tmp_path_factory.mktemp("mirror") / "site"
    with django_db_blocker.unblock():
        result = build(out, languages=["en", "ru"], countries=["kgz"], key=keys["key"])
    return out, result


def internal_links(root):
    """(file, link) for every link of every HTML file that is not to another site, a fragment or an e-mail."""
    for path in sorted(root.rglob("*.html")):
        for raw in ATTR.findall(path.read_text(encoding="utf-8")):
            link = html.unescape(raw)
            if not link or link.startswith(("#", "mailto:", "data:", "javascript:")) or urlsplit(link).scheme:
                continue
            yield path, link


def test_every_internal_link_of_every_page_resolves_to_a_file(mirror):
    out, result = mirror
    assert result.failed == [] and result.pages > 100
    broken = []
    for path, link in internal_links(out):
        target = (path.parent / unquote(urlsplit(link).path)).resolve()
        if link.startswith("/") or not target.is_file() or out.resolve() not in target.parents:
            broken.append(f"{path.relative_to(out)} -> {link}")
    assert broken == []


def test_the_mirror_holds_every_page_type_filter_feed_and_release(mirror):
    out, _result = mirror
    for rel in ["index.html", "en/index.html", "ru/countries/kgz/index.html", "en/countries/index.html",
                "en/countries/rating-repressed/index.html", "en/countries/region-europe-central-asia/index.html",
                "en/updates/country-kgz/index.html", "en/updates/page-2/index.html", "en/laws/index.html",
                "en/laws/country-kgz/index.html", "en/ratings/repressed/edition-2023-12/index.html",
                "en/watchlist/index.html", "en/methodology/index.html", "en/accessibility/index.html",
                "en/cases/index.html", "en/data/index.html", "en/mirrors/index.html", "ru/search/index.html",
                "en/updates/feed.xml", "en/laws/feed.xml", "en/watchlist/feed.xml", "favicon.ico",
                "static/civicspace/site.css", "search/index-ru.js", "mirror-search.js"]:
        assert (out / rel).is_file(), rel
    home = (out / "en/index.html").read_text(encoding="utf-8")
    assert 'href="countries/kgz/index.html"' in home  # the map's link to a rendered country
    updates = (out / "en/updates/index.html").read_text(encoding="utf-8")
    assert "<form" not in updates and "this form needs the live site" in updates
    assert 'href="country-kgz/index.html"' in updates  # the filter form became links to the filtered pages
    ru = (out / "ru/updates/index.html").read_text(encoding="utf-8")
    assert "для этой формы нужен действующий сайт" in ru
    # Pagefind's index per language (from <html lang>), and the word index that works from file://.
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert {"en", "ru"} <= set(entry["languages"])
    assert "кыргызстан" in (out / "search/index-ru.js").read_text(encoding="utf-8")


def test_signature_verifies_and_one_changed_byte_fails(mirror, keys, tmp_path):
    out, result = mirror
    stdout = io.StringIO()
    call_command("mirror", "verify", str(out), "--key", keys["public"], stdout=stdout)
    assert f"all {result.files} files match" in stdout.getvalue()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["generation"] is not None and manifest["files"]["en/index.html"]["size"] > 0
    page = out / "en/countries/kgz/index.html"
    original = page.read_bytes()
    extra = out / "en/extra.html"
    try:
        page.write_bytes(original[:100] + bytes([original[100] ^ 1]) + original[101:])
        with pytest.raises(CommandError, match="1 changed"):
            call_command("mirror", "verify", str(out), "--key", keys["public"], stdout=io.StringIO())
        page.write_bytes(original)
        extra.write_text("x")
        report = signing.mirror_verify(out, signing.public_key_load(keys["public"]))
        assert report["extra"] == ["en/extra.html"] and not signing.verify_ok(report)
    finally:
        page.write_bytes(original)
        extra.unlink(missing_ok=True)
    other_public = signing.keypair_new()[1]
    assert not signing.verify_ok(signing.mirror_verify(out, signing.public_key_load(other_public)))


def test_an_incremental_rebuild_with_nothing_published_renders_nothing(mirror, keys):
    out, _result = mirror
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    again = build(out, languages=["en", "ru"], countries=["kgz"], key=keys["key"], incremental=True)
    assert again.skipped and again.rendered == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.html")} == before


def test_build_without_a_signing_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("MIRROR_SIGNING_KEY", raising=False)
    with pytest.raises(CommandError, match="MIRROR_SIGNING_KEY"):
        call_command("mirror", "build", "--out", str(tmp_path / "m"), stdout=io.StringIO())
    assert not (tmp_path / "m").exists()


def test_five_languages_carry_no_canary_and_no_unpublished_item(canaries, keys, tmp_path):  # noqa: F811
    out = tmp_path / "mirror"
    result = build(out, languages=["en", "ru", "fr", "es", "ar"], countries=["kgz"], key=keys["key"],
                   only=["pages", "updates", "laws", "watchlist", "press-releases", "cases"], pagefind=False)
    assert result.failed == []
    for lang in ["en", "ru", "fr", "es", "ar"]:
        assert (out / lang / "index.html").is_file() and (out / lang / "updates/index.html").is_file()
    assert 'dir="rtl"' in (out / "ar/index.html").read_text(encoding="utf-8")
    published = canaries["updates"]["published"]
    assert (out / f"en/updates/{published.pk}/index.html").is_file()  # the published canary update is there
    found = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        text = rel + "\n" + path.read_bytes().decode("utf-8", "replace")
        hits = leaks(text, canaries["planted"], canaries["hidden"])
        if hits:
            found[rel] = hits
    assert found == {}


def timeless(path):
    """A file's bytes; a feed without entries says it was updated at the time it was built (Django's default)."""
    data = path.read_bytes()
    if path.suffix == ".xml" and b"<entry>" not in data and b"<item>" not in data:
        data = re.sub(rb"<(updated|lastBuildDate)>[^<]*</\1>", b"", data)
    return data


def test_after_one_publication_an_incremental_rebuild_renders_only_its_pages(mirror, keys, people, tmp_path):
    """Publish one Kyrgyz update through the service, rebuild the module's mirror (a copy) incrementally: its
    own pages, its country's, the lists it is on and the hub pages are rendered, nothing else, and the result is
    the same, byte for byte, as a fresh full build of the same state."""
    out, first = mirror
    rebuilt, fresh = tmp_path / "rebuilt", tmp_path / "fresh"
    shutil.copytree(out, rebuilt)
    # The build's state lives beside the folder, never in it (it holds audit event ids, which are not public).
    assert not (out / "build-state.json").exists() and incremental.state_path(out).is_file()
    shutil.copy(incremental.state_path(out), incremental.state_path(rebuilt))
    people["editor"].profile.countries.set(Country.objects.filter(code="KGZ"))
    update = monitoring.update_transition(update=make_update(people, Status.VERIFIED), actor=people["editor"],
                                          name="publish")
    options = {"languages": ["en", "ru"], "countries": ["kgz"], "key": keys["key"]}
    progress = []
    again = build(rebuilt, incremental=True, progress=progress.append, **options)
    assert not again.full and again.failed == [], again.reason
    assert any(re.search(r"pages \d+ done / 0 to do", line) for line in progress)
    rendered = set(again.rendered_urls)
    own = {f"/{lang}/updates/{update.pk}/" for lang in ("en", "ru")}
    assert own | {"/en/countries/kgz/", "/ru/countries/kgz/", "/en/", "/ru/", "/en/updates/",
                  "/en/updates/?country=kgz", "/en/updates/feed/"} <= rendered
    other_items = {url for url in rendered if re.fullmatch(r"/\w\w/(updates|laws|cases)/\d+/", url)} - own
    assert other_items == set()  # no other update's, law's or case's page
    assert not any("violation=" in url and "raid_search" not in url for url in rendered)
    assert not any(re.match(r"/\w\w/(watchlist|ratings)/.+/", url) for url in rendered)  # editions: no update
    assert again.rendered < first.rendered / 3

    full = build(fresh, **options)
    assert full.full and full.rendered > again.rendered
    files = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()
                   and not p.relative_to(fresh).as_posix().startswith("pagefind/"))
    assert files == sorted(p.relative_to(rebuilt).as_posix() for p in rebuilt.rglob("*") if p.is_file()
                           and not p.relative_to(rebuilt).as_posix().startswith("pagefind/"))
    different = [rel for rel in files if rel not in ("manifest.json", "manifest.json.sig")
                 and timeless(fresh / rel) != timeless(rebuilt / rel)]
    assert different == []
    manifests = [json.loads((root / "manifest.json").read_text()) for root in (fresh, rebuilt)]
    for manifest in manifests:  # the same files (their bytes compared above), the same generation and options
        del manifest["built_at"]
        manifest["files"] = sorted(rel for rel in manifest["files"] if not rel.startswith("pagefind/"))
    assert manifests[0] == manifests[1]
    assert signing.verify_ok(signing.mirror_verify(rebuilt, signing.public_key_load(keys["public"])))


def test_an_incremental_rebuild_falls_back_to_a_full_one_when_the_state_cannot_tell(mirror):
    from civicspace.pagecache.services import generation_bump

    out, _result = mirror
    state = incremental.state_read(out)
    meta = {"code": state["code"], "settings": state["settings"]}

    def reason(state, meta=meta, filters=state["filters"]):
        plan, why = incremental.plan_make(state, meta=meta, filters=filters, say=lambda _msg: None)
        assert plan is None
        return why

    assert reason(None) == "no build state in the folder"
    assert reason(state, meta={**meta, "code": "another"}) == "another code version built this mirror"
    assert reason(state, meta={**meta, "settings": "other"}) == "other build settings"
    assert "filtered lists changed" in reason(state, filters="other")
    Country.objects.filter(code="KGZ").update(name_en="Kyrgyz Republic")  # a change outside the services ...
    generation_bump()
    assert "without an audit event" in reason(state)
    audit_event_record(action="ratings.draft_publish", target=Country.objects.get(code="KGZ"))
    assert "cannot place (ratings.draft_publish)" in reason(state)
