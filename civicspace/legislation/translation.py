from modeltranslation.translator import TranslationOptions, register

from .models import Bill, StageEvent


@register(Bill)
class BillTranslation(TranslationOptions):
    fields = ("official_title", "short_title", "summary")


@register(StageEvent)
class StageEventTranslation(TranslationOptions):
    fields = ("note",)


# As in monitoring: simple-history's copies must be registered too.
for model, options in [(Bill, BillTranslation), (StageEvent, StageEventTranslation)]:
    register(model.history.model)(type(f"Historical{model.__name__}Translation", (TranslationOptions,),
                                       {"fields": options.fields}))
