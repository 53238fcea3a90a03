"""Synthetic benchmark dataset: `python -m bench.generate [--scale 1] [--seed N] [--database URL]`.

At scale 1 (ten times today's real volume): the real 198 countries and every real rating edition (from
load_reference_data), plus 50,000 updates and 500,000 incidents over 20 years, skewed over countries (by a
Zipf law and the country's rating), violation types and dates (growing volume, crisis bursts), text in all five
languages, 2,000 bills with valid stage timelines and 60 Watchlist editions, then the search index.

Everything generated is marked synthetic: titles start with "[SYNTHETIC]", every update belongs to the
organisation "Synthetic benchmark data", every import_key and edition slug starts with "synthetic". The
database is rebuilt from scratch (migrations + reference data) and must be a benchmark database: a SQLite file
or a PostgreSQL database whose name contains "bench". It refuses the demo database var/civicspace.sqlite3.

Deterministic from the seed: the same seed and scale give the same rows with the same ids. Rows are written
in batches with the product's bulk writer (core/upsert.bulk_insert: COPY on PostgreSQL, executemany on
SQLite; no per-row signals, no history rows, no search dirty marks) and the search index is built once at
the end with the project's own document builders and engine. Progress on stderr.
"""
import argparse
import bisect
import datetime as dt
import functools
import io
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
DEFAULT_SQLITE_URL = f"sqlite:///{BENCH_VAR / 'bench.sqlite3'}"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/civicspace_bench"
DEMO_DB = ROOT / "var" / "civicspace.sqlite3"
DEFAULT_SEED = 20261127

FULL_SCALE = {"updates": 50_000, "incidents": 500_000, "bills": 2_000, "editions": 60}
START = dt.date(2006, 1, 1)  # 20 years of history
END = dt.date(2025, 10, 31)  # fixed (not "today") so that the data does not depend on the day it is built
BATCH = 1_000  # updates per batch (about 10,000 incidents)


# ------------------------------------------------------------------------------------------------ progress

class Progress:
    """One line per phase on stderr, rewritten at most every half second: done/total, rate, elapsed."""

    def __init__(self, phase, total, stream=sys.stderr):
        self.phase, self.total, self.stream = phase, total, stream
        self.started = self.shown = time.monotonic()
        self.done = 0

    def advance(self, n=1):
        self.done += n
        now = time.monotonic()
        if now - self.shown >= 0.5:
            self.shown = now
            self._show(now, end="")

    def _show(self, now, end):
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed else 0
        self.stream.write(f"\r  {self.phase}: {self.done:,}/{self.total:,} ({rate:,.0f}/s, {elapsed:.1f}s)   {end}")
        self.stream.flush()

    def finish(self):
        now = time.monotonic()
        self._show(now, end="\n")  # the final line, kept
        return now - self.started


def say(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# ------------------------------------------------------------------------------------------ database setup

def check_bench_database(url):
    """Refuse anything but a benchmark database: synthetic data never reaches the demo database."""
    import dj_database_url

    config = dj_database_url.parse(url)
    name = str(config.get("NAME") or "")
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(name).resolve()
        if path == DEMO_DB.resolve() or "bench" not in path.name:
            raise SystemExit(f"refusing {path}: the benchmark SQLite file's name must contain 'bench' "
                             f"(and it is never {DEMO_DB})")
        return "sqlite", config
    if config["ENGINE"].endswith("postgresql"):
        if "bench" not in name:
            raise SystemExit(f"refusing PostgreSQL database {name!r}: its name must contain 'bench'")
        return "postgresql", config
    raise SystemExit(f"unsupported database {url}")


def recreate_database(url):
    """Drop and create the benchmark database (before Django connects to it)."""
    vendor, config = check_bench_database(url)
    if vendor == "sqlite":
        path = Path(config["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    admin = psycopg.connect(host=config.get("HOST") or "127.0.0.1", port=config.get("PORT") or 5432,
                            user=config.get("USER") or "postgres", password=config.get("PASSWORD") or None,
                            dbname="postgres", autocommit=True)
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def setup_django(url):
    check_bench_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicspace.settings.embedded")
    import django

    django.setup()


# ------------------------------------------------------------------------------------------ bulk writes

def bulk_write(model, objs):
    """The rows of model instances through the product's bulk writer (civicspace.core.upsert.bulk_insert: COPY
    on PostgreSQL, executemany on SQLite), with the values bulk_create would write (each field's pre_save);
    auto ids are left to the database when the instances have none (many-to-many rows)."""
    from civicspace.core.upsert import bulk_insert

    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objs[0].pk is None)]
    bulk_insert(model, [f.attname for f in fields], ([f.pre_save(obj, True) for f in fields] for obj in objs))


