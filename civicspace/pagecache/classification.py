"""Field classes of the page cache (see civicspace/core/classification.py): an internal counter. Its value is
public: a mirror's manifest records the generation it was built from (so that a rebuild knows what changed), and
it says no more than how many publications there have been, which the public site shows anyway."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "PublicationGeneration": {"id": CONFIDENTIAL, "value": PUBLIC},
}
