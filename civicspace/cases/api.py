"""The cases part of the public API (django-ninja router, mounted at /api/v1/cases by civicspace/api/api.py).

Responses are plain dicts validated against the schemas below: there is no field for a person's confidential
name, only `name`, filled from Case.public_name() (a person's name once an editor published it with a reason)."""
import datetime as dt
from typing import List, Optional

from django.http import Http404
from django.utils import translation
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from civicspace.legislation.models import Bill
from civicspace.monitoring.models import Vocabulary

from . import presentation, selectors
from . import status as rules
from .models import KIND_LABELS, STATUS_LABELS, SubjectType

from civicspace.api.schemas import Error

router = Router(tags=["cases"])
ERRORS = {400: Error, 404: Error, 422: Error, 429: Error}


class CaseCountry(Schema):
    code: str
    name: str


class CaseCounts(Schema):
    behind_bars: int = Field(description="People detained or serving a prison sentence today.")
    defenders_behind_bars: int = Field(description="Of them, journalists and human rights defenders (journalist, "
                                                   "hrd, woman_hrd, blogger, lawyer, environmental_defender).")
    house_arrest: int
    organisations_restricted: int
    cases: int


class CaseCharge(Schema):
    provision: str
    description: str
    law: Optional[int] = Field(description="The tracked law (/laws/{id}) when the provision is one.")


class CaseSourceOut(Schema):
    title: str
    publisher: str
    date: Optional[dt.date]
    url: str


class CaseEventOut(Schema):
    kind: str
    label: str
    date: dt.date
    date_precision: str
    sentence: str
    sentence_text: str
    outcome: str
    note: str
    source: Optional[CaseSourceOut]


class CaseSummary(Schema):
    id: int
    url: str
    country: CaseCountry
    subject_type: str = Field(description="person or organisation")
    victim_type: Optional[str]
    name: str = Field(description="An organisation's name; a person's name only when an editor published it with "
                                  "a reason (consent, or a public figure whose case is already public); else ''.")
    description: str = Field(description="Who and where the case stands, in the requested language.")
    status: str = Field(description=f"Derived today from the verified events: {', '.join(rules.STATUSES)}")
    status_label: str
    since: Optional[dt.date]
    since_precision: Optional[str]
    days_deprived_of_liberty: int
    days_approximate: bool
    charges: List[CaseCharge]


class CaseList(Schema):
    counts: CaseCounts
    results: List[CaseSummary]


class CaseDetail(CaseSummary):
    summary: str
    timeline: List[CaseEventOut]
    sources: List[CaseSourceOut]
    updates: List[int] = Field(description="Related published updates (/updates/{id}).")


def _source(source):
    return {"title": source.title, "publisher": source.publisher, "date": source.date, "url": source.url}


def _summary(request, case, lang):
    from civicspace.api.api import country_ref, url

    with translation.override(lang):
        return {
            "id": case.pk, "url": url(request, "case", case.pk), "country": country_ref(case.country, lang),
            "subject_type": case.subject_type, "victim_type": case.victim_type.code if case.victim_type else None,
            "name": case.shown_name, "description": presentation.description(case), "status": case.rule.status,
            "status_label": str(STATUS_LABELS[case.rule.status]), "since": case.rule.since,
            "since_precision": case.rule.since_precision, "days_deprived_of_liberty": case.rule.days_deprived,
            "days_approximate": case.rule.approximate,
            "charges": [{"provision": c.provision, "description": c.description, "law": c.bill_id}
                        for c in case.public_charges],
        }


@router.get("", response={200: CaseList, **ERRORS}, url_name="cases",
            summary="Published cases with their status today and headline counts, filtered")
def cases(request,
          country: Optional[str] = Query(None, description="Country code, e.g. KGZ"),
          status: Optional[str] = Query(None, description=f"One of {', '.join(rules.STATUSES)}"),
          subject_type: Optional[str] = Query(None, description="person or organisation"),
          victim: Optional[str] = Query(None, description="Victim type code (taxonomy)"),
          charge: Optional[str] = Query(None, max_length=100, description="Text in the legal provision cited"),
          law: Optional[int] = Query(None, ge=1, description="A tracked law's id (/laws)"),
          lang: str = Query("en")):
    from civicspace.api.api import choice, country_from_code, language, term_from_code

    lang = language(lang)
    filters = {
        "country": country and country_from_code(country, parameter="country"),
        "status": status and choice("status", status, rules.STATUSES),
        "subject_type": subject_type and choice("subject_type", subject_type, SubjectType.values),
        "victim_type": victim and term_from_code("victim", victim, [Vocabulary.VICTIM]),
        "charge": charge,
    }
    if law is not None:
        filters["law"] = Bill.objects.filter(pk=law).first()
        if filters["law"] is None:
            raise HttpError(400, f"Unknown law {law} in parameter 'law'")
    found = selectors.public_cases(**{k: v for k, v in filters.items() if v})
    return {"counts": selectors.headline_counts(found), "results": [_summary(request, c, lang) for c in found]}


@router.get("/{id}", response={200: CaseDetail, **ERRORS}, url_name="case", summary="One published case with its timeline")
def case(request, id: int = Path(..., ge=1, le=2**63 - 1), lang: str = Query("en")):
    from civicspace.api.api import language, url

    lang = language(lang)
    try:
        found = selectors.case_public_get(id)
    except Http404:
        raise HttpError(404, f"No published case with id {id}") from None
    data = _summary(request, found, lang)
    with translation.override(lang):
        data["timeline"] = [{"kind": e.kind, "label": str(KIND_LABELS[e.kind]), "date": e.date,
                             "date_precision": e.date_precision, "sentence": e.sentence,
                             "sentence_text": e.sentence_text, "outcome": e.outcome, "note": e.note,
                             "source": _source(e.source) if e.source else None} for e in found.public_events]
    data.update(summary=found.summary, sources=[_source(s) for s in found.sources.all()],
                updates=[u.pk for u in selectors.public_updates_of(found)])
    return data
