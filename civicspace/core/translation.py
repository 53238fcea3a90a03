"""modeltranslation registration shared by the apps."""
from modeltranslation.translator import TranslationOptions, register


def register_translated(model, fields, **options):
    """Register `model`'s translated fields, and the same fields on its simple-history model when it has one:
    modeltranslation must know the historical copy too or every save fails (STACK-NOTES)."""
    register(model)(type(f"{model.__name__}Translation", (TranslationOptions,), {"fields": fields, **options}))
    history = getattr(model, "history", None)
    if history is not None:
        register(history.model)(type(f"Historical{model.__name__}Translation", (TranslationOptions,),
                                     {"fields": fields}))
