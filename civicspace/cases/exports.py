"""The cases tables of the data release (registered in civicspace/exports/codebook.py and selectors.py).

Rows come from the public selectors only: published cases, verified events and charges. A person's name is
given only when an editor published it with a reason; the status is derived on the day of the release."""
from django.utils import timezone, translation

from . import presentation, selectors
from . import status as rules


def export_tables():
    from civicspace.exports.codebook import Field, Table

    return [
        Table("cases", "Cases",
              "People and organisations followed through detention, charges, trial, sentence and release (or "
              "designation, liquidation and reinstatement). Status and days deprived of liberty are derived from "
              "the verified events (case_events) on the day of the release. A person is named only when an editor "
              "recorded a reason (consent, or a public figure whose case is already public); otherwise only the "
              "description is given.",
              [Field("id", "integer", "Identifier; the case's page is /<language>/cases/<id>/.", required=True),
               Field("country", "string", "The country (countries.code).", required=True),
               Field("subject_type", "string", "person or organisation.", required=True,
                     enum=["person", "organisation"]),
               Field("victim_type", "string", "Victim type (taxonomy code)."),
               Field("organisation", "string", "For a person: the outlet or organisation they work for; for an "
                                               "organisation: its name."),
               Field("name", "string", "An organisation's name, or a person's name published with a reason; "
                                       "empty otherwise."),
               Field("description_en", "string", "Who, and where the case stands, in English."),
               Field("status", "string", "Status on the release date.", required=True, enum=list(rules.STATUSES)),
               Field("status_since", "date", "When the current status started (first day of the month or year "
                                             "when only that is known)."),
               Field("status_since_precision", "string", "day, month or year.", enum=list(rules.PRECISIONS)),
               Field("days_deprived_of_liberty", "integer", "Days detained, under house arrest or serving a "
                                                            "prison sentence, up to the release date.",
                     minimum=0),
               Field("days_approximate", "boolean", "Some date bounding a period of deprivation is known only "
                                                    "to the month or year."),
               Field("charges", "list", "Legal provisions cited (verified).", item_type="string"),
               Field("laws", "list", "Tracked laws among the provisions (bills.id).", item_type="integer")],
              ["id"], [(["country"], "countries", ["code"])]),
        Table("case_events", "Case events",
              "Verified, sourced steps of each case. Proposed steps not yet verified by an editor are not included.",
              [Field("id", "integer", "Identifier.", required=True),
               Field("case", "integer", "The case (cases.id).", required=True),
               Field("kind", "string", "What happened.", required=True, enum=list(rules.KINDS)),
               Field("date", "date", "Date (first day of the month or year when only that is known).",
                     required=True),
               Field("date_precision", "string", "day, month or year.", enum=list(rules.PRECISIONS)),
               Field("sentence", "string", "Verdicts: custodial, non_custodial or acquitted.",
                     enum=list(rules.SENTENCE_KINDS)),
               Field("sentence_text", "string", "The sentence as pronounced."),
               Field("outcome", "string", "Appeals: " + ", ".join(rules.APPEAL_OUTCOMES) + ".",
                     enum=list(rules.APPEAL_OUTCOMES)),
               Field("note", "string", "Public note, in English."),
               Field("source_title", "string", "The source of this step."),
               Field("source_url", "string", "Address of the source.")],
              ["id"], [(["case"], "cases", ["id"])]),
    ]


def cases():
    rows = []
    with translation.override("en"):
        for case in sorted(selectors.public_cases(today=timezone.localdate()), key=lambda c: c.pk):
            rows.append({
                "id": case.pk, "country": case.country.code, "subject_type": case.subject_type,
                "victim_type": case.victim_type.code if case.victim_type else None,
                "organisation": case.organisation or None, "name": case.shown_name or None,
                "description_en": presentation.description(case), "status": case.rule.status,
                "status_since": case.rule.since, "status_since_precision": case.rule.since_precision,
                "days_deprived_of_liberty": case.rule.days_deprived, "days_approximate": case.rule.approximate,
                "charges": [c.provision for c in case.public_charges],
                "laws": sorted({c.bill_id for c in case.public_charges if c.bill_id}),
            })
    return rows


def case_events():
    rows = []
    for case in sorted(selectors.public_cases(), key=lambda c: c.pk):
        for e in case.public_events:
            rows.append({"id": e.pk, "case": case.pk, "kind": e.kind, "date": e.date,
                         "date_precision": e.date_precision, "sentence": e.sentence or None,
                         "sentence_text": e.sentence_text or None, "outcome": e.outcome or None,
                         "note": e.note or None, "source_title": e.source.title if e.source else None,
                         "source_url": (e.source.url or None) if e.source else None})
    return rows
