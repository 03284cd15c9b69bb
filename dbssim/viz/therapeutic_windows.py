"""Therapeutic window per contact: the hidden truth against the thresholds the trainee recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dbssim.viz.style import apply_layout, contact_markers


def plot_windows(
    true_rows: Sequence[Mapping[str, Any]],
    trainee_rows: Sequence[Mapping[str, Any]],
    amplitude_unit: str = "mA",
    title: str | None = None,
    amplitude_max: float | None = None,
) -> go.Figure:
    """Therapeutic window per contact: the hidden truth as bars, the trainee's marks on top.

    Both row lists hold ``contact``, ``efficacy`` and ``side_effect`` (amplitude or None).
    ``amplitude_max`` ends the bars of windows with no side effect (default: past the data).
    Five traces: true window, true efficacy, true side effect, recorded efficacy,
    recorded side effect.
    """
    labels = [str(r["contact"]) for r in true_rows]
    values = [
        float(r[k])
        for r in [*true_rows, *trainee_rows]
        for k in ("efficacy", "side_effect")
        if r.get(k) is not None
    ]
    top = amplitude_max if amplitude_max is not None else max(values, default=1.0) + 1.0
    # A window runs from the efficacy threshold to the side-effect threshold (or beyond the
    # range shown when no side effect was reached); none where side effects come first.
    bars = [
        (str(r["contact"]), float(r["efficacy"]), float(r["side_effect"] or top))
        for r in true_rows
        if r.get("efficacy") is not None
        and (r.get("side_effect") is None or r["side_effect"] > r["efficacy"])
    ]
    traces: list[go.Bar | go.Scatter] = [
        go.Bar(
            y=[b[0] for b in bars],
            x=[b[2] - b[1] for b in bars],
            base=[b[1] for b in bars],
            orientation="h",
            name="true window",
            marker={"color": "rgba(42,157,143,0.35)"},
            hovertemplate="%{y}: window from %{base} " + amplitude_unit + "<extra></extra>",
        )
    ]
    specs = (
        (true_rows, "efficacy", "true efficacy", "circle", "#2a9d8f"),
        (true_rows, "side_effect", "true side effect", "circle", "#c1121f"),
        (trainee_rows, "efficacy", "your efficacy", "triangle-up-open", "#1b4332"),
        (trainee_rows, "side_effect", "your side effect", "x-thin-open", "#6a040f"),
    )
    for rows, key, name, symbol, colour in specs:
        chosen = [r for r in rows if r.get(key) is not None]
        traces.append(contact_markers(chosen, key, name, (symbol, colour, 13, 2), amplitude_unit))
    # Built once from all its parts: each add_trace or update_* is a validated update.
    fig = go.Figure(
        data=traces,
        layout={
            "xaxis": {"title": {"text": f"Amplitude ({amplitude_unit})"}, "rangemode": "tozero"},
            "yaxis": {
                "title": {"text": "Contact"},
                "type": "category",
                "categoryorder": "array",
                "categoryarray": labels,
            },
        },
    )
    return apply_layout(
        fig,
        title={
            "text": title or "Therapeutic windows: truth and your thresholds",
            "font": {"size": 14},
        },
        height=max(280, 60 * len(labels) + 150),
        barmode="overlay",
        legend={"orientation": "h", "y": -0.3},
    )
