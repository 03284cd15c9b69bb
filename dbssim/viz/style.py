"""Look shared by every figure: polarity colours, font, layout, amplitude-by-contact markers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

POLARITY_COLOURS = {"off": "#d0d4da", "cathode": "#d1495b", "anode": "#2e86ab"}
POLARITY_SIGNS = {"off": "", "cathode": "−", "anode": "+"}
FONT = {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 13}


TEMPLATE = "plotly_white"


def apply_layout(fig: go.Figure, **kwargs: Any) -> go.Figure:
    """The common template, font and margins, overridden by ``kwargs``; returns ``fig``."""
    settings: dict[str, Any] = {
        "template": TEMPLATE,
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    }
    settings |= kwargs
    template = settings.pop("template")
    if isinstance(template, str) and template in pio.templates:
        _set_registered_template(fig, template)
    else:
        settings["template"] = template
    fig.update_layout(**settings)
    return fig


def _set_registered_template(fig: go.Figure, name: str) -> None:
    """Give ``fig`` a template registered in ``plotly.io.templates``, without validating it.

    Validating a template copies and checks every trace type in it: ~15 ms a figure, the
    largest part of building most of our figures. plotly.io validated the registered
    templates once, and plotly skips the check the same way when it applies its default
    template to a new figure (``_initialize_layout_template``); the figure is the same
    (tests/unit/test_viz_style.py).
    """
    layout = fig.layout
    validate = getattr(layout, "_validate", None)
    if validate is None:  # a plotly without the switch: validate as usual
        fig.update_layout(template=name)
        return
    layout._validate = False
    try:
        layout.template = pio.templates[name]
    finally:
        layout._validate = validate


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
