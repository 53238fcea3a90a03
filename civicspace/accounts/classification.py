"""Field classification of the account models (see civicspace/core/classification.py).

This file holds the fields added by the workspace work (issue 25); the existing fields are classified by the
public-read-model work, and the two lists are merged."""
from civicspace.core.classification import PERSONAL

FIELDS = {
    "Profile": {"language": PERSONAL},
}
