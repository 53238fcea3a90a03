"""Showing a service's ValidationError to the person who caused it: on the form, field by field, or as
messages. One place for what every domain's views did with their own loops."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """Someone saved the record after this person opened it (optimistic locking: the form carried the version
    it was loaded at). Nothing was written; `current` is the stored record, for the conflict screen to show beside
    the person's own input, which the form keeps."""

    def __init__(self, current):
        self.current = current
        super().__init__(_("Someone else saved this while you were editing it."))


def check_version(current, expected_version):
    """`current` (re-read and locked by the caller's service) when the caller's copy is not older than it;
    ConcurrentEditError otherwise. `expected_version=None` means the caller did not load the record (no check)."""
    if expected_version is not None and current.version != int(expected_version):
        raise ConcurrentEditError(current)
    return current


def bump_version(obj):
    """Count one more saved version of a locked row (the row lock means no one else counts at the same time)."""
    obj.version = (obj.version or 0) + 1


def validation_messages(error):
    """Every message of a ValidationError, whether it carries a field dict or a plain list."""
    if hasattr(error, "message_dict"):
        return [m for problems in error.message_dict.values() for m in problems]
    return list(error.messages)


def errors_to_form(form, error):
    """Put a service's ValidationError on the form: on the field it names when the form has that field
    (a form may translate the service's keys with `service_error_field(key)`), otherwise as a form-wide
    error, so no message is lost. A ValidationError given as a plain list goes on the form as a whole."""
    if not hasattr(error, "message_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    translate = getattr(form, "service_error_field", None)
    for key, problems in error.message_dict.items():
        field = translate(key) if translate else key
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def errors_to_messages(request, error):
    for problem in validation_messages(error):
        messages.error(request, problem)


def submit_form(form, call):
    """`call(cleaned_data)` when the form is valid; a ValidationError it raises goes onto the form, so the
    page can be shown again with the person's input kept. Returns (True, what call returned) on success,
    (False, None) otherwise."""
    if not form.is_valid():
        return False, None
    try:
        return True, call(form.cleaned_data)
    except ValidationError as error:
        errors_to_form(form, error)
        return False, None


def submit_action(request, call):
    """For a POST without fields (publish, verify, remove): `call()`; a ValidationError it raises is shown
    as messages. Returns (True, what call returned) on success, (False, None) otherwise."""
    try:
        return True, call()
    except ValidationError as error:
        errors_to_messages(request, error)
        return False, None


def form_errors_to_messages(request, form, prefix=""):
    """A form's errors as messages, each naming its field, for forms posted from a page that redirects back
    (the compose page of an edition, the manage page of a bill)."""
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        head = " — ".join(str(part) for part in (prefix, label) if part)
        messages.error(request, f"{head}: {' '.join(problems)}" if head else " ".join(problems))


def conflict_form(form_class, request, current_version, **kwargs):
    """After a ConcurrentEditError: the person's own input, kept, bound with the stored version number, so that
    saving again keeps their text on purpose (they have now seen the other version)."""
    data = request.POST.copy()
    prefix = kwargs.get("prefix")
    data[f"{prefix}-version" if prefix else "version"] = current_version
    form = form_class(data, **kwargs)
    form.is_valid()
    return form
