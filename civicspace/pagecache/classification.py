"""Field classes of the page cache (see civicspace/core/classification.py): an internal counter."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "PublicationGeneration": {"id": CONFIDENTIAL, "value": CONFIDENTIAL},
}
