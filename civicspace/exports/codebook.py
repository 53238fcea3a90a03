"""What a data release contains: every table and field with its type and meaning (the single source of the Table
Schemas in datapackage.json and of the codebook), and the codebook itself (Markdown and HTML).

The descriptions are data documentation written in English, the monitor's working language; they are not
interface strings and stay the same whatever the language of the site.
"""
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation

from civicspace.legislation.models import STAGE_CHOICES, Category, Direction
from civicspace.methodology.bands import RATING_CODES
from civicspace.core.text import render_markdown
from civicspace.monitoring.models import Vocabulary

from . import selectors

LANGS = selectors.LANGS
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "fr": "French", "es": "Spanish", "ar": "Arabic"}
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
CIVICUS_MONITOR = {"title": "CIVICUS Monitor: published ratings", "path": "https://monitor.civicus.org/"}


@dataclass
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    enum: list | None = None
    item_type: str | None = None  # for type "list": the items' type; CSV cells are joined with ";"
    minimum: float | None = None
    maximum: float | None = None

    def descriptor(self):
        out = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "list":
            out["delimiter"] = ";"
            out["itemType"] = self.item_type or "string"
        if self.type == "datetime":
            out["format"] = "%Y-%m-%dT%H:%M:%SZ"
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass
class Table:
    name: str
    title: str
    description: str
    fields: list
    primary_key: list
    foreign_keys: list = field(default_factory=list)  # [(fields, resource, reference fields)]

    def schema(self):
        return {
            "fields": [f.descriptor() for f in self.fields],
            "primaryKey": self.primary_key,
            "foreignKeys": [{"fields": list(fields), "reference": {"resource": resource, "fields": list(ref)}}
                            for fields, resource, ref in self.foreign_keys],
            "missingValues": [""],
        }


def translated(name, what, note=""):
    return [Field(f"{name}_{lang}", "string", f"{what} in {LANGUAGE_NAMES[lang]}{note}.") for lang in LANGS]


SHOWN = (", blank unless it is the original language or a reviewed translation (as on the public pages)")
LANGUAGE_ENUM = LANGS
DATE_PRECISION = "How precisely the date is known: day, month (the date is the first of the month) or year " \
                 "(the date is 1 January)."

