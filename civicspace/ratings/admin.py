from django.contrib import admin

from .models import PublishedRating, RatingEdition


@admin.register(RatingEdition)
class RatingEditionAdmin(admin.ModelAdmin):
    list_display = ("code", "slug", "published", "coverage")


@admin.register(PublishedRating)
class PublishedRatingAdmin(admin.ModelAdmin):
    list_display = ("country", "edition", "rating", "score")
    list_filter = ("edition", "rating")
    search_fields = ("country__code", "country__name")
    list_select_related = ("country", "edition")
