"""Reads for the public pages about scores and decisions: a country's guiding score explained (interval, band
probabilities, contributions, inputs with their sources), its rating decisions with rationales, and the
changes of one edition. Nothing here exposes assessment justifications or who voted how."""
import re
from dataclasses import dataclass

from django.utils.translation import get_language

from civicspace.core.l10n import colon, join_list
from civicspace.methodology import config as methodology_config
from civicspace.methodology.bands import BANDS

from ..labels import INDICATOR_NAMES, RATING_NAMES, STREAM_NAMES
from ..models import Erratum, GuidingScore, RatingDecision
from .editions import edition_changes


@dataclass
class StreamPart:
    code: str
    name: str
    points: float
    weight: float | None  # normalised share of the base score; None for the live adjustment
    score: float | None
    indicators: list  # [(indicator name, indicator score, points)]


@dataclass
class ScoreExplained:
    row: GuidingScore
    parts: list
    probabilities: list  # [(band code, probability)] from most open to most closed
    inputs: list  # [{"rule": IndexRule, "value", "rebased", "edition_year", "events_year", "source"}]
    external_only: bool
    no_assessments: bool  # no partner or in-house assessment: the score rests on published data only
    present: list  # names of the streams that have evidence
    missing: list  # names of streams with no evidence
    live: dict | None
    forms: int  # number of assessments used
    # Transition versions (2026.3 on): the terms with the weight actually applied, the published score the
    # guiding score starts from, and the band hysteresis.
    transition: bool = False
    terms: list = None  # the stored result's terms: [{"term", "index", "weight", "value", "points"}]
    published_score: float | None = None
    published_band: str | None = None
    hysteresis: float = 0.0
    hysteresis_up: float | None = None  # above the band's upper edge, when the version sets it apart
    missing_inputs: list = None
    term_groups: list = None  # [(heading or None, [term with "row_label"])]: term_groups()

    @property
    def previous_source_label(self):
        """Where the previous published score came from, in the active language (stored in English, as the
        engine's input record: "published score, PPUA 2025" or "published rating narrowed, PPUA 2023 (no score)")."""
        from django.utils.translation import gettext as _
        text = (self.row.inputs or {}).get("previous_source") or ""
        match = re.fullmatch(r"published score, (.+)", text)
        if match:
            return _("published score, %(edition)s") % {"edition": match.group(1)}
        match = re.fullmatch(r"published rating (\w+), (.+) \(no score\)", text)
        if match:
            return _("published rating “%(rating)s”, %(edition)s (no score)") % {
                "rating": RATING_NAMES.get(match.group(1), match.group(1)), "edition": match.group(2)}
        return text

    @property
    def difference(self):
        if self.published_score is None:
            return None
        return float(self.row.score) - self.published_score

    @property
    def total(self):
        if self.transition:
            return sum(t["points"] for t in self.terms)
        return sum(p.points for p in self.parts)


def _index_label(rule):
    """"Publisher: index name" in the active language (the methodology version's own translations)."""
    lang = (get_language() or "en").split("-")[0]
    return f"{rule.text('publisher', lang)}{colon()} {rule.text('name', lang)}"


# Terms of one kind per index: on the country page they sit under one heading, each row named by its index
# alone (the heading said once instead of in every row keeps the table readable on a 360 px screen).
_TERM_GROUPS = {"level_intercept": "level", "level": "level", "delta": "delta"}


def _term_group_heading(group):
    from django.utils.translation import gettext as _
    return {"level": _("Level implied by the indices"), "delta": _("Change since the previous edition")}[group]


def term_groups(terms, methodology):
    """The terms of a transition version as [(heading or None, [term with its "row_label"])], in their order:
    consecutive terms of one group (the implied level's constant and indices, the indices' changes) under one
    heading; every other term alone, named in full."""
    from django.utils.translation import pgettext
    groups = []
    for term in terms:
        group = _TERM_GROUPS.get(term["term"])
        if group is None:
            groups.append((None, [{**term, "row_label": _term_label(term, methodology)}]))
            continue
        if term["term"] == "level_intercept":
            row_label = pgettext("the constant term of a formula", "constant")
        else:
            row_label = _term_index_name(term, methodology)
        heading = _term_group_heading(group)
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append({**term, "row_label": row_label})
    return groups