TABLES = [
    Table("countries", "Countries and territories",
          "The 198 countries and territories the monitor rates. `code` is the stable identifier used everywhere "
          "else in the release and in the site's URLs (lower-cased).",
          [Field("code", "string", "Identifier: the ISO 3166-1 alpha-3 code; XKX for Kosovo (user-assigned), "
                                   "SOL for Somaliland (Natural Earth's code; it has no ISO code).", required=True),
           Field("iso3", "string", "ISO 3166-1 alpha-3 code, blank when there is none."),
           Field("iso2", "string", "ISO 3166-1 alpha-2 code, blank when there is none."),
           Field("iso_numeric", "string", "ISO 3166-1 numeric code (three digits, kept as text), blank when "
                                          "there is none."),
           *translated("name", "Name"),
           Field("monitor_name", "string", "The name as the CIVICUS Monitor spells it.", required=True),
           Field("region", "string", "The CIVICUS region (regions.code).", required=True),
           Field("region_source_url", "string", "The page the region was read from."),
           Field("note", "string", "A note on the entity's code or name, if any.")],
          ["code"], [(["region"], "regions", ["code"])]),
    Table("regions", "Regions", "The five CIVICUS regions, in the monitor's order.",
          [Field("code", "string", "Identifier of the region.", required=True),
           Field("position", "integer", "Order of the region in the monitor's lists."),
           *translated("name", "Name")],
          ["code"]),
    Table("rating_editions", "Rating editions",
          "Dated releases of published ratings. Complete editions rate every country; partial editions only the "
          "countries named in that year's published material.",
          [Field("slug", "string", "Identifier: year and month of publication, e.g. 2025-12.", required=True),
           Field("code", "string", "The source's name for the edition, e.g. PPUA 2025.", required=True),
           Field("published", "date", "Publication date.", required=True),
           Field("published_precision", "string", "How precisely the publication date is known (day or month; "
                                                  "for month the date is the first of the month).",
                 enum=["day", "month"]),
           Field("coverage", "string", "complete (every country rated) or partial.", enum=["complete", "partial"])],
          ["slug"]),
    Table("ratings", "Published ratings",
          "Each country's civic-space rating, and from 2023 its published score, as published by the CIVICUS "
          "Monitor in each edition. These are the CIVICUS Monitor's published ratings, reproduced with the URL "
          "each row was read from (`source_url`); they are not this project's own assessments, and the CC-BY-4.0 "
          "licence of this package covers the project's own data, not CIVICUS's ratings.",
          [Field("edition", "string", "The edition (rating_editions.slug).", required=True),
           Field("country", "string", "The country (countries.code).", required=True),
           Field("rating", "string", "The rating: open, narrowed, obstructed, repressed or closed.", required=True,
                 enum=list(RATING_CODES)),
           Field("score", "number", "The published score (1-100, up to two decimals), blank before 2023. The rating "
                                    "follows from the score rounded half up to a whole number: open 81-100, "
                                    "narrowed 61-80, obstructed 41-60, repressed 21-40, closed 1-20.",
                 minimum=1, maximum=100),
           Field("source_url", "string", "The page or file this rating was read from.", required=True)],
          ["edition", "country"],
          [(["edition"], "rating_editions", ["slug"]), (["country"], "countries", ["code"])]),
    Table("guiding_scores", "Guiding scores",
          "Each country's newest guiding score from this project's methodology (see /methodology/ and the "
          "methodology_version): the input the advisory panel reviews, not the rating or the published score. "
          "The points columns decompose the score and add up to it: by stream of evidence for the level "
          "versions (2026.1, 2026.2), by term (previous, level, change, live, clipping) for transition versions "
          "(2026.3 on).",
          [Field("country", "string", "The country (countries.code).", required=True),
           Field("as_of", "date", "The date the inputs were taken as of.", required=True),
           Field("methodology_version", "string", "The methodology version that computed it.", required=True),
           Field("score", "number", "The guiding score, 1-100.", required=True, minimum=1, maximum=100),
           Field("band", "string", "The guiding band: for transition versions the published band unless the score "
                                   "is more than `hysteresis` points past its edge (`hysteresis_up` above it, when "
                                   "given); otherwise the band the score falls in.", required=True,
                 enum=list(RATING_CODES)),
           Field("score_band", "string", "The band the score itself falls in.", enum=list(RATING_CODES)),
           Field("published_score", "number", "The published score the guiding score starts from (transition "
                                              "versions; blank when only a band was published).",
                 minimum=1, maximum=100),
           Field("published_band", "string", "The published rating at the time.", enum=list(RATING_CODES)),
           Field("hysteresis", "number", "Points past the band's edge before the guiding band changes "
                                         "(transition versions)."),
           Field("hysteresis_up", "number", "Points past the band's upper edge before the guiding band moves up, "
                                            "where the version sets it apart from `hysteresis` (2026.5 on; blank "
                                            "otherwise)."),
           Field("model", "string", "level or transition.", enum=["level", "transition"]),
           Field("interval_low", "number", "Lower end of the 90% interval.", minimum=1, maximum=100),
           Field("interval_high", "number", "Upper end of the 90% interval.", minimum=1, maximum=100),
           Field("external_only", "boolean", "True when only external indices were available."),
           Field("no_assessments", "boolean", "True when no partner or in-house assessment was available."),
           *[Field(f"points_{stream}", "number", f"Points of the score from {what} (blank when none).")
             for stream, what in (("partner", "partner analysis"), ("inhouse", "in-house analysis"),
                                  ("external", "external indices"),
                                  ("published", "the previous published score"), ("live", "the live adjustment"),
                                  ("clipping", "keeping the score within 1-100"),
                                  ("previous", "the previous published score times its applied weight "
                                               "(transition versions)"),
                                  ("level", "the share of the index-implied level (transition versions)"),
                                  ("change", "the average change and the index changes (transition versions)"))]],
          ["country"], [(["country"], "countries", ["code"])]),
    Table("updates", "Updates",
          "Published updates: dated narratives about one country, written by research partners and verified by "
          "editors. Drafts, updates under review and retracted updates are not included.",
          [Field("id", "integer", "Identifier; the update's page is /<language>/updates/<id>/.", required=True),
           Field("country", "string", "The country (countries.code).", required=True),
           Field("date", "date", "Date of the update.", required=True),
           Field("original_language", "string", "Language the update was written in.", enum=LANGUAGE_ENUM),
           Field("languages", "list", "Languages the text is given in (the original and reviewed translations).",
                 item_type="string"),
           *translated("title", "Title", SHOWN), *translated("summary", "Summary", SHOWN),
           *translated("body", "Body (Markdown)", SHOWN),
           Field("freedoms", "list", "Freedoms concerned (taxonomy codes of the vocabulary freedom).",
                 item_type="string"),
           Field("organisation", "string", "Identifier of the research partner that wrote it."),
           Field("organisation_name", "string", "Name of the research partner."),
           Field("published_at", "datetime", "When it was published (UTC).")],
          ["id"], [(["country"], "countries", ["code"])]),
    Table("incidents", "Incidents",
          "Incidents reported in published updates: violations of civic freedoms and positive developments.",
          [Field("id", "integer", "Identifier.", required=True),
           Field("update", "integer", "The update reporting it (updates.id).", required=True),
           Field("country", "string", "The update's country (countries.code).", required=True),
           Field("date", "date", "Date of the incident, as precise as date_precision says.", required=True),
           Field("date_precision", "string", DATE_PRECISION, enum=["day", "month", "year"]),
           Field("place", "string", "Place in the update's original language, only as precise as place_precision "
                                    "says (partners may coarsen it to protect people); empty when place_precision "
                                    "is country."),
           Field("place_precision", "string", "city, region or country (country: no place is given or kept).",
                 enum=["city", "region", "country"]),
           *translated("place", "Place", SHOWN + "; always blank when place_precision is country"),
           *translated("description", "Description", SHOWN), *translated("outcome", "Case outcome, if known", SHOWN),
           Field("types", "list", "Violation or positive-development types (taxonomy codes; one row each in "
                                  "incident_types).", item_type="string"),
           Field("freedoms", "list", "Freedoms concerned (taxonomy codes of the vocabulary freedom).",
                 item_type="string"),
           Field("perpetrators", "list", "Perpetrator types (taxonomy codes of the vocabulary perpetrator).",
                 item_type="string"),
           Field("sources", "list", "Public sources cited (sources.id). Confidential sources are never "
                                    "included; an empty list means the sources were withheld to protect people.",
                 item_type="integer")],
          ["id"],
          [(["update"], "updates", ["id"]), (["country"], "countries", ["code"])]),
    Table("incident_types", "Incident types",
          "One row per incident and type: the violation types (or positive developments) of each incident.",
          [Field("incident", "integer", "The incident (incidents.id).", required=True),
           Field("vocabulary", "string", "violation or positive.", required=True,
                 enum=[Vocabulary.VIOLATION, Vocabulary.POSITIVE]),
           Field("code", "string", "The type (taxonomy.code).", required=True)],
          ["incident", "vocabulary", "code"],
          [(["incident"], "incidents", ["id"]), (["vocabulary", "code"], "taxonomy", ["vocabulary", "code"])]),
    Table("victims", "Victims",
          "Groups of victims of an incident, by type. Names are given only when the partner marked them as not "
          "sensitive; sensitive names are never published.",
          [Field("id", "integer", "Identifier.", required=True),
           Field("incident", "integer", "The incident (incidents.id).", required=True),
           Field("vocabulary", "string", "Always victim (with type, the taxonomy term).", required=True,
                 enum=[Vocabulary.VICTIM]),
           Field("type", "string", "Victim type (taxonomy.code).", required=True),
           Field("count", "integer", "Number of victims, blank when unknown.", minimum=0),
           Field("names", "string", "Names, separated by '; ', only when not sensitive.")],
          ["id"],
          [(["incident"], "incidents", ["id"]), (["vocabulary", "type"], "taxonomy", ["vocabulary", "code"])]),
    Table("sources", "Sources",
          "Public sources cited by published updates and their incidents. Confidential sources and the editors' "
          "notes on sources are never included.",
          [Field("id", "integer", "Identifier.", required=True),
           Field("update", "integer", "The update citing it (updates.id).", required=True),
           Field("title", "string", "Title.", required=True),
           Field("publisher", "string", "Publisher."),
           Field("date", "date", "Date of the source."),
           Field("url", "string", "Address."),
           Field("language", "string", "Language of the source.", enum=LANGUAGE_ENUM)],
          ["id"], [(["update"], "updates", ["id"])]),
    Table("bills", "Laws and draft laws",
          "Laws and draft laws affecting civic space, with the current stage derived from the verified "
          "timeline (stage_events).",
          [Field("id", "integer", "Identifier; the law's page is /<language>/laws/<id>/.", required=True),
           Field("country", "string", "The country (countries.code).", required=True),
           Field("original_language", "string", "Language the texts were written in.", enum=LANGUAGE_ENUM),
           Field("languages", "list", "Languages the texts are given in.", item_type="string"),
           *translated("short_title", "Short title", SHOWN), *translated("official_title", "Official title", SHOWN),
           *translated("summary", "Plain-language summary", SHOWN),
           Field("number", "string", "The bill's number in its parliament."),
           Field("category", "string", "Category: " + ", ".join(Category.values) + ".", enum=Category.values),
           Field("direction", "string", "restrictive, enabling or mixed.", enum=Direction.values),
           Field("freedoms", "list", "Freedoms affected (taxonomy codes).", item_type="string"),
           Field("passed_with_improvements", "boolean", "Restrictive provisions were removed before it passed."),
           Field("current_stage", "string", "The current stage (the last verified stage event).",
                 enum=[code for code, _label in STAGE_CHOICES]),
           Field("last_moved", "date", "Date of the last verified stage event."),
           Field("updates", "list", "Related published updates (updates.id).", item_type="integer")],
          ["id"], [(["country"], "countries", ["code"])]),
    Table("stage_events", "Stage events",
          "Verified steps of each law through parliaments and courts. Proposed steps not yet verified by an "
          "editor are not included.",
          [Field("id", "integer", "Identifier.", required=True),
           Field("bill", "integer", "The law (bills.id).", required=True),
           Field("stage", "string", "The stage reached (one vocabulary for every parliament).", required=True,
                 enum=[code for code, _label in STAGE_CHOICES]),
           Field("date", "date", "Date of the step.", required=True),
           Field("date_precision", "string", "day or month (the date is the first of the month).",
                 enum=["day", "month"]),
           *translated("note", "Note"),
           Field("source_title", "string", "The source of this step."),
           Field("source_url", "string", "Address of the source.")],
          ["id"], [(["bill"], "bills", ["id"])]),
    Table("watchlist_editions", "Watchlist editions",
          "Published editions of the Watchlist: countries where civic space is declining fast, published before "
          "sessions of the UN Human Rights Council.",
          [Field("slug", "string", "Identifier: the target date (or year-month when only the month is known).",
                 required=True),
           Field("target_date", "date", "Target date.", required=True),
           Field("date_precision", "string", "day or month.", enum=["day", "month"]),
           Field("hrc_session", "integer", "Number of the Human Rights Council session it was published for."),
           Field("published_at", "datetime", "When it was published on this site (UTC)."),
           *translated("pr_title", "Press release title")],
          ["slug"]),
    Table("watchlist_entries", "Watchlist entries",
          "The countries on each published Watchlist edition.",
          [Field("edition", "string", "The edition (watchlist_editions.slug).", required=True),
           Field("country", "string", "The country (countries.code).", required=True),
           Field("position", "integer", "Order in the edition."),
           Field("confirmed", "boolean", "false: reported by one source and contradicted by another."),
           *translated("rationale", "Why the country is on the list", ", blank unless English or reviewed"),
           Field("source_url", "string", "Where the entry was read from (historical editions)."),
           Field("note", "string", "A note on the source."),
           Field("rating_at_publication", "string", "The country's rating when the edition was published.",
                 enum=list(RATING_CODES)),
           Field("score_at_publication", "number", "The country's score then.", minimum=1, maximum=100),
           Field("rating_edition", "string", "The rating edition that rating comes from (rating_editions.slug).")],
          ["edition", "country"],
          [(["edition"], "watchlist_editions", ["slug"]), (["country"], "countries", ["code"]),
           (["rating_edition"], "rating_editions", ["slug"])]),
    Table("taxonomy", "Taxonomy",
          "The controlled vocabularies: freedoms, violation types, positive developments, victim types and "
          "perpetrator types, with labels in five languages. Inactive terms are kept because older incidents "
          "use them.",
          [Field("vocabulary", "string", "freedom, violation, positive, victim or perpetrator.", required=True,
                 enum=Vocabulary.values),
           Field("code", "string", "Stable code of the term.", required=True),
           Field("position", "integer", "Order within the vocabulary."),
           Field("freedom", "string", "For violation types: the freedom they belong to (a freedom code)."),
           Field("is_active", "boolean", "false: no longer offered for new incidents."),
           *translated("label", "Label")],
          ["vocabulary", "code"]),
]
from civicspace.cases.exports import export_tables as case_tables  # noqa: E402  (issue 20: the cases tables)
TABLES += case_tables()
from civicspace.corrections.exports import export_tables as correction_tables  # noqa: E402  (issue 21)
TABLES += correction_tables()
TABLE_NAMES = [t.name for t in TABLES]


