"""Field classes of the Watchlist (see civicspace/core/classification.py). An edition and its entries are public
once the edition is published; who composed it and the editors' source note never are."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "HRCSession": {"id": PUBLIC, "number": PUBLIC, "start": PUBLIC, "end": PUBLIC, "source_url": PUBLIC},
    "WatchlistEdition": {"id": PUBLISHED, "slug": PUBLISHED, "target_date": PUBLISHED, "date_precision": PUBLISHED,
                         "hrc_session": PUBLISHED, "status": PUBLISHED, "published_at": PUBLISHED,
                         "pr_title": PUBLISHED, "pr_dateline": PUBLISHED, "pr_lead": PUBLISHED, "pr_about": PUBLISHED,
                         "pr_contact": PUBLISHED, "press_release_text": PUBLISHED, "source_note": CONFIDENTIAL,
                         "import_key": CONFIDENTIAL, "created_by": PERSONAL,
                         "version": CONFIDENTIAL},  # optimistic locking of the press release (issue 25)
    "WatchlistEntry": {"id": PUBLISHED, "edition": PUBLISHED, "country": PUBLISHED, "position": PUBLISHED,
                       "rationale": PUBLISHED, "translation_status": PUBLISHED, "confirmed": PUBLISHED,
                       "source_url": PUBLISHED, "note": PUBLISHED, "rating_at_publication": PUBLISHED,
                       "score_at_publication": PUBLISHED, "rating_edition": PUBLISHED,
                       "version": CONFIDENTIAL},  # optimistic locking of the rationale (issue 25)
}
