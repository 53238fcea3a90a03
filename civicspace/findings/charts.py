"""Geometry of the findings charts, drawn server-side as SVG (with a table next to each as fallback)."""
from civicspace.methodology.bands import RATING_CODES

WIDTH = 640


def stacked_rows(rows, *, label_width=150, bar_height=22, gap=10):
    """100 % stacked bars, one per row: rows = [(label, {rating: value})]. Segments carry their value."""
    plot = WIDTH - label_width - (10 if label_width else 0)
    bars = []
    for index, (label, values) in enumerate(rows):
        total = sum(values.get(c, 0) for c in RATING_CODES)
        x, segments = label_width, []
        for code in RATING_CODES:
            value = values.get(code, 0)
            width = plot * value / total if total else 0
            segments.append({"code": code, "x": round(x, 1), "width": round(width, 1), "value": value,
                             "label_x": round(x + width / 2, 1), "show": width > 22})
            x += width
        bars.append({"label": label, "y": index * (bar_height + gap), "text_y": index * (bar_height + gap) + 15,
                     "segments": segments})
    return {"width": WIDTH, "height": len(rows) * (bar_height + gap), "bar_height": bar_height,
            "label_x": label_width - 8, "bars": bars}


def horizontal_bars(items, *, label_width=260, bar_height=18, gap=8):
    """Plain bars for counts: items = [(label, value)], longest first."""
    top = max((v for _, v in items), default=0)
    plot = WIDTH - label_width - 40
    bars = [{"label": label, "value": value, "y": i * (bar_height + gap), "text_y": i * (bar_height + gap) + 13,
             "width": round(plot * value / top, 1) if top else 0,
             "value_x": round(label_width + (plot * value / top if top else 0) + 6, 1)}
            for i, (label, value) in enumerate(items)]
    return {"width": WIDTH, "height": max(len(items) * (bar_height + gap), 1), "bar_height": bar_height,
            "label_x": label_width - 8, "x": label_width, "bars": bars}


def short(label, limit=42):
    """Long labels are cut for the chart; the full label is in the list or table next to it."""
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
