"""Server-side SVG chart geometry (no JavaScript): the rating history of one country."""
from civicspace.core.l10n import decimal_text
from civicspace.methodology.bands import BANDS

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 88, 16, 12, 36


def _y(value):
    return TOP + (100 - value) * (HEIGHT - TOP - BOTTOM) / 99


def history_chart(history):
    """Bands as horizontal stripes, one column per edition; a dot at the score where one was published,
    otherwise a bar spanning the rating's band (the rating is known, the score is not)."""
    if not history:
        return None
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / len(history)
    bands = [
        {"code": b.code, "y": round(_y(b.high + 0.5), 1),
         "height": round(_y(b.low - 0.5) - _y(b.high + 0.5), 1), "label_y": round(_y((b.low + b.high) / 2) + 4, 1)}
        for b in BANDS
    ]
    columns, line = [], []
    for index, entry in enumerate(history):
        x = round(LEFT + step * (index + 0.5), 1)
        band = next(b for b in BANDS if b.code == entry.rating)
        column = {"x": x, "entry": entry, "label_y": HEIGHT - BOTTOM + 16}
        if entry.score is not None:
            column["cy"] = round(_y(float(entry.score)), 1)
            column["score_label_y"] = round(column["cy"] - 9, 1)
            line.append(f"{x},{column['cy']}")
        else:
            column["bar_x"] = round(x - 5, 1)
            column["bar_y"] = round(_y(band.high), 1)
            column["bar_height"] = round(_y(band.low) - _y(band.high), 1)
        columns.append(column)
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "plot_width": plot_width, "band_label_x": LEFT - 4,
        "bands": bands, "columns": columns, "line": " ".join(line) if len(line) > 1 else "",
    }


def contributions_chart(explained):
    """A waterfall on the 0-100 scale: one bar per stream x indicator contribution (then the live adjustment,
    then any clipping), each starting where the previous ended, and the guiding score as the last bar. The
    bars add up to the score, which is the point of showing them."""
    row_height, label_width, plot_width = 26, 300, 360
    rows, total = [], 0.0
    for part in explained.parts:
        items = part.indicators or [(None, None, part.points)]
        for indicator, _score, points in items:
            start, end = total, total + points
            rows.append({"stream": part.code, "label": part.name, "indicator": indicator, "points": points,
                         "x": label_width + plot_width * min(start, end) / 100,
                         "width": max(plot_width * abs(points) / 100, 1.0), "negative": points < 0})
            total = end
    rows.append({"stream": "total", "label": None, "indicator": None, "points": total, "x": label_width,
                 "width": plot_width * total / 100, "negative": False})
    for i, row in enumerate(rows):
        row["y"] = 8 + i * row_height
        row["text_y"] = row["y"] + 15
        row["x"], row["width"] = round(row["x"], 1), round(row["width"], 1)
        row["value_x"] = round(row["x"] + row["width"] + 4, 1)
        sign = "" if row["stream"] == "total" else ("−" if row["negative"] else "+")
        row["value_text"] = sign + decimal_text(abs(row["points"]), 1)
    return {"width": label_width + plot_width + 60, "height": 16 + len(rows) * row_height, "rows": rows,
            "label_x": label_width - 6}
