"""Incident.type_ids follows Incident.types: whenever the relation changes through the ORM (set, add, remove,
clear, from either side) or a term is deleted with its relation rows, the copy of the incidents concerned is
rewritten from the relation's rows, in the same transaction. Bulk paths that write the relation's rows themselves write the copy with them (importer)."""
from django.db.models.signals import m2m_changed, post_delete, pre_delete

from .models import Incident, Term, type_ids_text


def incident_type_ids_refresh(incident_ids):
    """Rewrite type_ids of these incidents from their types rows (one read, one UPDATE per distinct set).
    Returns {incident id: type_ids written}."""
    incident_ids = set(incident_ids)
    if not incident_ids:
        return {}
    found = {pk: [] for pk in incident_ids}
    ids = list(incident_ids)
    for start in range(0, len(ids), 500):  # SQLite's limit on query parameters
        for incident_id, term_id in Incident.types.through.objects.filter(
                incident_id__in=ids[start:start + 500]).values_list("incident_id", "term_id"):
            found[incident_id].append(term_id)
    by_text = {}
    for pk, terms in found.items():
        by_text.setdefault(type_ids_text(terms), []).append(pk)
    for text, pks in by_text.items():
        for start in range(0, len(pks), 500):
            Incident.objects.filter(pk__in=pks[start:start + 500]).update(type_ids=text)
    return {pk: text for text, pks in by_text.items() for pk in pks}


def _types_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # term.incidents.clear(): post_clear no longer knows which incidents
        instance._type_ids_clearing = list(Incident.types.through.objects.filter(term_id=instance.pk)
                                           .values_list("incident_id", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # incident.types.set/add/remove/clear(...)
        incident_ids = [instance.pk]
    elif action == "post_clear":
        incident_ids = instance.__dict__.pop("_type_ids_clearing", ())
    else:  # term.incidents.add/remove(incidents)
        incident_ids = pk_set or ()
    written = incident_type_ids_refresh(incident_ids)
    if not reverse:  # the instance in hand shows the new copy too
        instance.type_ids = written[instance.pk]


def _term_deleting(sender, instance, **kwargs):
    """A term about to be deleted takes its relation rows with it (a cascade sends no m2m_changed): note the
    incidents that have it, to rewrite their copy once it is gone."""
    instance._type_ids_incidents = list(Incident.types.through.objects.filter(term_id=instance.pk)
                                        .values_list("incident_id", flat=True))


def _term_deleted(sender, instance, **kwargs):
    incident_type_ids_refresh(instance.__dict__.pop("_type_ids_incidents", ()))


def connect():
    m2m_changed.connect(_types_changed, sender=Incident.types.through, dispatch_uid="incident-type-ids")
    pre_delete.connect(_term_deleting, sender=Term, dispatch_uid="incident-type-ids-term-deleting")
    post_delete.connect(_term_deleted, sender=Term, dispatch_uid="incident-type-ids-term-deleted")