# --- the codebook -------------------------------------------------------------------------------------------

def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _constraints(f):
    parts = []
    if f.required:
        parts.append("required")
    if f.enum:
        parts.append("one of: " + ", ".join(str(v) for v in f.enum))
    if f.minimum is not None and f.maximum is not None:
        parts.append(f"{f.minimum:g}–{f.maximum:g}")
    elif f.minimum is not None:
        parts.append(f"at least {f.minimum:g}")
    return "; ".join(parts)


def _type(f):
    return f"list of {f.item_type or 'string'} (separated by ';')" if f.type == "list" else f.type


def changelog_markdown(changelog):
    lines = ["## Changes since the previous release", ""]
    if not changelog.get("previous_version"):
        lines += ["This is the first release in this directory: there is nothing to compare with.", ""]
        return lines
    lines += [f"Compared with release {changelog['previous_version']}.", ""]
    summary = changelog["summary"]
    lines += [f"- Ratings changed: {summary['ratings_changed']}; added: {summary['ratings_added']}; "
              f"removed: {summary['ratings_removed']}",
              f"- Incidents added: {summary['incidents_added']}; corrected: {summary['incidents_corrected']}; "
              f"retracted: {summary['incidents_retracted']}",
              f"- Updates added: {summary['updates_added']}; corrected: {summary['updates_corrected']}; "
              f"retracted: {summary['updates_retracted']}", ""]
    changed = changelog["ratings"]["changed"]
    if changed:
        lines += ["### Ratings changed", "", "| edition | country | before | after |", "|---|---|---|---|"]
        for c in changed:
            before = f"{c['before']['rating']} ({c['before']['score'] or '–'})"
            after = f"{c['after']['rating']} ({c['after']['score'] or '–'})"
            lines.append(f"| {c['edition']} | {c['country']} | {before} | {after} |")
        lines.append("")
    for kind in ("added", "corrected", "retracted"):
        items = changelog["incidents"][kind]
        if items:
            lines += [f"### Incidents {kind}", ""]
            lines += [f"- incident {i['id']} ({i['country']}, {i['date']}), update {i['update']}" for i in items]
            lines.append("")
    return lines


