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
    """Put a service's ValidationError on the form: on the field it names when the form has that field,
    otherwise as a form-wide error, so no message is lost."""
    if not hasattr(error, "message_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, problems in error.message_dict.items():
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
