from modeltranslation.translator import TranslationOptions, register

from .models import Incident, Organisation, Term, Update


@register(Term)
class TermTranslation(TranslationOptions):
    fields = ("label",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("description",)


@register(Update)
class UpdateTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
    fallback_undefined = ""


@register(Incident)
class IncidentTranslation(TranslationOptions):
    fields = ("description", "outcome")


# simple-history copies the model's fields into its historical model; modeltranslation must know those
# too or every save fails (STACK-NOTES). Register each historical model with the same fields.
for model, options in [(Term, TermTranslation), (Update, UpdateTranslation), (Incident, IncidentTranslation)]:
    register(model.history.model)(type(f"Historical{model.__name__}Translation", (TranslationOptions,),
                                       {"fields": options.fields}))
