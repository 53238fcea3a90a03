"""Field classes of the reference list of countries and regions (see civicspace/core/classification.py)."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "Region": {"id": PUBLIC, "code": PUBLIC, "name": PUBLIC, "position": PUBLIC},
    "Country": {"id": PUBLIC, "code": PUBLIC, "iso3": PUBLIC, "iso2": PUBLIC, "iso_numeric": PUBLIC, "name": PUBLIC,
                "monitor_name": PUBLIC, "region": PUBLIC, "region_source_url": PUBLIC, "note": PUBLIC},
}
