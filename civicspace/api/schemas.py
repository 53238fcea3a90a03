"""Response schemas of the public API. Built from plain dicts in api.py: every field listed here is public, and
nothing reaches a response unless it is listed here (confidential sources, editors' notes and sensitive names
have no field)."""
import datetime as dt
from typing import List, Optional

from ninja import Schema
from pydantic import Field


class Error(Schema):
    detail: str = Field(description="What was wrong, in plain English.")


class Term(Schema):
    code: str
    label: str


class TypeTerm(Term):
    vocabulary: str = Field(description="'violation' or 'positive' (a positive development).")


class Region(Schema):
    code: str
    name: str


class CountryRef(Schema):
    code: str = Field(description="ISO 3166-1 alpha-3 (XKX for Kosovo, SOL for Somaliland).")
    name: str


class Country(Schema):
    code: str = Field(description="Stable identifier: ISO 3166-1 alpha-3, XKX for Kosovo, SOL for Somaliland.")
    iso3: Optional[str]
    iso2: Optional[str]
    name: str
    region: Region
    rating: Optional[str] = Field(description="Current rating: open, narrowed, obstructed, repressed or closed.")
    score: Optional[float] = Field(description="Current score (1–100); published from the December 2023 edition.")
    edition: Optional[str] = Field(description="Slug of the rating edition the current rating comes from.")
    url: str


class HistoryEntry(Schema):
    edition: str
    edition_date: dt.date
    coverage: str
    rating: str
    score: Optional[float]
    source_url: str


class Contribution(Schema):
    stream: str = Field(description="partner, inhouse, external, live or clipping.")
    indicator: Optional[str] = Field(description="association, assembly, expression or protection; null for "
                                                 "the live adjustment and clipping.")
    points: float


class IndexInputOut(Schema):
    index: str = Field(description="Code of the index rule in the methodology version (e.g. fh_e).")
    value: float = Field(description="On the index's own scale.")
    rebased: float = Field(description="On the 1–100 scale, by the declared rule.")
    edition_year: Optional[int]
    events_year: Optional[int]
    source: str = Field(description="File and line of the value in the shipped reference data.")


class TermOut(Schema):
    term: str = Field(description="previous, level_intercept, level, change_intercept, delta, live or clipping.")
    index: Optional[str] = Field(description="The index of a level or delta term; null otherwise.")
    weight: float = Field(description="The weight actually applied to the value.")
    value: float
    points: float = Field(description="weight × value; the points of all terms add up to the score.")


class GuidingScoreOut(Schema):
    score: float = Field(description="The guiding score: the method's estimate, not the published score.")
    band: str = Field(description="The guiding band (transition versions: the published band unless the score is "
                                  "more than `hysteresis` points past its edge, `hysteresis_up` above it when "
                                  "set).")
    score_band: Optional[str] = Field(None, description="The band the score itself falls in.")
    published_score: Optional[float] = Field(None, description="The panel's published score the guiding score "
                                                               "starts from (transition versions).")
    published_band: Optional[str] = Field(None, description="The published rating at the time.")
    difference: Optional[float] = Field(None, description="Guiding score minus published score.")
    hysteresis: Optional[float] = Field(None, description="Points past the band's edge before the band changes.")
    hysteresis_up: Optional[float] = Field(None, description="Points past the band's upper edge before the band "
                                                             "moves up, where the version sets it apart "
                                                             "(2026.5 on); otherwise `hysteresis` applies.")
    model: str = Field("level", description="level or transition.")
    terms: List[TermOut] = Field([], description="Transition versions: each term with its applied weight.")
    missing_inputs: List[str] = Field([], description="Inputs that counted as no change (the interval is wider).")
    interval_low: float
    interval_high: float
    interval_level: float = Field(description="e.g. 0.9 for a 90% interval.")
    probabilities: dict = Field(description="Probability of each band.")
    as_of: dt.date
    methodology_version: str
    external_only: bool = Field(description="True when only external indices were available.")
    contributions: List[Contribution] = Field(description="They add up to the score.")
    inputs: List[IndexInputOut]


class CountryDetail(Country):
    history: List[HistoryEntry] = Field(description="Every published rating, oldest first.")
    guiding_score: Optional[GuidingScoreOut] = Field(
        description="The newest guiding score (the methodology's input to the panel; not the rating). Null when "
                    "no stream of evidence covers the country.")


class Edition(Schema):
    slug: str
    code: str
    published: dt.date
    published_precision: str
    coverage: str = Field(description="'complete' or 'partial'.")
    rated_count: int
    url: str


