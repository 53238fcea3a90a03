from django.contrib import admin

from .models import (
    Erratum,
    GuidingScore,
    IndexValue,
    PanelVote,
    PublishedRating,
    RatingDecision,
    RatingEdition,
    RatingProposal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Published editions are frozen (corrections are errata, recorded through the staff screens); scores,
    index values and panel records are written only by their services, which audit every step."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RatingEdition)
class RatingEditionAdmin(ReadOnlyAdmin):
    list_display = ("code", "slug", "published", "coverage")


@admin.register(PublishedRating)
class PublishedRatingAdmin(ReadOnlyAdmin):
    list_display = ("country", "edition", "rating", "score")
    list_filter = ("edition", "rating")
    search_fields = ("country__code", "country__name")
    list_select_related = ("country", "edition")


@admin.register(IndexValue)
class IndexValueAdmin(ReadOnlyAdmin):
    list_display = ("index", "country", "year", "edition_year", "events_year", "value", "available_from")
    list_filter = ("index",)
    search_fields = ("country__code",)


@admin.register(GuidingScore)
class GuidingScoreAdmin(ReadOnlyAdmin):
    list_display = ("country", "as_of", "version", "score", "interval_low", "interval_high", "band")
    list_filter = ("version", "as_of")
    search_fields = ("country__code",)


@admin.register(RatingProposal)
class RatingProposalAdmin(ReadOnlyAdmin):
    list_display = ("country", "from_rating", "to_rating", "status", "opened_at")
    list_filter = ("status",)


@admin.register(PanelVote)
class PanelVoteAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "member", "vote", "voted_at")


@admin.register(RatingDecision)
class RatingDecisionAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "rating", "draft", "decided_at")


@admin.register(Erratum)
class ErratumAdmin(ReadOnlyAdmin):
    list_display = ("edition", "country", "rating_before", "rating_after", "recorded_at")
