from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLISHED

# Subscribers' addresses are personal data (exportable and deletable: `civicspace alerts_subscriber`); their
# choices and tokens are never public. Events hold only public fields read through the domains' published()
# doors, and are only ever sent, never shown on a page.
FIELDS = {
    "Subscriber": {"id": CONFIDENTIAL, "email": PERSONAL, "language": PERSONAL, "frequency": PERSONAL,
                   "token": CONFIDENTIAL, "countries": PERSONAL, "regions": PERSONAL, "terms": PERSONAL,
                   "bills": PERSONAL, "law_countries": PERSONAL, "rating_changes": PERSONAL,
                   "watchlist": PERSONAL, "findings": PERSONAL, "created_at": PERSONAL, "confirmed_at": PERSONAL},
    "Event": {"id": CONFIDENTIAL, "uid": PUBLISHED, "kind": PUBLISHED, "object_id": PUBLISHED,
              "payload": PUBLISHED, "match": PUBLISHED, "related": PUBLISHED, "created_at": PUBLISHED,
              "fanned_out_at": CONFIDENTIAL},
    "Delivery": {"id": CONFIDENTIAL, "subscriber": PERSONAL, "event": CONFIDENTIAL, "kind": CONFIDENTIAL,
                 "email_key": CONFIDENTIAL, "created_at": CONFIDENTIAL},
    "WebhookEndpoint": {"id": CONFIDENTIAL, "name": CONFIDENTIAL, "owner_email": PERSONAL, "language": PERSONAL,
                        "url": CONFIDENTIAL,
                        "secret": CONFIDENTIAL, "previous_secret": CONFIDENTIAL,
                        "previous_secret_until": CONFIDENTIAL, "event_types": CONFIDENTIAL, "active": CONFIDENTIAL,
                        "consecutive_failures": CONFIDENTIAL, "disabled_at": CONFIDENTIAL,
                        "disabled_reason": CONFIDENTIAL, "created_at": CONFIDENTIAL,
                        "manage_token": CONFIDENTIAL},
    # A self-service endpoint asked for and not confirmed yet: the address is personal, the rest confidential.
    "WebhookRequest": {"id": CONFIDENTIAL, "email": PERSONAL, "name": CONFIDENTIAL, "url": CONFIDENTIAL,
                       "event_types": CONFIDENTIAL, "language": PERSONAL, "token": CONFIDENTIAL,
                       "created_at": PERSONAL},
    "WebhookDelivery": {"id": CONFIDENTIAL, "endpoint": CONFIDENTIAL, "event": CONFIDENTIAL, "state": CONFIDENTIAL,
                        "attempts": CONFIDENTIAL, "first_attempt_at": CONFIDENTIAL, "last_attempt_at": CONFIDENTIAL,
                        "next_attempt_at": CONFIDENTIAL, "last_status_code": CONFIDENTIAL,
                        "last_error": CONFIDENTIAL, "delivered_at": CONFIDENTIAL, "created_at": CONFIDENTIAL},
    "WebhookAttempt": {"id": CONFIDENTIAL, "delivery": CONFIDENTIAL, "at": CONFIDENTIAL,
                       "status_code": CONFIDENTIAL, "error": CONFIDENTIAL, "duration_ms": CONFIDENTIAL},
}
