"""Bar and line charts drawn on the server as SVG (issue 15, item 8): no JavaScript, a few kilobytes a chart.

The public pages used to ship plotly.js (1.2 MB, ~0.4 MB gzip) to draw five kinds of bar and line chart; the browser
spent most of a first visit parsing it. A chart here is plain data (`Chart`: a title, a source line, x values and one
or more panels of series) and `render` writes it as one `<svg>` element:

- title and source line inside the drawing, so they travel with it (copied, printed, saved);
- y axes always include zero; bars stack upwards (negative values downwards, e.g. what ICE pays back);
- several panels share one x axis, each with its own y axis from zero: never two y axes on one panel;
- `viewBox` and `width="100%"`: the drawing scales to any width (no sideways scroll at 390 px);
- `role="img"` named by its `<title>` and `<desc>` (`aria-labelledby`), every bar and point with a `<title>` tooltip;
- colours are presentation attributes, not `style=""`, so the strict Content-Security-Policy holds.

Pure: no I/O, no clock, nothing else of wso imported. The data table beside each chart is built from the same
`Chart` (`charts.data_table`), so the numbers drawn and the numbers listed are the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Literal

WIDTH = 560  # drawn at about this many CSS pixels on a wide screen
NARROW = 340  # the phone drawing: at 390 px wide the text keeps about its size instead of shrinking to 60 %
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1d2430"
MUTED = "#4a5361"  # 7.6:1 on white
GRID = "#d9dde3"
CHAR_W = 6.6  # an average glyph at 12 px, to lay out labels without measuring text


@dataclass(frozen=True)
class Series:
    """One named set of values, one per x value (None: no value there)."""

    name: str
    values: tuple[float | None, ...]
    color: str
    kind: Literal["bar", "line", "step", "marker"] = "bar"
    column: str = ""  # the data table's column heading (default: the name)
    labels: tuple[str, ...] = ()  # text written at each value (bars, markers)
    colors: tuple[str, ...] = ()  # one colour per value (bars of one series told apart by colour)
    legend: bool = True


@dataclass(frozen=True)
class Panel:
    """One plot area with its own y axis (from zero); bars of all its series stack."""

    y_title: str
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Chart:
    """A chart as data. `time_axis`: x values are ISO dates (YYYY-MM-DD) or months (YYYY-MM), placed by time."""

    title: str
    source: str
    x_label: str
    x: tuple[str, ...]
    panels: tuple[Panel, ...]
    time_axis: bool = False
    height: int = 380
    legend: tuple[tuple[str, str], ...] = field(default=())  # (name, colour); default: every series' legend entry

    def legend_entries(self) -> list[tuple[str, str]]:
        """The legend: the chart's own, or each named series once (the bars and the line of one model: one entry)."""
        if self.legend:
            return list(self.legend)
        seen: dict[str, str] = {}
        for panel in self.panels:
            for s in panel.series:
                if s.legend and s.name not in seen:
                    seen[s.name] = s.color
        return list(seen.items())


def nice_ticks(low: float, high: float, *, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] and zero, about `count` of them (steps of 1, 2, 2.5 or 5 x 10^n)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low <= 0:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if step < 1 and high - low >= 1:
        step = 1.0  # counts: no 0.5 agreement
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def tick_label(value: float) -> str:
    """A short tick label: 1,250 · 15k · 1.2M · -40k."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.3g}M"
    if size >= 10_000:
        return f"{value / 1_000:.3g}k"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2g}"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _time_position(value: str) -> float:
    """Days since 1 AD for a date; for a month, its middle day (so months and dates share one scale)."""
    if len(value) == 7:
        return dt.date.fromisoformat(value + "-01").toordinal() + 15
    return dt.date.fromisoformat(value).toordinal()


def _value_text(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


class _Canvas:
    """SVG elements collected in drawing order."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, x: float, y: float, content: str, *, size: int = 12, anchor: str = "start", **attrs: str) -> None:
        extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
        self.parts.append(
            f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" text-anchor="{anchor}"{extra}>'
            f"{escape(content)}</text>"
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, *, color: str, width: float = 1) -> None:
        self.parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" stroke="{color}"'
            f' stroke-width="{_num(width)}"/>'
        )


def _legend_rows(entries: Sequence[tuple[str, str]], width: float) -> list[list[tuple[str, str, float]]]:
    """Legend entries laid out left to right, wrapped at `width`: (name, colour, x) per entry."""
    rows: list[list[tuple[str, str, float]]] = [[]]
    x = 0.0
    for name, color in entries:
        item = 18 + len(name) * CHAR_W + 16
        if rows[-1] and x + item > width:
            rows.append([])
            x = 0.0
        rows[-1].append((name, color, x))
        x += item
    return rows if rows[0] else []


