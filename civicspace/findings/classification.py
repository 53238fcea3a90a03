"""Field classes of the findings' reference data (see civicspace/core/classification.py)."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "Population": {"id": PUBLIC, "country": PUBLIC, "year": PUBLIC, "population": PUBLIC, "source": PUBLIC},
}
