"""Look shared by every figure: polarity colours, font, layout, amplitude-by-contact markers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

POLARITY_COLOURS = {"off": "#d0d4da", "cathode": "#d1495b", "anode": "#2e86ab"}
POLARITY_SIGNS = {"off": "", "cathode": "−", "anode": "+"}
FONT = {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 13}


def apply_layout(fig: go.Figure, **kwargs: Any) -> go.Figure:
    """The common template, font and margins, overridden by ``kwargs``; returns ``fig``."""
    settings: dict[str, Any] = {
        "template": "plotly_white",
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    }
    fig.update_layout(**(settings | kwargs))
    return fig


def contact_markers(
    rows: Sequence[Mapping[str, Any]],
    amplitude_key: str,
    name: str,
    style: tuple[str, str, int, int],
    amplitude_unit: str,
) -> go.Scatter:
    """One marker per row at (``row[amplitude_key]``, ``row["contact"]``).

    ``style`` is (symbol, colour, size, line width).
    """
    symbol, colour, size, width = style
    return go.Scatter(
        x=[r[amplitude_key] for r in rows],
        y=[str(r["contact"]) for r in rows],
        mode="markers",
        name=name,
        marker={
            "symbol": symbol,
            "size": size,
            "color": colour,
            "line": {"color": colour, "width": width},
        },
        hovertemplate="%{y}: " + name + " %{x} " + amplitude_unit + "<extra></extra>",
    )