def _wrap(text: str, *, chars: int) -> list[str]:
    """Words in lines of at most `chars` characters (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


TABLE_NOTE = "The numbers are in the data table under the chart."


def render(chart: Chart, *, chart_id: str, width: int = WIDTH, css_class: str = "", note: str = TABLE_NOTE) -> str:
    """The chart as one `<svg>` element `width` units wide (see the module docstring for what it always carries).

    `note` ends the description a screen reader announces: where the numbers are (none where no table follows).
    """
    height = chart.height
    left, right, bottom = 62.0, 14.0, 30.0
    canvas = _Canvas()
    y = 2.0
    for line in _wrap(chart.title, chars=int((width - 16) / (CHAR_W * 1.35))):
        y += 18
        canvas.text(8, y, line, size=15, font_weight="600")
    for line in _wrap(chart.source, chars=int((width - 16) / (CHAR_W * 1.02))):
        y += 17
        canvas.text(8, y, line, size=12, fill=MUTED)
    legend = _legend_rows(chart.legend_entries(), width - 16)
    head = y + 4
    height += int(max(head - 41, 0)) + 18 * max(len(legend) - 1, 0)  # wrapped lines add height, not take the plot's
    for i, row in enumerate(legend):
        y = head + 12 + i * 18
        for name, color, x in row:
            canvas.parts.append(f'<rect x="{_num(8 + x)}" y="{_num(y)}" width="12" height="12" fill="{color}"/>')
            canvas.text(8 + x + 17, y + 10.5, name, size=12)
    top = head + 12 + len(legend) * 18 + 10
    n = len(chart.x)
    plot_w = width - left - right
    # x positions: category centres, or dates on a time scale (padded by half the smallest gap, for bars at the ends)
    to_x: Callable[[float], float] | None = None
    if chart.time_axis and n:
        stamps = [_time_position(v) for v in chart.x]
        gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False) if b > a]
        unit = min(gaps) if gaps else 30.0
        lo, hi = min(stamps) - unit / 2, max(stamps) + unit / 2
        if len(chart.x[0]) == 7:  # months: whole years in view, so the year ticks sit on their Januaries
            lo = min(lo, dt.date(dt.date.fromordinal(int(min(stamps))).year, 1, 1).toordinal())
        span = max(hi - lo, 1.0)

        def day_x(day: float) -> float:
            return left + (day - lo) / span * plot_w

        xs = [day_x(s) for s in stamps]
        to_x = day_x
        band = max(unit / span * plot_w, 1.0)
    else:
        band = plot_w / max(n, 1)
        xs = [left + band * (i + 0.5) for i in range(n)]
    panels = chart.panels
    gap = 28.0
    panel_h = (height - top - bottom - gap * (len(panels) - 1)) / max(len(panels), 1)
    for p, panel in enumerate(panels):
        y0 = top + p * (panel_h + gap)
        _draw_panel(canvas, panel, chart, xs=xs, band=band, left=left, right=width - right, top=y0, height=panel_h)
    _x_axis(canvas, chart, xs=xs, day_x=to_x, left=left, plot_w=plot_w, y=height - bottom)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    classes = " ".join(("svg-chart", *css_class.split()))
    desc = f"{chart.source}. {note}".strip()
    return (
        f'<svg id="{escape(chart_id)}" class="{classes}" role="img" aria-labelledby="{title_id} {desc_id}"'
        f' viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet"'
        f' xmlns="http://www.w3.org/2000/svg" font-family="{escape(FONT)}" fill="{INK}">'
        f'<title id="{title_id}">{escape(chart.title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(canvas.parts) + "</svg>"
    )


def _draw_panel(
    canvas: _Canvas,
    panel: Panel,
    chart: Chart,
    *,
    xs: list[float],
    band: float,
    left: float,
    right: float,
    top: float,
    height: float,
) -> None:
    bars = [s for s in panel.series if s.kind == "bar"]
    ups = [sum(max(s.values[i] or 0, 0) for s in bars) for i in range(len(xs))]
    downs = [sum(min(s.values[i] or 0, 0) for s in bars) for i in range(len(xs))]
    others = [v for s in panel.series if s.kind != "bar" for v in s.values if v is not None]
    ticks = nice_ticks(min([*downs, *others, 0]), max([*ups, *others, 0]))
    low, high = ticks[0], ticks[-1]
    head = 14.0 if any(s.labels for s in panel.series) else 0.0  # room for labels over the tallest bar

    def y_of(value: float) -> float:
        return top + head + (high - value) / (high - low) * (height - head)

    canvas.parts.append(f'<g class="y-axis" data-from="{_num(low)}" data-to="{_num(high)}">')
    for t in ticks:
        canvas.line(left, y_of(t), right, y_of(t), color=INK if t == 0 else GRID, width=1.2 if t == 0 else 1)
        canvas.text(left - 6, y_of(t) + 4, tick_label(t), size=11, anchor="end", fill=MUTED)
    middle = top + height / 2
    canvas.text(14, middle, panel.y_title, size=12, anchor="middle", transform=f"rotate(-90 14 {_num(middle)})")
    canvas.parts.append("</g>")
    bar_w = max(min(band * 0.72, 90.0), 1.2)
    up, down = [0.0] * len(xs), [0.0] * len(xs)
    groups: list[str] = []
    for s in panel.series:
        items: list[str] = []
        if s.kind == "bar":
            for i, (x, v) in enumerate(zip(xs, s.values, strict=True)):
                if not v:
                    continue
                base = up[i] if v > 0 else down[i]
                end = base + v
                if v > 0:
                    up[i] = end
                else:
                    down[i] = end
                y1, y2 = sorted((y_of(base), y_of(end)))
                color = s.colors[i] if s.colors else s.color
                items.append(
                    f'<rect x="{_num(x - bar_w / 2)}" y="{_num(y1)}" width="{_num(bar_w)}"'
                    f' height="{_num(max(y2 - y1, 0.5))}" fill="{color}">'
                    f"<title>{escape(f'{s.name}, {chart.x[i]}: {_value_text(v)}')}</title></rect>"
                )
                if s.labels:
                    items.append(_label(x, y1 - 4, s.labels[i]))
        else:
            points = [(x, y_of(v), v, i) for i, (x, v) in enumerate(zip(xs, s.values, strict=True)) if v is not None]
            if s.kind in ("line", "step") and len(points) > 1:
                if s.kind == "step":  # flat until the next value, then straight up: no slope across empty months
                    path = f"M{_num(points[0][0])} {_num(points[0][1])}" + "".join(
                        f"H{_num(x)}V{_num(y)}" for x, y, _, _ in points[1:]
                    )
                else:
                    path = "M" + "L".join(f"{_num(x)} {_num(y)}" for x, y, _, _ in points)
                items.append(f'<path d="{path}" fill="none" stroke="{s.color}" stroke-width="2.2"/>')
            for x, y, v, i in points:
                tip = f"<title>{escape(f'{s.name}, {chart.x[i]}: {_value_text(v)}')}</title>"
                if s.kind == "line":
                    items.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{s.color}">{tip}</circle>')
                elif s.kind == "marker":
                    d = 6.5
                    items.append(
                        f'<polygon points="{_num(x)},{_num(y - d)} {_num(x + d)},{_num(y)} {_num(x)},{_num(y + d)}'
                        f' {_num(x - d)},{_num(y)}" fill="{s.color}" stroke="#fff">{tip}</polygon>'
                    )
                if s.labels:
                    items.append(_label(x, y - 9, s.labels[i]))
        groups.append(f'<g class="series {s.kind}" data-series="{escape(s.name)}">{"".join(items)}</g>')
    canvas.parts.extend(groups)


def _label(x: float, y: float, text: str) -> str:
    """A value written over its bar or point, with a white halo so it reads over gridlines and bars."""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="12" font-weight="600" text-anchor="middle" stroke="#fff"'
        f' stroke-width="3" paint-order="stroke">{escape(text)}</text>'
    )


def _x_axis(
    canvas: _Canvas,
    chart: Chart,
    *,
    xs: list[float],
    day_x: Callable[[float], float] | None,
    left: float,
    plot_w: float,
    y: float,
) -> None:
    """Labels under the last panel: on a months axis one per year (or every few years); otherwise each x value,
    skipping any that would touch the one before (greedy, so the first always shows)."""
    if not chart.x:
        return
    right = left + plot_w
    if day_x is not None and len(chart.x[0]) == 7:
        first, last = int(chart.x[0][:4]), int(chart.x[-1][:4])
        every = max(1, math.ceil((last - first + 1) * 4 * CHAR_W * 1.8 / plot_w))
        for year in range(first, last + 1, every):
            x = day_x(dt.date(year, 1, 1).toordinal())
            if left - 1 <= x <= right + 1:
                canvas.line(x, y, x, y + 4, color=INK)
                canvas.text(x, y + 17, str(year), size=11, anchor="middle")
        return
    shown_right = -math.inf
    for x, value in zip(xs, chart.x, strict=True):
        half = len(value) * CHAR_W / 2 + 3
        at = min(max(x, left + half - 8), right + 8 - half)  # kept inside the drawing at either end
        if at - half >= shown_right:
            canvas.text(at, y + 17, value, size=11, anchor="middle")
            shown_right = at + half