# ------------------------------------------------------------------------------------------ distributions

def zipf_weights(n, exponent):
    return [1.0 / (rank + 1) ** exponent for rank in range(n)]


class Picker:
    """Weighted choice with precomputed cumulative weights (random.choices recomputes them every call)."""

    def __init__(self, rng, items, weights):
        self.rng, self.items = rng, list(items)
        self.cum, total = [], 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self):
        return self.items[bisect.bisect_right(self.cum, self.rng.random() * self.total)]


RATING_WEIGHT = {"closed": 3.0, "repressed": 4.0, "obstructed": 2.0, "narrowed": 1.0, "open": 0.3}
LANGUAGE_WEIGHTS = {"en": 50, "ru": 20, "fr": 12, "es": 12, "ar": 6}


def scaled(scale):
    counts = {k: max(1, round(v * scale)) for k, v in FULL_SCALE.items()}
    counts["incidents"] = max(counts["incidents"], counts["updates"])
    return counts


# ------------------------------------------------------------------------------------------------ generator

class Generator:
    def __init__(self, *, seed, scale):
        self.rng = random.Random(seed)
        self.seed, self.scale = seed, scale
        self.counts = scaled(scale)
        self.timings = {}

    # --- reference rows --------------------------------------------------------------------------------
    def load_reference(self):
        from civicspace.countries.models import Country
        from civicspace.monitoring.models import Term
        from civicspace.ratings.models import PublishedRating

        self.countries = list(Country.objects.order_by("code"))
        current = {}
        for country_id, rating in (PublishedRating.objects.order_by("edition__published")
                                   .values_list("country_id", "rating")):
            current[country_id] = rating
        order = self.countries[:]
        self.rng.shuffle(order)  # a seeded, arbitrary order: Zipf rank is not alphabetical
        weights = [w * RATING_WEIGHT.get(current.get(c.pk), 1.0) for w, c in zip(zipf_weights(len(order), 0.8), order)]
        self.country_weight = dict(zip((c.pk for c in order), weights))
        self.pick_country = Picker(self.rng, order, weights)
        terms = defaultdict(list)
        for term in Term.objects.order_by("vocabulary", "position", "code"):
            terms[term.vocabulary].append(term)
        violations = terms["violation"][:]
        self.rng.shuffle(violations)
        self.pick_violation = Picker(self.rng, violations, zipf_weights(len(violations), 1.1))
        self.pick_positive = Picker(self.rng, terms["positive"], zipf_weights(len(terms["positive"]), 0.7))
        perpetrators = terms["perpetrator"][:]
        self.rng.shuffle(perpetrators)
        self.pick_perpetrator = Picker(self.rng, perpetrators, zipf_weights(len(perpetrators), 1.0))
        victims = terms["victim"][:]
        self.rng.shuffle(victims)
        self.pick_victim = Picker(self.rng, victims, zipf_weights(len(victims), 0.9))
        self.freedoms = terms["freedom"]
        self.pick_language = Picker(self.rng, list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()))
        # Crisis periods: each country has 1-3 dates around which a third of its updates cluster.
        days = (END - START).days
        self.crises = {c.pk: [START + dt.timedelta(days=self.rng.randrange(days)) for _ in range(self.rng.randint(1, 3))]
                       for c in self.countries}

    def random_date(self, country_id):
        rng = self.rng
        if rng.random() < 0.33:
            centre = rng.choice(self.crises[country_id])
            when = centre + dt.timedelta(days=int(rng.gauss(0, 45)))
        else:
            # Volume grows over the years: more recent dates are likelier.
            when = START + dt.timedelta(days=int((END - START).days * rng.random() ** 0.6))
        return min(max(when, START), END)

    # --- text ------------------------------------------------------------------------------------------
    def _names(self, country):
        from bench.texts import LANGS
        return {lang: getattr(country, f"name_{lang}") or country.name_en or country.name for lang in LANGS}

    def update_texts(self, country):
        from bench import texts as T

        rng = self.rng
        names = self._names(country)
        t, w, c = rng.randrange(4), rng.randrange(len(T.WHAT["en"])), rng.randrange(len(T.CONTEXT["en"]))
        sentences = [rng.randrange(len(T.SENTENCE["en"])) for _ in range(rng.randint(2, 5))]
        n = rng.randint(2, 60)
        out = {}
        for lang in T.LANGS:
            title = T.TITLE[lang][t].format(country=names[lang], what=T.WHAT[lang][w], context=T.CONTEXT[lang][c])
            out[f"title_{lang}"] = f"{T.SYNTHETIC_MARK} {title}"[:250]
            out[f"summary_{lang}"] = T.SENTENCE[lang][sentences[0]].format(n=n)
            out[f"body_{lang}"] = "\n\n".join(T.SENTENCE[lang][s].format(n=n) for s in sentences)
        return out

    def incident_texts(self):
        from bench import texts as T

        rng = self.rng
        s, n = rng.randrange(len(T.SENTENCE["en"])), rng.randint(2, 60)
        o = rng.randrange(len(T.OUTCOME["en"])) if rng.random() < 0.5 else None
        out = {}
        for lang in T.LANGS:
            out[f"description_{lang}"] = f"{T.SYNTHETIC_MARK} {T.SENTENCE[lang][s].format(n=n)}"
            out[f"outcome_{lang}"] = T.OUTCOME[lang][o] if o is not None else ""
        return out

    def translation_status(self, original):
        from bench.texts import LANGS

        return {lang: ("reviewed" if self.rng.random() < 0.7 else "draft") for lang in LANGS if lang != original}

    # --- updates and incidents -------------------------------------------------------------------------
    def generate_updates(self, organisation):
        from django.db import transaction

        from civicspace.monitoring.models import Incident, Source, Status, Update, Victim, type_ids_text

        rng, U, N = self.rng, self.counts["updates"], self.counts["incidents"]
        # Incidents per update: a heavy-tailed weight per update, then exactly N incidents spread over them.
        update_weights = [rng.paretovariate(1.8) for _ in range(U)]
        pick_update = Picker(rng, range(U), update_weights)
        per_update = Counter(pick_update() for _ in range(N))
        statuses = Picker(rng, [Status.PUBLISHED, Status.RETRACTED, Status.DRAFT, Status.SUBMITTED], [95, 2, 1.5, 1.5])
        freedom_ids = {f.pk for f in self.freedoms}
        self.updates_by_country = defaultdict(list)
        self.first_incident = {}
        progress = Progress("updates + incidents", N)
        update_id = incident_id = source_id = 1
        victim_id = 1
        for start in range(0, U, BATCH):
            updates, sources, incidents, victims = [], [], [], []
            u_freedoms, i_freedoms, i_types, i_perps = [], [], [], []
            for index in range(start, min(U, start + BATCH)):
                country = self.pick_country()
                when = self.random_date(country.pk)
                original = self.pick_language()
                status = statuses()
                published_at = (dt.datetime.combine(when + dt.timedelta(days=rng.randint(1, 20)), dt.time(12),
                                                    tzinfo=dt.timezone.utc)
                                if status in (Status.PUBLISHED, Status.RETRACTED) else None)
                texts = self.update_texts(country)
                texts.update(title=texts[f"title_{original}"], summary=texts[f"summary_{original}"],
                             body=texts[f"body_{original}"])
                updates.append(Update(
                    id=update_id, country_id=country.pk, date=when, original_language=original,
                    translation_status=self.translation_status(original), organisation_id=organisation.pk,
                    status=status, published_at=published_at,
                    retraction_reason="[SYNTHETIC] retracted" if status == Status.RETRACTED else "",
                    import_key=f"synthetic:update:{update_id}", **texts))
                self.updates_by_country[country.pk].append(update_id)
                sources.append(Source(id=source_id, update_id=update_id, title=f"[SYNTHETIC] source {source_id}",
                                      publisher="Synthetic benchmark data", date=when,
                                      url=f"https://example.org/synthetic/{source_id}", language=original))
                source_id += 1
                self.first_incident[update_id] = (incident_id, per_update.get(index, 0))
                update_freedoms = set()
                for _ in range(per_update.get(index, 0)):
                    types = [self.pick_positive() if rng.random() < 0.08 else self.pick_violation()]
                    if rng.random() < 0.3:
                        extra = self.pick_violation()
                        if extra.pk != types[0].pk:
                            types.append(extra)
                    precision = "day" if rng.random() < 0.8 else ("month" if rng.random() < 0.75 else "year")
                    incident_date = max(START, when - dt.timedelta(days=int(rng.expovariate(1 / 12))))
                    incidents.append(Incident(
                        id=incident_id, update_id=update_id, date=incident_date, date_precision=precision,
                        place_precision="country", type_ids=type_ids_text(t.pk for t in types),
                        **self._incident_text_fields()))
                    freedoms = {t.freedom_id for t in types if t.freedom_id in freedom_ids}
                    update_freedoms |= freedoms
                    i_freedoms += [Incident.freedoms.through(incident_id=incident_id, term_id=f) for f in sorted(freedoms)]
                    i_types += [Incident.types.through(incident_id=incident_id, term_id=t.pk) for t in types]
                    perps = {self.pick_perpetrator().pk for _ in range(rng.choice((0, 1, 1, 1, 2)))}
                    i_perps += [Incident.perpetrators.through(incident_id=incident_id, term_id=p) for p in sorted(perps)]
                    for _ in range(rng.choice((0, 1, 1, 2))):
                        count = min(2000, int(rng.paretovariate(1.3)))
                        victims.append(Victim(id=victim_id, incident_id=incident_id, type_id=self.pick_victim().pk,
                                              count=count, names="", names_sensitive=True))
                        victim_id += 1
                    incident_id += 1
                if not update_freedoms:
                    update_freedoms = {rng.choice(self.freedoms).pk}
                u_freedoms += [Update.freedoms.through(update_id=update_id, term_id=f) for f in sorted(update_freedoms)]
                update_id += 1
            with transaction.atomic():
                bulk_write(Update, updates)
                bulk_write(Source, sources)
                bulk_write(Update.freedoms.through, u_freedoms)
                bulk_write(Incident, incidents)
                bulk_write(Incident.freedoms.through, i_freedoms)
                bulk_write(Incident.types.through, i_types)
                bulk_write(Incident.perpetrators.through, i_perps)
                bulk_write(Victim, victims)
            progress.advance(len(incidents))
        progress.finish()

    def _incident_text_fields(self):
        fields = self.incident_texts()
        fields.update(description=fields["description_en"], outcome=fields["outcome_en"])
        return fields

    # --- bills -----------------------------------------------------------------------------------------
    MAIN_PATH = ("drafted", "introduced", "committee", "first_reading", "second_reading", "third_reading",
                 "passed_legislature", "signed", "published", "in_force")

    def bill_timeline(self):
        from civicspace.legislation import timeline

        rng = self.rng
        length = rng.randint(1, len(self.MAIN_PATH))
        path = list(self.MAIN_PATH[rng.randrange(2):length]) or ["introduced"]
        if "signed" not in path and rng.random() < 0.25:
            path.append(rng.choice(("withdrawn", "lapsed")))
        elif path[-1] == "in_force" and rng.random() < 0.1:
            path.append(rng.choice(("repealed", "struck_down", "amended")))
        when = START + dt.timedelta(days=rng.randrange((END - START).days))
        events = []
        for stage in path:
            if when > END:
                break
            events.append((stage, when))
            when += dt.timedelta(days=rng.randint(7, 150))
        assert not timeline.validate(events, today=END), events
        return events

    def generate_bills(self):
        from django.db import transaction

        from bench import texts as T
        from civicspace.legislation.models import Bill, BillSource, Category, Direction, StageEvent

        rng, B = self.rng, self.counts["bills"]
        categories = Picker(rng, [c.value for c in Category], [5, 3, 3, 2, 2, 2, 1, 1])
        directions = Picker(rng, [d.value for d in Direction], [80, 12, 8])
        bills, sources, events, b_freedoms, b_updates, b_incidents = [], [], [], [], [], []
        progress = Progress("bills", B)
        event_id = 1
        for bill_id in range(1, B + 1):
            country = self.pick_country()
            names = self._names(country)
            t, topic = rng.randrange(3), rng.randrange(len(T.BILL_TOPIC["en"]))
            original = self.pick_language()
            texts = {}
            for lang in T.LANGS:
                title = T.BILL_TITLE[lang][t].format(topic=T.BILL_TOPIC[lang][topic])
                texts[f"short_title_{lang}"] = f"{T.SYNTHETIC_MARK} {title}"[:200]
                texts[f"official_title_{lang}"] = f"{T.SYNTHETIC_MARK} {title} ({names[lang]})"[:500]
                texts[f"summary_{lang}"] = T.SENTENCE[lang][4].format(n=0)
            texts.update(short_title=texts[f"short_title_{original}"], official_title=texts[f"official_title_{original}"],
                         summary=texts[f"summary_{original}"])
            bills.append(Bill(id=bill_id, country_id=country.pk, original_language=original,
                              translation_status=self.translation_status(original), number=f"SYN-{bill_id}",
                              category=categories(), direction=directions(),
                              passed_with_improvements=rng.random() < 0.05,
                              import_key=f"synthetic:bill:{bill_id}", **texts))
            timeline = self.bill_timeline()
            sources.append(BillSource(id=bill_id, bill_id=bill_id, title=f"[SYNTHETIC] text of bill {bill_id}",
                                      date=timeline[0][1], url=f"https://example.org/synthetic/bill/{bill_id}",
                                      is_text=True))
            for stage, when in timeline:
                events.append(StageEvent(id=event_id, bill_id=bill_id, stage=stage, date=when,
                                         verified=rng.random() < 0.95, source_id=bill_id,
                                         note_en="[SYNTHETIC]"))
                event_id += 1
            b_freedoms.append(Bill.freedoms.through(bill_id=bill_id, term_id=rng.choice(self.freedoms).pk))
            candidates = self.updates_by_country.get(country.pk, [])
            for update_id in sorted(set(rng.sample(candidates, min(len(candidates), rng.randint(0, 3))))):
                b_updates.append(Bill.updates.through(bill_id=bill_id, update_id=update_id))
                first, count = self.first_incident[update_id]
                if count:
                    b_incidents.append(Bill.incidents.through(bill_id=bill_id, incident_id=first))
            progress.advance()
        with transaction.atomic():
            bulk_write(Bill, bills)
            bulk_write(BillSource, sources)
            bulk_write(StageEvent, events)
            bulk_write(Bill.freedoms.through, b_freedoms)
            bulk_write(Bill.updates.through, b_updates)
            bulk_write(Bill.incidents.through, b_incidents)
            # bulk_create sends no signal: store each bill's current stage by the one rule
            from civicspace.legislation.services import bill_stage_refresh

            bill_stage_refresh(bill_ids=[bill.id for bill in bills])
        progress.finish()

    # --- Watchlist -------------------------------------------------------------------------------------
    def generate_watchlist(self):
        from django.db import transaction

        from bench import texts as T
        from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry

        rng, E = self.rng, self.counts["editions"]
        editions, entries = [], []
        span = (END - START).days
        progress = Progress("watchlist editions", E)
        entry_id = 1
        for number in range(E):
            target = START + dt.timedelta(days=int(span * (number + 0.5) / E))
            edition_id = number + 1
            texts = {f"pr_title_{lang}": f"{T.SYNTHETIC_MARK} {T.WATCHLIST_TITLE[lang]}" for lang in T.LANGS}
            editions.append(WatchlistEdition(
                id=edition_id, slug=f"synthetic-{target.isoformat()}", target_date=target,
                status=WatchlistEdition.Status.PUBLISHED,
                published_at=dt.datetime.combine(target, dt.time(9), tzinfo=dt.timezone.utc),
                pr_title=texts["pr_title_en"], source_note="Synthetic benchmark data",
                import_key=f"synthetic:watchlist:{edition_id}", **texts))
            chosen, size = [], rng.randint(5, 8)
            while len(chosen) < size:
                country = self.pick_country()
                if country not in chosen:
                    chosen.append(country)
            for position, country in enumerate(chosen):
                w1, w2 = rng.sample(range(len(T.WHAT["en"])), 2)
                rationale = {f"rationale_{lang}": f"{T.SYNTHETIC_MARK} " + T.RATIONALE[lang].format(
                    what=T.WHAT[lang][w1], what2=T.WHAT[lang][w2]) for lang in T.LANGS}
                entries.append(WatchlistEntry(id=entry_id, edition_id=edition_id, country_id=country.pk,
                                              position=position, rationale=rationale["rationale_en"],
                                              note="Synthetic benchmark data", **rationale))
                entry_id += 1
            progress.advance()
        with transaction.atomic():
            # Real editions from the reference data come first; synthetic ids follow them.
            offset = (WatchlistEdition.objects.order_by("-id").values_list("id", flat=True).first() or 0)
            entry_offset = (WatchlistEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0)
            for edition in editions:
                edition.id += offset
            for entry in entries:
                entry.id += entry_offset
                entry.edition_id += offset
            bulk_write(WatchlistEdition, editions)
            bulk_write(WatchlistEntry, entries)
        progress.finish()

    # --- the rest --------------------------------------------------------------------------------------
    def reset_sequences(self):
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import connection

        if connection.vendor != "postgresql":
            return
        models = [m for m in apps.get_models(include_auto_created=True)
                  if m._meta.app_label in ("monitoring", "legislation", "watchlist", "search")]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def build_search_index(self):
        """The index built once with the product's bulk rebuild (civicspace.search.services.index_rebuild_all:
        batches of records per transaction, executemany / COPY, stems memoised for the run)."""
        from django.db import connection

        from civicspace.search import services, text

        # Snowball in pure Python costs ~40 us a word; the synthetic vocabulary is small, so memoise stems.
        if not hasattr(text.stem, "cache_info"):
            text.stem = functools.lru_cache(maxsize=200_000)(text.stem)
        postgres = connection.vendor == "postgresql"
        if postgres:
            # Maintaining the GIN index row by row is slower than building it once at the end (a generator's
            # freedom: the site's rebuild keeps the index usable meanwhile).
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
                cursor.execute("DROP INDEX IF EXISTS search_document_vector")
        progress = Progress("search index (records)", 0)

        def advance(done, total, _label):
            progress.total = total
            progress.advance(done - progress.done)

        documents = services.index_rebuild_all(progress=advance)
        progress.finish()
        with connection.cursor() as cursor:
            if postgres:
                say("  search index: building the GIN index")
                cursor.execute("CREATE INDEX search_document_vector ON search_document USING gin (vector)")
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")
        return documents

    def run(self, *, search=True):
        from django.core.management import call_command
        from django.db import connection

        from bench import texts as T
        from civicspace.monitoring.models import Organisation

        t0 = time.monotonic()
        say(f"Benchmark data (seed {self.seed}, scale {self.scale}) into {connection.vendor} "
            f"{connection.settings_dict['NAME']}: {self.counts}")
        say("  schema: migrate + load_reference_data (real countries and ratings)")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_reference_data", stdout=io.StringIO())
        self.timings["schema_s"] = round(time.monotonic() - t0, 2)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        t1 = time.monotonic()
        self.load_reference()
        organisation = Organisation.objects.create(
            slug=T.ORGANISATION_SLUG, name=T.ORGANISATION_NAME,
            description="[SYNTHETIC] Generated by bench/generate.py for benchmarks; not real data.",
            website="https://example.org/synthetic")
        self.generate_updates(organisation)
        self.generate_bills()
        self.generate_watchlist()
        self.timings["load_s"] = round(time.monotonic() - t1, 2)
        if search:
            t2 = time.monotonic()
            self.timings["search_documents"] = self.build_search_index()
            self.timings["index_s"] = round(time.monotonic() - t2, 2)
        self.reset_sequences()
        self.timings["total_s"] = round(time.monotonic() - t0, 2)
        say(f"  done in {self.timings['total_s']}s: {self.timings}")
        return self.timings


