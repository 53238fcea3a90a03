from allauth.account.signals import user_logged_in
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from civicspace.audit.services import audit_event_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_event_record(action="accounts.login", actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Never the password; the e-mail tried is kept so an administrator can see an attack.
    audit_event_record(action="accounts.login_failed", actor_label=str(credentials.get("email") or credentials.get("username") or "")[:100])


@receiver(authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    audit_event_record(action="accounts.2fa_added", actor=user, data={"type": authenticator.type})


@receiver(authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    audit_event_record(action="accounts.2fa_removed", actor=user, data={"type": authenticator.type})
