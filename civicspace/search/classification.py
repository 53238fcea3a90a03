"""Field classes of the search index (see civicspace/core/classification.py). A search document is built only
from published records (search/services.py), so it is public once published; the dirty list is internal."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "SearchDocument": {"id": PUBLISHED, "kind": PUBLISHED, "object_id": PUBLISHED, "parent_id": PUBLISHED,
                       "language": PUBLISHED, "text_language": PUBLISHED, "title": PUBLISHED, "text": PUBLISHED,
                       "url": PUBLISHED, "country": PUBLISHED, "date": PUBLISHED, "date_precision": PUBLISHED,
                       "indexed_at": CONFIDENTIAL},
    "DirtyRecord": {"id": CONFIDENTIAL, "kind": CONFIDENTIAL, "object_id": CONFIDENTIAL, "marked_at": CONFIDENTIAL},
}