def row_counts():
    from civicspace.legislation.models import Bill, StageEvent
    from civicspace.monitoring.models import Incident, Update, Victim
    from civicspace.search.models import SearchDocument
    from civicspace.watchlist.models import WatchlistEdition

    return {"updates": Update.objects.count(), "incidents": Incident.objects.count(),
            "victims": Victim.objects.count(), "bills": Bill.objects.count(),
            "stage_events": StageEvent.objects.count(),
            "watchlist_editions": WatchlistEdition.objects.filter(slug__startswith="synthetic-").count(),
            "search_documents": SearchDocument.objects.count()}


def meta_path(url):
    vendor, config = check_bench_database(url)
    if vendor == "sqlite":
        return Path(config["NAME"]).with_suffix(".meta.json")
    return BENCH_VAR / f"{config['NAME']}.meta.json"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_SQLITE_URL,
                        help=f"benchmark database URL (default {DEFAULT_SQLITE_URL}; e.g. {DEFAULT_PG_URL})")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 50,000 updates and 500,000 incidents")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-search", action="store_true", help="skip building the search index")
    parser.add_argument("--if-missing", action="store_true",
                        help="do nothing when this database was already generated with the same seed and scale")
    parser.add_argument("--reindex-only", action="store_true",
                        help="keep the rows of an already generated database and rebuild only its search index "
                             "(after the search code changed, or when the index build was interrupted)")
    args = parser.parse_args(argv)
    meta_file = meta_path(args.database)
    wanted = {"seed": args.seed, "scale": args.scale, "search": not args.no_search}
    vendor, config = check_bench_database(args.database)
    if args.reindex_only:
        return reindex_only(args, meta_file, wanted)
    if args.if_missing and meta_file.exists() and (vendor != "sqlite" or Path(config["NAME"]).exists()):
        meta = json.loads(meta_file.read_text())
        if all(meta.get(k) == v for k, v in wanted.items()):
            say(f"Benchmark data already generated ({meta_file}); skipping")
            return 0
    meta_file.unlink(missing_ok=True)
    recreate_database(args.database)
    setup_django(args.database)
    timings = Generator(seed=args.seed, scale=args.scale).run(search=not args.no_search)
    meta_file.parent.mkdir(parents=True, exist_ok=True)
    meta_file.write_text(json.dumps({**wanted, "timings": timings, "counts": row_counts()}, indent=1) + "\n")
    return 0


