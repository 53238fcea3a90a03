from modeltranslation.translator import TranslationOptions, register

from .models import Country, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "ru", "fr", "es", "ar")


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "ru", "fr", "es", "ar")
