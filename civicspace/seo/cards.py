"""Social cards (Open Graph / Twitter images): 1200×630 PNG drawn with Pillow from plain data.

No Django import: the views hand in names, ratings and counts already localised, and the map geometry that
mapbuild/ projected at build time. Text is shaped with Pillow's raqm layout (Arabic joins and runs right to
left) in DejaVu Sans, which covers Latin, Cyrillic and Arabic.
"""
import io
import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
INK = "#1b1b1b"
MUTED = "#555555"
PAPER = "#ffffff"
BAND = "#0b3d62"  # the site's header colour
NONE = "#d9d9d9"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@lru_cache(maxsize=8)
def font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for directory in FONT_DIRS:
        path = directory / name
        if path.is_file():
            layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
            return ImageFont.truetype(str(path), size, layout_engine=layout)
    # Without DejaVu (Debian's fonts-dejavu-core, installed by make) Pillow's own font draws Latin text only.
    return ImageFont.load_default(size)


def _direction(text):
    return "rtl" if any("\u0590" <= ch <= "\u08ff" for ch in text) else None


def _text(draw, xy, text, size, *, fill=INK, bold=False, rtl=False, max_width=None):
    """Draw one line (shrunk to fit max_width); in right-to-left pages x is the right edge."""
    face = font(size, bold)
    direction = _direction(text)
    kwargs = {"direction": direction} if direction and features.check("raqm") else {}
    while max_width and size > 18 and draw.textlength(text, font=face, **kwargs) > max_width:
        size -= 4
        face = font(size, bold)
    x, y = xy
    if rtl:
        x -= draw.textlength(text, font=face, **kwargs)
    draw.text((x, y), text, font=face, fill=fill, **kwargs)
    return size


def _polygons(d, scale, dx, dy):
    """Rings of an SVG path made only of M/L/Z commands (what d3-geo writes)."""
    for ring in re.split(r"(?=M)", d):
        numbers = [float(n) for n in _NUMBER.findall(ring)]
        points = [(dx + numbers[i] * scale, dy + numbers[i + 1] * scale) for i in range(0, len(numbers) - 1, 2)]
        if len(points) >= 3:
            yield points


def _map(image, geometry, colours, box, highlight=None):
    """The world map in `box` (x, y, width, height), each country filled with colours[code] (grey if absent);
    `highlight` gets a dark outline and, for the small states drawn as markers, a larger dot."""
    x, y, width, height = box
    scale = min(width / geometry["width"], height / geometry["height"])
    dx = x + (width - geometry["width"] * scale) / 2
    dy = y + (height - geometry["height"] * scale) / 2
    draw = ImageDraw.Draw(image)
    outline = []
    for shape in geometry["shapes"]:
        fill = colours.get(shape["code"], NONE)
        for points in _polygons(shape["d"], scale, dx, dy):
            draw.polygon(points, fill=fill, outline=PAPER)
            if shape["code"] == highlight:
                outline.append(points)
    for points in outline:
        draw.line(points + [points[0]], fill=INK, width=3)
    for marker in geometry["markers"]:
        cx, cy = dx + marker["x"] * scale, dy + marker["y"] * scale
        radius = 9 if marker["code"] == highlight else 3
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=colours.get(marker["code"], NONE),
                     outline=INK if marker["code"] == highlight else PAPER, width=2 if radius > 3 else 1)


def _frame(site_name, rtl):
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 70), fill=BAND)
    _text(draw, (WIDTH - 48 if rtl else 48, 16), site_name, 32, fill=PAPER, bold=True, rtl=rtl)
    return image, draw


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _badge(draw, xy, label, colours, rtl):
    """A rating badge: the name on the rating's colour (the name is always written: never colour alone)."""
    background, text_colour = colours
    face = font(44, True)
    direction = _direction(label)
    kwargs = {"direction": direction} if direction and features.check("raqm") else {}
    width = draw.textlength(label, font=face, **kwargs) + 56
    x, y = xy
    left = x - width if rtl else x
    draw.rounded_rectangle((left, y, left + width, y + 78), radius=14, fill=background, outline=INK, width=2)
    draw.text((left + 28, y + 12), label, font=face, fill=text_colour, **kwargs)


def country_card(*, site_name, name, rating_label, rating_colours, caption, geometry, map_colours, code, rtl=False):
    """A country: its name, its rating badge and a small world map with the country outlined."""
    image, draw = _frame(site_name, rtl)
    edge = WIDTH - 48 if rtl else 48
    _text(draw, (edge, 110), name, 72, bold=True, rtl=rtl, max_width=WIDTH - 96)
    if rating_label:
        _badge(draw, (edge, 220), rating_label, rating_colours, rtl)
    _text(draw, (edge, 320), caption, 30, fill=MUTED, rtl=rtl, max_width=WIDTH - 96)
    _map(image, geometry, map_colours, (40, 370, WIDTH - 80, 240), highlight=code)
    return _png(image)


def list_card(*, site_name, title, lines, caption, geometry=None, map_colours=None, rtl=False):
    """A Watchlist edition (its countries) or the findings (counts per rating): a title, up to eight lines
    (text, optional (background, text) colours for a swatch) and, when given, the map."""
    image, draw = _frame(site_name, rtl)
    edge = WIDTH - 48 if rtl else 48
    _text(draw, (edge, 100), title, 56, bold=True, rtl=rtl, max_width=WIDTH - 96)
    column_width = (WIDTH - 96) // 2 if geometry else WIDTH - 96
    y = 190
    for text, colours in lines[:8]:
        x = edge
        if colours:
            left = x - 36 if rtl else x
            draw.rounded_rectangle((left, y + 4, left + 36, y + 40), radius=6, fill=colours[0], outline=INK)
            x = x - 52 if rtl else x + 52
        _text(draw, (x, y), text, 34, rtl=rtl, max_width=column_width - 60)
        y += 50
    _text(draw, (edge, HEIGHT - 60), caption, 26, fill=MUTED, rtl=rtl, max_width=WIDTH - 96)
    if geometry:
        box = (48, 180, column_width - 20, 340) if rtl else (WIDTH // 2 + 10, 180, column_width - 20, 340)
        _map(image, geometry, map_colours or {}, box)
    return _png(image)


def site_card(*, site_name, title, caption, geometry, map_colours, rtl=False):
    image, draw = _frame(site_name, rtl)
    edge = WIDTH - 48 if rtl else 48
    _text(draw, (edge, 100), title, 52, bold=True, rtl=rtl, max_width=WIDTH - 96)
    _text(draw, (edge, 175), caption, 30, fill=MUTED, rtl=rtl, max_width=WIDTH - 96)
    _map(image, geometry, map_colours, (40, 230, WIDTH - 80, 380))
    return _png(image)
