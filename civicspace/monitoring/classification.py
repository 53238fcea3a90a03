"""Field classification of the monitoring models (see civicspace/core/classification.py).

This file holds the fields added by the workspace work (issue 25); the existing fields are classified by the
public-read-model work, and the two lists are merged."""
from civicspace.core.classification import CONFIDENTIAL

FIELDS = {
    # Optimistic-locking counters: workflow bookkeeping, never shown to the public.
    "Incident": {"version": CONFIDENTIAL},
    "Source": {"version": CONFIDENTIAL},
}
