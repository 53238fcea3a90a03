"""Field classes of legislation (see civicspace/core/classification.py). Bills and their sources are public
reference facts; a stage event is public once verified (StageEvent.objects.published()); who proposed or verified
it never is."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "Bill": {"id": PUBLIC, "country": PUBLIC, "official_title": PUBLIC, "short_title": PUBLIC, "summary": PUBLIC,
             "original_language": PUBLIC, "translation_status": PUBLIC, "number": PUBLIC, "category": PUBLIC,
             "direction": PUBLIC, "passed_with_improvements": PUBLIC, "import_key": CONFIDENTIAL,
             "created_at": CONFIDENTIAL, "freedoms": PUBLIC,
             "version": CONFIDENTIAL,  # optimistic locking (issue 25)
             # derived from the verified (published) stage events only
             "current_stage": PUBLIC, "last_moved": PUBLIC, "last_moved_precision": PUBLIC,
             # links to updates and incidents: public only for the published ones (Update.objects.published())
             "updates": PUBLISHED, "incidents": PUBLISHED},
    "BillSource": {"id": PUBLIC, "bill": PUBLIC, "title": PUBLIC, "publisher": PUBLIC, "date": PUBLIC, "url": PUBLIC,
                   "is_text": PUBLIC},
    "StageEvent": {"id": PUBLISHED, "bill": PUBLISHED, "stage": PUBLISHED, "date": PUBLISHED,
                   "date_precision": PUBLISHED, "note": PUBLISHED, "source": PUBLISHED, "verified": PUBLISHED,
                   "proposed_by": PERSONAL, "verified_by": PERSONAL, "created_at": CONFIDENTIAL},
}
