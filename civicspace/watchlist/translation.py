from modeltranslation.translator import TranslationOptions, register

from .models import WatchlistEdition, WatchlistEntry


@register(WatchlistEdition)
class EditionTranslation(TranslationOptions):
    fields = ("pr_title", "pr_dateline", "pr_lead", "pr_about", "pr_contact", "press_release_text")


@register(WatchlistEntry)
class EntryTranslation(TranslationOptions):
    fields = ("rationale",)


for model, options in [(WatchlistEdition, EditionTranslation), (WatchlistEntry, EntryTranslation)]:
    register(model.history.model)(type(f"Historical{model.__name__}Translation", (TranslationOptions,),
                                       {"fields": options.fields}))
