"""Small inline SVG charts for the HTML report, drawn without a plotting library.

The report must open anywhere, offline, years later, and the engine layer may not
import Plotly (STYLE 1): two simple charts drawn as SVG text are enough. Every label
passes through :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from dbssim.session.log import LogEntry, SetEntry, walk

SCORE_ORDER = ("outcome", "safety", "efficiency", "process")
SIDE_COLOURS = {"left": "#1f77b4", "right": "#d62728"}  # colour-blind-safe pair


def svg_score_bars(scores: Mapping[str, Mapping[str, Any]]) -> str:
    """Horizontal bars of the four scores, 0–100."""
    width, bar_h, gap, label_w = 460, 22, 10, 90
    names = [n for n in SCORE_ORDER if n in scores]
    height = len(names) * (bar_h + gap) + 24
    plot_w = width - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Scores, 0 to 100">'
    ]
    for k, name in enumerate(names):
        value = float(scores[name]["score"])
        y = k * (bar_h + gap) + 4
        w = plot_w * max(0.0, min(100.0, value)) / 100
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.72:.1f}" text-anchor="end">'
            f"{escape(name)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#eee"/>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#4c72b0"/>'
            f'<text x="{label_w + plot_w + 6}" y="{y + bar_h * 0.72:.1f}">{value:g}</text>'
        )
    axis_y = len(names) * (bar_h + gap) + 16
    for tick in (0, 50, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y}" text-anchor="middle" font-size="11">{tick}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def delivered_current(entries: Sequence[LogEntry]) -> dict[str, list[float]]:
    """Cathodic current delivered per side after each log record, mA (0 while off).

    Sides appear in the order they were first programmed; a side never programmed
    has no series.
    """
    steps = list(walk(entries))
    sides = dict.fromkeys(s.entry.side for s in steps if isinstance(s.entry, SetEntry))
    return {side: [s.delivered_current_ma(side) for s in steps] for side in sides}


def svg_current_steps(entries: Sequence[LogEntry]) -> str:
    """Step chart of the delivered current per side against the action number."""
    series = delivered_current(entries)
    if not series:
        return "<p>No stimulation was programmed.</p>"
    width, height, left, bottom, top = 640, 240, 50, 36, 12
    n = max(len(v) for v in series.values())
    y_max = max(1.0, max(max(v) for v in series.values()) * 1.1)
    plot_w, plot_h = width - left - 110, height - bottom - top

    def x(i: float) -> float:
        return left + plot_w * i / max(n, 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Delivered current per side, mA, against the action number">',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{left + plot_w}" y2="{y(0):.1f}" stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(0):.1f}" stroke="#333"/>',
        f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle">action number</text>',
        f'<text x="12" y="{top + plot_h / 2}" transform="rotate(-90 12 {top + plot_h / 2})" '
        'text-anchor="middle">current (mA)</text>',
    ]
    for tick in (0.0, y_max / 2, y_max):
        parts.append(
            f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="11">{tick:.1f}</text>'
        )
    for k, (side, values) in enumerate(sorted(series.items())):
        points = []
        for i, v in enumerate(values):
            points += [f"{x(i):.1f},{y(v):.1f}", f"{x(i + 1):.1f},{y(v):.1f}"]
        colour = SIDE_COLOURS.get(side, "#555")
        line = " ".join(points)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>'
            f'<text x="{left + plot_w + 10}" y="{top + 16 + 18 * k}" fill="{colour}">'
            f"{escape(side)} lead</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
