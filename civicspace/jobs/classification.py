from civicspace.core.classification import CONFIDENTIAL, PERSONAL

FIELDS = {
    "OutgoingEmail": {"id": CONFIDENTIAL, "key": CONFIDENTIAL, "to": PERSONAL, "subject": CONFIDENTIAL,
                      "body": CONFIDENTIAL, "html": CONFIDENTIAL, "headers": CONFIDENTIAL, "status": CONFIDENTIAL, "attempts": CONFIDENTIAL,
                      "last_error": CONFIDENTIAL, "created_at": CONFIDENTIAL, "sent_at": CONFIDENTIAL},
    "WorkerHeartbeat": {"worker_id": CONFIDENTIAL, "seen_at": CONFIDENTIAL},
}