def render_markdown_codebook(package, changelog, counts):
    lines = [f"# {package['title']} — codebook", "",
             f"Release **{package['version']}**, created {package['created']}.", "",
             package["description"], "",
             f"Licence: {LICENSE['title']} ({LICENSE['name']}, {LICENSE['path']}) for the Civic Space Monitor's "
             "own data. The ratings (table `ratings`) are the CIVICUS Monitor's published ratings, each with the "
             "URL it was read from; CIVICUS's own terms apply to them.", "",
             "## Files", "",
             "- `datapackage.json`: the Frictionless Data Package descriptor (Table Schema of every table, with "
             "types, primary keys and foreign keys).",
             "- `<table>.csv`: each table as CSV (UTF-8, comma-separated, a header row). Blank cells are "
             "missing values. List cells are separated by ';'.",
             "- `<table>.json`: the same rows as a JSON array of objects (lists as arrays, missing values null).",
             "- `changelog.json`: what changed since the previous release.",
             "- `codebook.md`, `codebook.html`: this document.", "",
             "## Privacy", "",
             "Only what the public pages show is released: published updates and their incidents; never drafts, "
             "updates under review or retracted updates; never confidential sources or the editors' notes on "
             "sources; victims' names only when they are not sensitive; only verified stage events of laws; only "
             "published Watchlist editions.", "",
             "## Tables", ""]
    for table in TABLES:
        lines += [f"### {table.name}: {table.title}", "", table.description, "",
                  f"Files: `{table.name}.csv`, `{table.name}.json`. Rows: {counts.get(table.name, 0)}. "
                  f"Primary key: {', '.join(table.primary_key)}.", ""]
        if table.foreign_keys:
            refs = [f"{', '.join(fields)} → {res}.{', '.join(ref)}" for fields, res, ref in table.foreign_keys]
            lines += ["Foreign keys: " + "; ".join(refs) + ".", ""]
        lines += ["| field | type | constraints | description |", "|---|---|---|---|"]
        for f in table.fields:
            lines.append(f"| `{f.name}` | {_type(f)} | {_cell(_constraints(f))} | {_cell(f.description)} |")
        lines.append("")
    lines += changelog_markdown(changelog)
    return "\n".join(lines) + "\n"


def render_html_codebook(package, markdown_text):
    with translation.override("en"):
        return render_to_string("exports/codebook.html", {
            "package": package, "body": render_markdown(markdown_text),
        })
