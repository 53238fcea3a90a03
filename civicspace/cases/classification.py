"""Field registry of cases (see civicspace/core/classification.py). A person's name is CONFIDENTIAL: public outputs
show it only through Case.public_name(), which returns it once an editor published it with a reason."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLISHED

FIELDS = {
    "Case": {
        "id": PUBLISHED, "country": PUBLISHED, "subject_type": PUBLISHED, "victim_type": PUBLISHED,
        "organisation": PUBLISHED, "summary": PUBLISHED, "incidents": PUBLISHED, "updates": PUBLISHED,
        "state": PUBLISHED, "published_at": PUBLISHED, "name_published": PUBLISHED,
        "subject_name": CONFIDENTIAL, "name_reason": CONFIDENTIAL, "name_reason_note": CONFIDENTIAL,
        "name_published_at": CONFIDENTIAL, "editor_note": CONFIDENTIAL, "version": CONFIDENTIAL,
        "import_key": CONFIDENTIAL, "created_at": CONFIDENTIAL, "updated_at": CONFIDENTIAL,
        "name_published_by": PERSONAL, "created_by": PERSONAL,
    },
    "CaseSource": {
        "id": PUBLISHED, "case": PUBLISHED, "title": PUBLISHED, "publisher": PUBLISHED, "date": PUBLISHED,
        "url": PUBLISHED,
    },
    "Charge": {
        "id": PUBLISHED, "case": PUBLISHED, "provision": PUBLISHED, "description": PUBLISHED, "bill": PUBLISHED,
        "source": PUBLISHED, "verified": PUBLISHED, "proposed_by": PERSONAL,
    },
    "CaseEvent": {
        "id": PUBLISHED, "case": PUBLISHED, "kind": PUBLISHED, "date": PUBLISHED, "date_precision": PUBLISHED,
        "sentence": PUBLISHED, "sentence_days": PUBLISHED, "sentence_text": PUBLISHED, "outcome": PUBLISHED,
        "note": PUBLISHED, "source": PUBLISHED, "verified": PUBLISHED, "created_at": CONFIDENTIAL,
        "proposed_by": PERSONAL, "verified_by": PERSONAL,
    },
}
