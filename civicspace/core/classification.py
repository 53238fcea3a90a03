"""The field registry: every field of every model of ours is classified once, in its app's `classification.py`.

    # civicspace/<app>/classification.py
    from civicspace.core.classification import CONFIDENTIAL, PERSONAL, PUBLIC, PUBLISHED
    FIELDS = {
        "Update": {"id": PUBLISHED, "title": PUBLISHED, "created_by": PERSONAL, ...},
    }

The four classes:
- PUBLIC: may appear in any public output at any time (reference data: country names, rating editions);
- PUBLISHED: public once its record is published (and only through the domain's `published()` door);
- CONFIDENTIAL: never in a public output (editors' notes, confidential sources, sensitive names, exact places);
- PERSONAL: personal data of users or subscribers (addresses, usernames, IPs); never public, exportable and
  deletable on request.

Translated fields (modeltranslation's `title_en`, `title_ru`, ...) take their base field's class, and the
historical models of django-simple-history take their model's. Public outputs (pages, API schemas, feeds, search
documents, alerts, exports, the mirror) are checked against this registry, and the leak canaries are planted in
every field that is not PUBLIC or PUBLISHED (tests/integration/test_leak_canary.py). This module imports no
domain: apps are found through Django's app registry.
"""
from importlib import import_module

from django.apps import apps
from django.conf import settings

PUBLIC = "public"
PUBLISHED = "public once published"
CONFIDENTIAL = "confidential"
PERSONAL = "personal"
CLASSES = (PUBLIC, PUBLISHED, CONFIDENTIAL, PERSONAL)
NOT_PUBLIC = (CONFIDENTIAL, PERSONAL)

_registry = None


def our_apps():
    """The app configs of this project (civicspace.*), in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if config.name.startswith("civicspace.")]


def registry():
    """{(app_label, ModelName): {field_name: class}} collected from each app's `classification.FIELDS`."""
    global _registry
    if _registry is None:
        collected = {}
        for config in our_apps():
            try:
                module = import_module(f"{config.name}.classification")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.classification":
                    raise
                continue
            declared = getattr(module, "FIELDS", None)  # core's own module (this one) declares none
            if declared is None:
                continue
            for model_name, fields in declared.items():
                for field, cls in fields.items():
                    if cls not in CLASSES:
                        raise ValueError(f"{config.name}.classification: {model_name}.{field} has unknown "
                                         f"class {cls!r}; use one of {CLASSES}")
                collected[(config.label, model_name)] = dict(fields)
        _registry = collected
    return _registry


def _base_field_name(model, name):
    """`title_ru` -> `title` when modeltranslation made it; otherwise the name itself."""
    language_codes = [code.replace("-", "_") for code, _ in settings.LANGUAGES]
    for code in language_codes:
        suffix = f"_{code}"
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            try:
                model._meta.get_field(base)
            except Exception:
                continue
            return base
    return name


def _concrete_model(model):
    """A historical model (simple-history) is classified as the model it records."""
    instance_type = getattr(model, "instance_type", None)
    return instance_type if instance_type is not None else model


# Fields simple-history adds to every historical model: who changed what when (personal: the user).
HISTORY_FIELDS = {"history_id": CONFIDENTIAL, "history_date": CONFIDENTIAL, "history_change_reason": CONFIDENTIAL,
                  "history_type": CONFIDENTIAL, "history_user": PERSONAL}


def classify(model, field_name):
    """The class of one field of one model (historical and translated fields included), or None."""
    model = model if isinstance(model, type) else type(model)
    history = getattr(model, "instance_type", None) is not None
    if history and field_name in HISTORY_FIELDS:
        return HISTORY_FIELDS[field_name]
    base_model = _concrete_model(model)
    fields = registry().get((base_model._meta.app_label, base_model.__name__), {})
    if field_name in fields:
        return fields[field_name]
    base = _base_field_name(base_model, field_name)
    if base in fields:
        return fields[base]
    if history and field_name.endswith("_id") and field_name[:-3] in fields:
        return fields[field_name[:-3]]
    return None


def model_fields(model):
    """Names of a model's own fields that need a class: concrete fields and many-to-many, no reverse
    relations."""
    names = []
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations are classified on the other side
        names.append(field.name)
    return names


def our_models(include_history=True):
    models = []
    for config in our_apps():
        for model in config.get_models():
            if not include_history and getattr(model, "instance_type", None) is not None:
                continue
            models.append(model)
    return models


def unclassified():
    """["app.Model.field", ...] for every field of ours that no registry entry classifies."""
    missing = []
    for model in our_models():
        for name in model_fields(model):
            if classify(model, name) is None:
                missing.append(f"{model._meta.app_label}.{model.__name__}.{name}")
    return missing


def fields_of_class(*classes, include_history=False):
    """[(model, field_name)] of the given classes, e.g. every CONFIDENTIAL and PERSONAL field (the canaries)."""
    found = []
    for model in our_models(include_history=include_history):
        for name in model_fields(model):
            if classify(model, name) in classes:
                found.append((model, name))
    return found
