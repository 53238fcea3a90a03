from .models import AuditEvent


def audit_event_record(*, action, actor=None, actor_label="", target=None, data=None):
    """Write one audit event. Call it inside the service's transaction so both commit or neither does."""
    target_type = target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label,
        target_type=target_type,
        target_id=target_id,
        data=data or {},
    )
