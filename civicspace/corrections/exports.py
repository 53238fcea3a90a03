"""The corrections table of the data release (registered in civicspace/exports/codebook.py and selectors.py):
published replies and accepted corrections only, from the public selector."""
from django.utils import translation

from . import selectors
from .models import ItemKind, RequestType


def export_tables():
    from civicspace.exports.codebook import Field, Table

    return [
        Table("corrections", "Corrections and replies",
              "Every correction the monitor made to a published item (with its public note) and every reply of a "
              "named party it published under an item. Who asked, and what they wrote unless published, is never "
              "included.",
              [Field("id", "integer", "Identifier.", required=True),
               Field("type", "string", "correction or reply.", required=True, enum=list(RequestType.values)),
               Field("kind", "string", "The item corrected or answered.", required=True,
                     enum=list(ItemKind.values)),
               Field("item_id", "integer", "The item's id (updates.id, incidents.id, bills.id, cases.id; for a "
                                           "rating the country is given in country).", required=True),
               Field("item_title_en", "string", "The item's title, in English where translated."),
               Field("country", "string", "The country (countries.code).", required=True),
               Field("published_at", "datetime", "When the correction or reply was published.", required=True),
               Field("note", "string", "For a correction: what was changed."),
               Field("party", "string", "For a reply: the replying party, as published."),
               Field("reply", "string", "For a reply: its text in its own language."),
               Field("reply_language", "string", "For a reply: the language of its text (en, ru, fr, es, ar).")],
              ["id"], [(["country"], "countries", ["code"])]),
    ]


def corrections():
    rows = []
    with translation.override("en"):
        for r in sorted(selectors.public_record(), key=lambda r: r.pk):
            reply = r.request_type == RequestType.REPLY
            rows.append({
                "id": r.pk, "type": r.request_type, "kind": r.item_kind, "item_id": r.item_id,
                "item_title_en": r.item.title, "country": r.country.code, "published_at": r.published_at,
                "note": None if reply else r.correction_note, "party": r.reply_party if reply else None,
                "reply": r.reply_text if reply else None, "reply_language": r.language if reply else None,
            })
    return rows
