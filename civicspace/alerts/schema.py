"""The OpenAPI 3.1 `webhooks` section of the API document: one entry per event type, with the Standard Webhooks
headers and the envelope. The API adds it to its generated schema (civicspace/api/api.py)."""
from civicspace.core.events import KINDS

DESCRIPTIONS = {
    "update.published": "A research partner's update was published (country, title and summary in five languages, "
                        "freedoms and violation types of its incidents, link).",
    "update.retracted": "A published update was retracted, with the public reason.",
    "law.stage_verified": "A law or draft law reached a new stage (verified by an editor).",
    "rating.edition_published": "A rating edition was published, with the countries whose rating changed.",
    "watchlist.edition_published": "A Watchlist edition was published, with its countries.",
    "findings.published": "The global findings of a complete rating edition are published.",
    "case.published": "A case (a person or organisation followed through detention, trial and release) was "
                      "published.",
    "case.event_verified": "A new event of a published case was verified.",
}


HEADERS = [
    {"name": "webhook-id", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "The event's unique id (also `id` in the body): the same on every retry and replay; "
                    "de-duplicate with it (delivery is at least once)."},
    {"name": "webhook-timestamp", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "Seconds since the Unix epoch when this attempt was signed; refuse old ones (e.g. > 5 min)."},
    {"name": "webhook-signature", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "`v1,` + base64(HMAC-SHA256(key, f\"{webhook-id}.{webhook-timestamp}.{body}\")), where key is "
                    "the base64-decoded part of your secret after `whsec_` (Standard Webhooks). While a rotated "
                    "secret overlaps the new one (24 hours, when its owner chose so), the header holds both "
                    "signatures separated by a space: accept the request if any one matches."},
]


def webhooks_openapi():
    out = {}
    for kind in KINDS:
        out[kind] = {"post": {
            "summary": kind,
            "description": DESCRIPTIONS[kind] + " Sent to the HTTPS endpoints registered for this event type; "
                           "an answer other than 2xx is retried with exponential back-off for 24 hours. Register "
                           "an endpoint at [/en/alerts/webhooks/](/en/alerts/webhooks/) (self-service, with a "
                           "confirmed e-mail address).",
            "operationId": "webhook_" + kind.replace(".", "_"),
            "parameters": HEADERS,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["id", "type", "timestamp", "data"],
                "properties": {
                    "id": {"type": "string", "description": "event id, equal to the webhook-id header"},
                    "type": {"type": "string", "const": kind},
                    "timestamp": {"type": "string", "format": "date-time",
                                  "description": "when the event happened"},
                    "data": {"type": "object", "description": "public fields only; texts per language",
                             "additionalProperties": True},
                }}}}},
            "responses": {"2XX": {"description": "Received. Anything else (or no answer within 10 s) is retried."}},
        }}
    return out


