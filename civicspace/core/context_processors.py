from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def site(request):
    """The language switcher: the same page (and query) in each language."""
    current = get_language()
    query = request.GET.urlencode()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        if query:
            url = f"{url}?{query}"
        info = get_language_info(code)
        links.append({"code": code, "name": info["name_local"], "url": url, "current": code == current,
                      "bidi": info["bidi"]})
    return {"language_links": links}
