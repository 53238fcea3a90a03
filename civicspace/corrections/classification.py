"""Field registry of corrections (see civicspace/core/classification.py). Everything the requester typed is
PERSONAL (who they are, how to reach them) or CONFIDENTIAL (their text and evidence, until an editor publishes
a copy of it: reply_party, reply_text, correction_note). Requesters' data is erased on request
(`civicspace corrections_erase`, or the admin's action)."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLISHED

FIELDS = {
    "CorrectionRequest": {
        "id": PUBLISHED, "request_type": PUBLISHED, "item_kind": PUBLISHED, "item_id": PUBLISHED,
        "page_key": PUBLISHED, "country": PUBLISHED, "language": PUBLISHED, "state": PUBLISHED,
        "reply_party": PUBLISHED, "reply_text": PUBLISHED, "reply_translations": PUBLISHED,
        "correction_note": PUBLISHED, "published_at": PUBLISHED, "decided_at": PUBLISHED,
        "requester_name": PERSONAL, "requester_organisation": PERSONAL, "requester_role": PERSONAL,
        "requester_email": PERSONAL, "decided_by": PERSONAL,
        "represents_government": CONFIDENTIAL, "text": CONFIDENTIAL, "evidence_links": CONFIDENTIAL,
        "created_at": CONFIDENTIAL, "confirmed_at": CONFIDENTIAL, "decline_reason": CONFIDENTIAL,
        "proposal": CONFIDENTIAL, "version": CONFIDENTIAL,
    },
}
