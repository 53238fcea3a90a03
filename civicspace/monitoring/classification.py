"""Field classes of monitoring (see civicspace/core/classification.py). An update, its incidents, victims and
non-confidential sources are public once the update is published (Update.objects.published()); editors' notes,
confidential sources, sensitive names, comments and trend calls never are. A coarsened place is
not stored at all, in any language (Incident.save()); translated fields (place_ru, retraction_reason_ar, ...) take
their base field's class."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "Organisation": {"id": PUBLIC, "slug": PUBLIC, "name": PUBLIC, "description": PUBLIC, "website": PUBLIC,
                     "is_active": PUBLIC, "countries": PUBLIC, "regions": PUBLIC},
    "Term": {"id": PUBLIC, "vocabulary": PUBLIC, "code": PUBLIC, "label": PUBLIC, "position": PUBLIC,
             "freedom": PUBLIC, "is_active": PUBLIC},
    "Update": {"id": PUBLISHED, "country": PUBLISHED, "date": PUBLISHED, "original_language": PUBLISHED,
               "title": PUBLISHED, "summary": PUBLISHED, "body": PUBLISHED, "translation_status": PUBLISHED,
               "freedoms": PUBLISHED, "organisation": PUBLISHED, "created_by": PERSONAL, "status": PUBLISHED,
               "retraction_reason": PUBLISHED, "retraction_language": PUBLISHED, "published_at": PUBLISHED, "version": CONFIDENTIAL, "submission_key": CONFIDENTIAL,
               "import_key": CONFIDENTIAL, "created_at": CONFIDENTIAL, "updated_at": CONFIDENTIAL},
    # A confidential source's title, publisher and URL are filtered out row by row (Source.objects.public());
    # the note is for editors only.
    "Source": {"id": PUBLISHED, "update": PUBLISHED, "title": PUBLISHED, "publisher": PUBLISHED, "date": PUBLISHED,
               "url": PUBLISHED, "language": PUBLISHED, "confidential": PUBLISHED, "note": CONFIDENTIAL,
               "version": CONFIDENTIAL},  # optimistic locking (issue 25)
    "Incident": {"id": PUBLISHED, "update": PUBLISHED, "date": PUBLISHED, "date_precision": PUBLISHED,
                 "place": PUBLISHED, "place_precision": PUBLISHED,
                 "description": PUBLISHED, "outcome": PUBLISHED, "freedoms": PUBLISHED, "types": PUBLISHED,
                 "perpetrators": PUBLISHED, "sources": PUBLISHED,
                 "type_ids": PUBLISHED,  # a copy of types (Incident.type_ids)
                 "version": CONFIDENTIAL},  # optimistic locking (issue 25)
    # Names are public only when marked not sensitive (Victim.public_names).
    "Victim": {"id": PUBLISHED, "incident": PUBLISHED, "type": PUBLISHED, "count": PUBLISHED, "names": PUBLISHED,
               "names_sensitive": PUBLISHED},
    "Comment": {"id": CONFIDENTIAL, "update": CONFIDENTIAL, "author": PERSONAL, "body": CONFIDENTIAL,
                "transition": CONFIDENTIAL, "created_at": CONFIDENTIAL},
    "TrendCall": {"id": CONFIDENTIAL, "country": CONFIDENTIAL, "organisation": CONFIDENTIAL,
                  "period_end": CONFIDENTIAL, "call": CONFIDENTIAL, "note": CONFIDENTIAL, "created_by": PERSONAL,
                  "created_at": CONFIDENTIAL},
}
