"""The corrections part of the public API (django-ninja router, mounted at /api/v1/corrections by
civicspace/api/api.py): published replies and accepted corrections only, never who asked or what they wrote
unless an editor published it."""
import datetime as dt
from typing import Dict, List, Optional

from django.utils import translation
from ninja import Field, Query, Router, Schema

from civicspace.api.schemas import Error

from . import selectors
from .models import ItemKind, RequestType

router = Router(tags=["corrections"])
ERRORS = {400: Error, 422: Error, 429: Error}


class CorrectionCountry(Schema):
    code: str
    name: str


class CorrectionOut(Schema):
    id: int
    type: str = Field(description="correction (the monitor corrected the item) or reply (a named party's reply, "
                                  "published under the item)")
    kind: str = Field(description=f"What was corrected or answered: {', '.join(ItemKind.values)}")
    item_id: int = Field(description="The item's id (for a rating: the country's internal id; see country)")
    item_title: str
    item_url: str
    country: CorrectionCountry
    published_at: dt.datetime
    note: str = Field(description="For a correction: what was changed (the public correction note); else ''.")
    party: str = Field(description="For a reply: the replying party, as the editors published it; else ''.")
    reply: str = Field(description="For a reply: its text in its own language; else ''.")
    reply_language: str
    reply_translations: Dict[str, str] = Field(description="Translations by the editors, by language code.")


class CorrectionList(Schema):
    count: int
    results: List[CorrectionOut]


@router.get("", response={200: CorrectionList, **ERRORS}, url_name="corrections",
            summary="Published corrections and replies of named parties, newest first, filtered")
def corrections(request,
                country: Optional[str] = Query(None, description="Country code, e.g. KGZ"),
                kind: Optional[str] = Query(None, description=f"One of {', '.join(ItemKind.values)}"),
                type: Optional[str] = Query(None, description="correction or reply"),
                lang: str = Query("en")):
    from civicspace.api.api import choice, country_from_code, country_ref, language

    lang = language(lang)
    filters = {"country": country and country_from_code(country, parameter="country"),
               "item_kind": kind and choice("kind", kind, ItemKind.values),
               "request_type": type and choice("type", type, RequestType.values)}
    with translation.override(lang):
        records = selectors.public_record(**{k: v for k, v in filters.items() if v})
        results = [{
            "id": r.pk, "type": r.request_type, "kind": r.item_kind, "item_id": r.item_id,
            "item_title": r.item.title, "item_url": request.build_absolute_uri(r.item.url),
            "country": country_ref(r.country, lang), "published_at": r.published_at,
            "note": r.correction_note if r.request_type == RequestType.CORRECTION else "",
            "party": r.reply_party if r.request_type == RequestType.REPLY else "",
            "reply": r.reply_text if r.request_type == RequestType.REPLY else "",
            "reply_language": r.language if r.request_type == RequestType.REPLY else "",
            "reply_translations": r.reply_translations if r.request_type == RequestType.REPLY else {},
        } for r in records]
    return {"count": len(results), "results": results}
