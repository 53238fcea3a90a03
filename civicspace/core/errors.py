"""Showing a service's ValidationError to the person who caused it: on the form, field by field, or as
messages. One place for what every domain's views did with their own loops."""
from django.contrib import messages
from django.core.exceptions import ValidationError


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
