"""Keep each bill's stored current stage in step with its stage events, whoever writes them (services, loaders,
the admin, tests): the derivation itself is timeline.current_event, called by services.bill_stage_refresh."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import StageEvent


@receiver(post_save, sender=StageEvent, dispatch_uid="legislation.stage_event_saved")
@receiver(post_delete, sender=StageEvent, dispatch_uid="legislation.stage_event_deleted")
def stage_event_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import bill_stage_refresh

    bill_stage_refresh(bill_ids=[instance.bill_id])
