from allauth.account.signals import password_changed, password_reset, password_set, user_logged_in
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.conf import settings
from django.db.models.signals import post_save, pre_save
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


@receiver(authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    # New recovery codes replace the old ones.
    audit_event_record(action="accounts.2fa_reset", actor=user, data={"type": authenticator.type})


@receiver(authentication_failed)
def _mfa_failed(sender, request, user, **kwargs):
    # A wrong authenticator code after a right password: someone may hold the password.
    audit_event_record(action="accounts.2fa_failed", actor=user)


@receiver(password_changed)
def _password_changed(sender, request, user, **kwargs):
    audit_event_record(action="accounts.password_change", actor=user)


@receiver(password_set)
def _password_set(sender, request, user, **kwargs):
    audit_event_record(action="accounts.password_set", actor=user)


@receiver(password_reset)
def _password_reset(sender, request, user, **kwargs):
    audit_event_record(action="accounts.password_reset", actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_event_record(action="accounts.logout", actor=user)


# Who may use the admin (is_staff, is_superuser) and who may sign in at all (is_active) are roles too: their
# changes are audited wherever they are made (admin, shell, createsuperuser), with the acting user when a
# request made them.
_PRIVILEGES = ("is_active", "is_staff", "is_superuser")


def _request_user():
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _remember_privileges(sender, instance, **kwargs):
    if instance.pk:
        instance._privileges_before = sender.objects.filter(pk=instance.pk).values(*_PRIVILEGES).first()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _audit_privileges(sender, instance, created, **kwargs):
    before = getattr(instance, "_privileges_before", None)
    after = {name: getattr(instance, name) for name in _PRIVILEGES}
    if created:
        changed = {name: [None, value] for name, value in after.items() if value and name != "is_active"}
    else:
        changed = {name: [before[name], after[name]] for name in _PRIVILEGES
                   if before is not None and before[name] != after[name]}
    if changed:
        audit_event_record(action="accounts.privilege_change", actor=_request_user(), target=instance,
                           data=changed)
