"""A government's confirmed challenge to a country's rating waits for the country's next rating proposal: when one
is opened (by the score rule or an editor), the waiting challenges are attached to it as evidence, in the same
transaction. The ratings domain knows nothing of corrections: it reads proposal.challenges."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from civicspace.ratings.models import RatingProposal


@receiver(post_save, sender=RatingProposal, dispatch_uid="corrections.challenges_attach")
def attach_waiting_challenges(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.status == RatingProposal.Status.OPEN:
        from .services import challenges_attach

        challenges_attach(proposal=instance)
