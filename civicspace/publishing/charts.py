"""Server-side SVG chart geometry (no JavaScript): the rating history of one country."""
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
