"""Idempotent writes for reference-data loaders: a second load of the same data changes and reports nothing."""
from dataclasses import dataclass


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def upsert(model, lookup, values, report):
    """Create or update one row, saving only the fields whose value differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        report.created += 1
        return
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1
