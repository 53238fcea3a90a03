from django.http import Http404

from .models import Country, Region


def region_list():
    return list(Region.objects.all())


def country_get(*, slug):
    """The country for a URL slug (its lower-case code), with its region; 404 when unknown."""
    try:
        return Country.objects.select_related("region").get(code=slug.upper())
    except Country.DoesNotExist:
        raise Http404("No such country") from None