def _term_index_name(term, methodology):
    """The index a term is about, named as the page names indices (its code when the version lacks it)."""
    code = term.get("index")
    return _index_label(methodology.indices[code]) if code in methodology.indices else (code or "")


def _term_label(term, methodology):
    """A term named in full (the staff evidence page; the country page groups the index terms: term_groups)."""
    from django.utils.translation import gettext as _
    name = _term_index_name(term, methodology)
    return {
        "previous": _("Previous published score"),
        "level_intercept": _("Level implied by the indices: constant"),
        "level": _("Level implied by the indices: %(index)s") % {"index": name},
        "change_intercept": _("Average change between editions"),
        "delta": _("Change since the previous edition: %(index)s") % {"index": name},
        "live": _("Live evidence"),
        "clipping": _("Kept within 1–100"),
    }.get(term["term"]) or STREAM_NAMES.get(term["term"], term["term"])


def _explain(row):
    result, inputs = row.result, row.inputs
    methodology = methodology_config.load(row.version)
    points = {}
    for c in result["contributions"]:
        points.setdefault(c["stream"], []).append(c)
    parts = []
    for stream, items in points.items():
        info = result["stream_scores"].get(stream)
        indicators = [(INDICATOR_NAMES.get(c["indicator"], c["indicator"]),
                       info["indicators"].get(c["indicator"]) if info else None, c["points"])
                      for c in items if c["indicator"]]
        parts.append(StreamPart(stream, STREAM_NAMES.get(stream, stream), sum(c["points"] for c in items),
                                info["weight"] if info else None, info["score"] if info else None, indicators))
    used = [{"rule": methodology.indices[i["index"]], **i,
             "age": row.as_of.year - i["events_year"] if i.get("events_year") else None}
            for i in result["index_scores"]
            if i["index"] in methodology.indices]
    transition = result.get("model") == "transition"
    return ScoreExplained(
        transition=transition,
        terms=result.get("terms", []),
        term_groups=term_groups(result.get("terms", []), methodology) if transition else [],
        published_score=inputs.get("previous_score"), published_band=inputs.get("previous_band"),
        hysteresis=result.get("hysteresis", 0.0), hysteresis_up=result.get("hysteresis_up"),
        missing_inputs=[_index_label(methodology.indices[m]) if m in methodology.indices else m
                        for m in result.get("missing_inputs", [])],
        row=row, parts=parts,
        probabilities=[(b.code, result["probabilities"].get(b.code, 0.0)) for b in BANDS],
        inputs=used, external_only=set(result["stream_scores"]) == {"external"},
        no_assessments=not {"partner", "inhouse"} & set(result["stream_scores"]),
        # In the methodology's order: PostgreSQL's jsonb does not keep the keys' order.
        present=[STREAM_NAMES.get(s, s) for s in methodology.streams if s in result["stream_scores"]],
        missing=[STREAM_NAMES.get(s, s) for s in result["missing_streams"]],
        live=inputs.get("live"), forms=len(inputs.get("forms") or ()))


def country_score(country):
    """The newest guiding score of a country, explained; None when it has none (no evidence)."""
    row = GuidingScore.objects.filter(country=country).order_by("-as_of", "-pk").first()
    return _explain(row) if row else None


def _rationale(decision, lang):
    text = getattr(decision, f"rationale_{lang}", "") or ""
    return (text, lang) if text else (decision.rationale_en or decision.rationale, "en")


@dataclass
class PublicDecision:
    edition: object
    before: str
    rating: str
    rationale: str
    rationale_lang: str
    challenge_answer: str = ""  # the public answer to a government's challenge (issue 21), in its own language


