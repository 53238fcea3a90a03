"""Field classes of ratings (see civicspace/core/classification.py). Published editions, their ratings, the
guiding scores and the index values they rest on are public; decisions and errata are public once their edition
is published; proposals, panel votes and coded assessments are for staff."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "RatingEdition": {"id": PUBLIC, "code": PUBLIC, "slug": PUBLIC, "published": PUBLIC,
                      "published_precision": PUBLIC, "coverage": PUBLIC},
    "PublishedRating": {"id": PUBLIC, "edition": PUBLIC, "country": PUBLIC, "rating": PUBLIC, "score": PUBLIC,
                        "source_url": PUBLIC},
    "IndexValue": {"id": PUBLIC, "index": PUBLIC, "country": PUBLIC, "year": PUBLIC, "edition_year": PUBLIC,
                   "events_year": PUBLIC, "value": PUBLIC, "available_from": PUBLIC, "source_file": PUBLIC,
                   "source_line": PUBLIC},
    "Assessment": {"id": CONFIDENTIAL, "country": CONFIDENTIAL, "stream": CONFIDENTIAL, "organisation": CONFIDENTIAL,
                   "author": PERSONAL, "period_end": CONFIDENTIAL, "status": CONFIDENTIAL,
                   "form_version": CONFIDENTIAL, "created_at": CONFIDENTIAL, "submitted_at": CONFIDENTIAL},
    "AssessmentAnswer": {"id": CONFIDENTIAL, "assessment": CONFIDENTIAL, "question": CONFIDENTIAL,
                         "value": CONFIDENTIAL, "justification": CONFIDENTIAL},
    "GuidingScore": {"id": PUBLIC, "country": PUBLIC, "as_of": PUBLIC, "version": PUBLIC, "inputs": PUBLIC,
                     "result": PUBLIC, "score": PUBLIC, "interval_low": PUBLIC, "interval_high": PUBLIC,
                     "band": PUBLIC, "computed_at": PUBLIC},
    "EditionDraft": {"id": CONFIDENTIAL, "kind": PUBLISHED, "publish_on": PUBLISHED, "edition": PUBLISHED,
                     "created_by": PERSONAL, "created_at": CONFIDENTIAL},
    "RatingProposal": {"id": CONFIDENTIAL, "country": PUBLISHED, "score": PUBLISHED, "from_rating": PUBLISHED,
                       "to_rating": PUBLISHED, "status": CONFIDENTIAL, "reason": CONFIDENTIAL,
                       "opened_by": PERSONAL, "opened_at": CONFIDENTIAL},
    "PanelVote": {"id": CONFIDENTIAL, "proposal": CONFIDENTIAL, "member": PERSONAL, "vote": CONFIDENTIAL,
                  "comment": CONFIDENTIAL, "voted_at": CONFIDENTIAL},
    "RatingDecision": {"id": PUBLISHED, "proposal": PUBLISHED, "draft": PUBLISHED, "rating": PUBLISHED,
                       "score": PUBLISHED, "rationale": PUBLISHED, "decided_by": PERSONAL, "decided_at": PUBLISHED,
                       "challenge_answer": PUBLISHED},
    "Erratum": {"id": PUBLIC, "edition": PUBLIC, "country": PUBLIC, "rating_before": PUBLIC, "rating_after": PUBLIC,
                "score_before": PUBLIC, "score_after": PUBLIC, "reason": PUBLIC, "recorded_by": PERSONAL,
                "recorded_at": PUBLIC},
}