class EditionRating(Schema):
    country: CountryRef
    rating: str
    score: Optional[float]
    source_url: str


class EditionDetail(Edition):
    ratings: List[EditionRating]


class UpdateSummary(Schema):
    id: int
    url: str
    country: CountryRef
    date: dt.date
    language: str = Field(description="Language of title and summary: the requested one when its translation "
                                      "is reviewed, else the original.")
    title: str
    summary: str
    organisation: str
    freedoms: List[Term]
    incident_count: int


class UpdatePage(Schema):
    count: Optional[int] = Field(description="Matching updates; null with keyset pagination (`after`).")
    page: Optional[int] = Field(description="Null with keyset pagination (`after`).")
    pages: Optional[int] = Field(description="Null with keyset pagination (`after`).")
    page_size: int
    next: Optional[str] = Field(description="URL of the next page (`after=<cursor>` with keyset pagination).")
    previous: Optional[str] = Field(description="Page numbers only; null with keyset pagination.")
    next_cursor: Optional[str] = Field(description="The `after` value for the page after this one (keyset "
                                                   "pagination, recommended for long lists); null on the last page.")
    results: List[UpdateSummary]


class PublicSource(Schema):
    title: str
    publisher: str
    date: Optional[dt.date]
    url: str
    language: str


class Victim(Schema):
    type: Term
    count: Optional[int]
    names: List[str] = Field(description="Only names their partner marked as not sensitive.")


class Incident(Schema):
    id: int
    date: dt.date
    date_precision: str
    place: str = Field(description="Only as precise as place_precision allows (empty for 'country'); in the "
                                   "language the description is shown in when translated, else in the original.")
    place_precision: str
    description: str
    outcome: str
    types: List[TypeTerm]
    freedoms: List[Term]
    victims: List[Victim]
    perpetrators: List[Term]
    sources: List[PublicSource]


class UpdateDetail(Schema):
    id: int
    url: str
    status: str = Field(description="'published' or 'retracted'.")
    retraction_reason: Optional[str] = Field(description="The public reason, for a retracted update: in the "
                                             "requested language when the editor gave it, else in its original.")
    retraction_reason_language: Optional[str] = Field(description="The language retraction_reason is in.")
    country: CountryRef
    date: dt.date
    language: str
    title: str
    organisation: str
    freedoms: List[Term]
    summary: Optional[str] = Field(description="Null for a retracted update.")
    body: Optional[str] = Field(description="Markdown; null for a retracted update.")
    incidents: Optional[List[Incident]] = Field(description="Null for a retracted update.")
    sources: Optional[List[PublicSource]] = Field(description="Public sources; null for a retracted update.")


class LawSummary(Schema):
    id: int
    url: str
    country: CountryRef
    title: str
    category: str
    direction: str
    current_stage: Optional[str]
    last_moved: Optional[dt.date]
    last_moved_precision: Optional[str]
    passed_with_improvements: bool


class LawSource(Schema):
    title: str
    publisher: str
    date: Optional[dt.date]
    url: str
    is_text: bool


class StageEvent(Schema):
    stage: str
    label: str
    date: dt.date
    date_precision: str
    note: str
    source: Optional[LawSource]


class LinkedUpdate(Schema):
    id: int
    url: str


class LawDetail(LawSummary):
    official_title: str
    summary: str
    number: str
    freedoms: List[Term]
    timeline: List[StageEvent] = Field(description="Verified stages only, in order.")
    sources: List[LawSource]
    updates: List[LinkedUpdate] = Field(description="Related published updates.")


class WatchlistCountry(Schema):
    code: str
    name: str
    position: int
    confirmed: bool = Field(description="False: reported by one source, contradicted by another.")
    note: Optional[str] = Field(description="Why an unconfirmed entry is disputed.")
    rationale: str
    rationale_language: str
    rating_at_publication: Optional[str]
    score_at_publication: Optional[float]
    source_url: str


class WatchlistEdition(Schema):
    slug: str
    target_date: dt.date
    date_precision: str
    title: str
    hrc_session: Optional[int]
    countries: List[WatchlistCountry]


class TaxonomyTerm(Schema):
    code: str
    label: str
    position: int
    freedom: Optional[str] = Field(description="Code of the freedom this type belongs to, if any.")
    is_active: bool


class Vocabulary(Schema):
    code: str
    label: str
    terms: List[TaxonomyTerm]


class Taxonomy(Schema):
    lang: str
    vocabularies: List[Vocabulary]