def country_decisions(country):
    """Published decisions on the country, newest first, with the rationale in the reader's language (or
    English when it has no translation)."""
    lang = get_language() or "en"
    rows = (RatingDecision.objects.published().filter(proposal__country=country)
            .select_related("draft__edition", "proposal").order_by("-draft__publish_on"))
    return [PublicDecision(d.draft.edition, d.proposal.from_rating, d.rating, *_rationale(d, lang),
                           challenge_answer=d.challenge_answer) for d in rows]


def edition_changes_explained(edition, previous):
    """The edition's rating changes, each with the panel decision's rationale when there is one, and the
    errata recorded on the edition."""
    lang = get_language() or "en"
    decisions = {d.proposal.country_id: d for d in
                 RatingDecision.objects.filter(draft__edition=edition).select_related("proposal__country")}
    changes = []
    for change in edition_changes(edition, previous):
        decision = decisions.get(change.country.pk)
        text, text_lang = _rationale(decision, lang) if decision else ("", lang)
        changes.append((change, text, text_lang))
    unchanged = [(d, *_rationale(d, lang)) for d in decisions.values() if d.rating == d.proposal.from_rating]
    errata = list(Erratum.objects.filter(edition=edition).select_related("country"))
    return changes, unchanged, errata


MODEL_NAMES = {"persistence": "persistence", "level": "level", "transition": "transition"}


def methodology_transition(methodology):
    """What the methodology page shows of a transition version: each index's coefficient, level weight,
    maximum age and vintage, the chosen hyper-parameters, and the evaluation against persistence (both folds).
    None for a level version."""
    if not methodology.is_transition:
        return None
    from django.utils.translation import gettext as _
    fitted = methodology.model["fitted"]
    calibration = methodology.model.get("calibration") or {}
    names = {"persistence": _("Previous published score carried forward (persistence)"),
             "level": _("Level model (2026.2, refitted)"), "transition": _("Transition model (this version)")}

    def evaluation(block):
        return [{"name": names[key], **block[key]} for key in ("persistence", "level", "transition") if key in block]
    def loses(block):
        return bool(block) and block.get("transition", {}).get("mae", 0) > block.get("persistence", {}).get("mae", 0)
    def no_band_gain(block):
        return bool(block) and (block.get("transition", {}).get("band_agreement", 0)
                                <= block.get("persistence", {}).get("band_agreement", 0))
    checks = [(calibration, calibration.get("evaluation", {})),
              (calibration.get("reverse_fold") or {}, (calibration.get("reverse_fold") or {}).get("evaluation", {}))]

    def against(check, block):
        """One check where the transition model does not beat persistence, with both numbers, for a sentence."""
        model, baseline = block.get("transition", {}), block.get("persistence", {})
        return {"fit": join_list(check.get("fit", [])), "evaluate": join_list(check.get("evaluate", [])),
                "mae": model.get("mae"), "persistence_mae": baseline.get("mae"),
                "band_agreement": model.get("band_agreement"),
                "persistence_band_agreement": baseline.get("band_agreement"),
                "changes_caught": model.get("changes_caught"), "false_changes": model.get("false_changes")}
    return {
        # Each check where it loses on the error, or does not win on the bands, named with its numbers.
        "error_losses": [against(check, block) for check, block in checks if loses(block)],
        "band_shortfalls": [against(check, block) for check, block in checks if no_band_gain(block)],
        "fitted": {"hysteresis_up": None, **fitted},  # None: the one hysteresis applies both ways
        "indices": [{"rule": rule, "coefficient": fitted["coefficients"].get(code, 0.0),
                     "level_weight": fitted["level"]["weights"].get(code), "max_age": methodology.max_age(code)}
                    for code, rule in methodology.indices.items()],
        "chosen": calibration.get("chosen", {}),
        "fit": join_list(calibration.get("fit", [])), "evaluate": join_list(calibration.get("evaluate", [])),
        "evaluation": evaluation(calibration.get("evaluation", {})),
        "reverse_fit": join_list((calibration.get("reverse_fold") or {}).get("fit", [])),
        "reverse_evaluate": join_list((calibration.get("reverse_fold") or {}).get("evaluate", [])),
        "reverse": evaluation((calibration.get("reverse_fold") or {}).get("evaluation", {})),
    }
