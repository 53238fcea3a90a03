"""Saving what the partner accepted: one draft update, its source and its incidents, all at once, through the
monitoring services (so drafts, audit events, revision history and permissions are the usual ones)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicspace.audit.services import audit_event_record
from civicspace.monitoring import permissions
from civicspace.monitoring import services as monitoring


@transaction.atomic
def intake_accept(*, actor, country, date, original_language, title, summary, body, freedoms, source,
                  incidents, suggested=None):
    """Create the draft update with its source (`source`: title, publisher, url, date, language) and the
    accepted incidents (each cites the source). Everything or nothing: a refusal leaves no trace."""
    if not permissions.can_create_in(actor, country):
        raise PermissionDenied
    if not title.strip() or not summary.strip():
        raise ValidationError({"title": _("The title and summary are required.")})
    update = monitoring.update_create(actor=actor, country=country, date=date, original_language=original_language,
                                      title=title.strip(), summary=summary.strip(), body=body,
                                      freedoms=freedoms)
    cited = monitoring.source_create(update=update, actor=actor, title=source["title"],
                                     publisher=source.get("publisher", ""), url=source.get("url", ""),
                                     date=source.get("date"), language=original_language, confidential=False)
    for incident in incidents:
        monitoring.incident_save(update=update, actor=actor, date=incident["date"],
                                 date_precision=incident["date_precision"], place=incident["place"],
                                 place_precision=incident["place_precision"], description=incident["description"],
                                 outcome="", freedoms=incident["freedoms"], types=incident["types"],
                                 perpetrators=incident["perpetrators"], sources=[cited],
                                 victims=incident["victims"])
    audit_event_record(action="intake.intake_accept", actor=actor, target=update,
                       data={"incidents": len(incidents), "source_url": source.get("url", ""),
                             **({"suggested": suggested} if suggested else {})})
    return update
