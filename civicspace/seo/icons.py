"""The icon set, drawn from one description so the SVG and the bitmaps agree: a rounded square in the site's
blue with the five rating colours as bars, open (top, longest) to closed (bottom, shortest).

Run `python -m civicspace.seo.icons` after changing the design; it rewrites the files in
civicspace/core/static/civicspace/icons/ (committed, like the map geometry).
"""
from pathlib import Path

from PIL import Image, ImageDraw

from .cards import BAND

OUT = Path(__file__).resolve().parent.parent / "core" / "static" / "civicspace" / "icons"
BARS = ["#1a9850", "#a6d96a", "#fee08b", "#f46d43", "#a50026"]  # open … closed (ratings/labels.py)
# Geometry on a 64×64 grid: bar i at y = 12 + 9i, height 6, from x = 12 to 52 - 6i.
GRID = 64


def bars():
    return [(12, 12 + 9 * i, 52 - 6 * i, 18 + 9 * i, colour) for i, colour in enumerate(BARS)]


def svg():
    rects = "".join(f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="2" fill="{c}"/>'
                    for x0, y0, x1, y1, c in bars())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
            f'<rect width="{GRID}" height="{GRID}" rx="12" fill="{BAND}"/>{rects}</svg>\n')


def bitmap(size, *, rounded=True):
    scale = size / GRID
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=int(12 * scale), fill=BAND)
    else:  # apple-touch icons are masked by the system: fill the square
        draw.rectangle((0, 0, size, size), fill=BAND)
    for x0, y0, x1, y1, colour in bars():
        draw.rounded_rectangle((x0 * scale, y0 * scale, x1 * scale, y1 * scale), radius=max(1, int(2 * scale)),
                               fill=colour)
    return image


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(), encoding="utf-8")
    bitmap(192).save(OUT / "icon-192.png", optimize=True)
    bitmap(512).save(OUT / "icon-512.png", optimize=True)
    bitmap(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    bitmap(64).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
