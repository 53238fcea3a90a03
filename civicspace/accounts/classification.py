"""Field classes of accounts (see civicspace/core/classification.py): who works here is personal data."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "Profile": {"id": CONFIDENTIAL, "user": PERSONAL, "role": PERSONAL, "organisation": PERSONAL,
                "countries": PERSONAL},
    "Invitation": {"id": CONFIDENTIAL, "email": PERSONAL, "role": PERSONAL, "organisation": PERSONAL,
                   "token": CONFIDENTIAL, "invited_by": PERSONAL, "created_at": CONFIDENTIAL,
                   "expires_at": CONFIDENTIAL, "used_at": CONFIDENTIAL, "countries": PERSONAL},
}
