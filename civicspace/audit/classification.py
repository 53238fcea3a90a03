"""Field classes of the audit log (see civicspace/core/classification.py): staff-only, never public."""
from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED  # noqa: F401

FIELDS = {
    "AuditEvent": {"id": CONFIDENTIAL, "created_at": CONFIDENTIAL, "actor": PERSONAL, "actor_label": PERSONAL,
                   "action": CONFIDENTIAL, "target_type": CONFIDENTIAL, "target_id": CONFIDENTIAL,
                   "data": CONFIDENTIAL},
}
