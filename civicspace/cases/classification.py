"""Field registry of cases (see civicspace/core/classification.py). A person's name is CONFIDENTIAL: public outputs
show only `published_name`, the copy case_name_publish makes once an editor recorded a reason to name the person."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLISHED

FIELDS = {
    "Case": {
        "id": PUBLISHED, "country": PUBLISHED, "subject_type": PUBLISHED, "victim_type": PUBLISHED,
        "organisation": PUBLISHED, "summary": PUBLISHED, "incidents": PUBLISHED, "updates": PUBLISHED,
        "state": PUBLISHED, "published_at": PUBLISHED, "name_published": PUBLISHED,
        "published_name": PUBLISHED,  # a copy made only by case_name_publish, with an audited reason
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