def reindex_only(args, meta_file, wanted):
    """The search index of a database whose rows are already generated, rebuilt; the meta file says so."""
    from django.db import connection

    setup_django(args.database)
    from civicspace.search.models import SearchDocument

    previous = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    generator = Generator(seed=args.seed, scale=args.scale)
    say(f"Rebuilding the search index of {connection.vendor} {connection.settings_dict['NAME']} (rows kept)")
    with connection.cursor() as cursor:  # whole tables at once (the ORM would delete 2.6 million rows one batch at a time)
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM search_document_fts")
            cursor.execute("DROP TRIGGER IF EXISTS search_document_fts_delete")
            cursor.execute(f"DELETE FROM {SearchDocument._meta.db_table}")
            cursor.execute("CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document BEGIN "
                           "DELETE FROM search_document_fts WHERE rowid = old.id; END")
        else:
            cursor.execute(f"TRUNCATE {SearchDocument._meta.db_table}")
    started = time.monotonic()
    timings = {**previous.get("timings", {}), "search_documents": generator.build_search_index(),
               "index_s": round(time.monotonic() - started, 2), "index_rebuilt_alone": True}
    generator.reset_sequences()
    meta_file.parent.mkdir(parents=True, exist_ok=True)
    meta_file.write_text(json.dumps({**wanted, "timings": timings, "counts": row_counts()}, indent=1) + "\n")
    say(f"  done: {timings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
