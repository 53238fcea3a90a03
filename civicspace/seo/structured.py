"""schema.org structured data (JSON-LD) for the public pages: Dataset for the data releases, Report for the
findings, NewsArticle for press releases, BreadcrumbList for the trail above a page. Plain dicts; the
templates print them with the `json_ld` filter.

REQUIRED lists the properties each type must carry here (schema.org's vocabulary plus what the dataset and
article search features of search engines require); tests check every block against it.
"""
from django.conf import settings
from django.urls import reverse

REQUIRED = {
    "Dataset": ("name", "description", "url", "license", "creator", "temporalCoverage", "spatialCoverage",
                "distribution", "version", "datePublished"),
    "DataDownload": ("contentUrl", "encodingFormat"),
    "Report": ("headline", "datePublished", "author", "publisher", "url", "inLanguage"),
    "NewsArticle": ("headline", "datePublished", "author", "publisher", "url", "inLanguage", "image"),
    "BreadcrumbList": ("itemListElement",),
    "ListItem": ("position", "name"),
}
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
ENCODINGS = {".csv": "text/csv", ".json": "application/json", ".zip": "application/zip",
             ".md": "text/markdown", ".html": "text/html"}


def absolute(path):
    return path if path.startswith("http") else f"{settings.SITE_URL}{path}"


def organisation(name):
    return {"@type": "Organization", "name": str(name), "url": settings.SITE_URL}


def breadcrumbs(trail):
    """trail: [(name, url or None)]; the last item is the page itself (its URL may be left out)."""
    items = []
    for position, (name, url) in enumerate(trail, start=1):
        item = {"@type": "ListItem", "position": position, "name": str(name)}
        if url:
            item["item"] = absolute(url)
        items.append(item)
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def dataset(release, *, site_name, description, temporal, page_url):
    """A data release as a schema.org Dataset with one DataDownload per file of its data package."""
    version = release["version"]
    package = release.get("package") or {}

    def file_url(name):
        return absolute(reverse("exports:release_file", args=[version, name]))

    distribution = []
    if release.get("zip"):
        distribution.append({"@type": "DataDownload", "name": release["zip"], "contentUrl": file_url(release["zip"]),
                             "encodingFormat": "application/zip"})
    for resource in package.get("resources", []):
        for name in (resource.get("path"), f"{resource.get('name')}.json"):
            if not name:
                continue
            suffix = "." + name.rsplit(".", 1)[-1]
            distribution.append({"@type": "DataDownload", "name": name, "contentUrl": file_url(name),
                                 "encodingFormat": ENCODINGS.get(suffix, "application/octet-stream")})
    data = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": f"{site_name} {version}", "description": description, "url": absolute(page_url),
        "version": version, "license": LICENCE, "isAccessibleForFree": True,
        "creator": organisation(site_name), "publisher": organisation(site_name),
        "keywords": package.get("keywords", []),
        "temporalCoverage": temporal,
        "spatialCoverage": {"@type": "Place", "name": "World (198 countries and territories)"},
        "distribution": distribution,
        "isBasedOn": "https://monitor.civicus.org/",
    }
    if release.get("created"):
        data["datePublished"] = release["created"].isoformat()
        data["dateModified"] = release["created"].isoformat()
    return data


def report(*, headline, published, url, lang, site_name, image=None, about=None):
    data = {"@context": "https://schema.org", "@type": "Report", "headline": str(headline),
            "datePublished": published.isoformat(), "author": organisation(site_name),
            "publisher": organisation(site_name), "url": absolute(url), "inLanguage": lang}
    if image:
        data["image"] = absolute(image)
    if about:
        data["about"] = about
    return data


def news_article(*, headline, published, url, lang, site_name, image, places=()):
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": str(headline)[:110],
            "datePublished": published.isoformat(), "author": organisation(site_name),
            "publisher": organisation(site_name), "url": absolute(url), "inLanguage": lang,
            "image": [absolute(image)]}
    if places:
        data["contentLocation"] = [{"@type": "Place", "name": str(p)} for p in places]
    return data


def missing_properties(data):
    """[(type, property)] that REQUIRED asks for and `data` lacks (nested DataDownload and ListItem too)."""
    missing = []
    kind = data.get("@type")
    for prop in REQUIRED.get(kind, ()):
        if data.get(prop) in (None, "", [], {}):
            missing.append((kind, prop))
    for child in data.get("distribution", []) + data.get("itemListElement", []):
        missing += missing_properties(child)
    return missing
