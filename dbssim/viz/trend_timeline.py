"""Figures over session time: the scale total at every exam, and every logged action."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dbssim.viz.style import apply_layout


def plot_trend(
    points: Sequence[Mapping[str, Any]],
    scale_name: str,
    baseline_total: float | None = None,
    total_max: float | None = None,
) -> go.Figure:
    """Scale total of every exam over session time.

    ``points`` hold ``t_days`` (days since the session started), ``total`` and ``label``
    (hover text). A dashed line marks the baseline total.
    """
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[p["t_days"] for p in points],
            y=[p["total"] for p in points],
            mode="lines+markers",
            name="exam total",
            line={"color": "#1d3557", "width": 2},
            marker={"size": 9},
            text=[p.get("label", "") for p in points],
            hovertemplate="%{text}<br>total %{y}<extra></extra>",
        )
    )
    if baseline_total is not None:
        fig.add_hline(
            y=baseline_total,
            line={"dash": "dash", "color": "#adb5bd"},
            annotation_text=f"baseline {baseline_total:g}",
            annotation_position="top left",
        )
    fig.update_xaxes(title_text="Time since the session started (days)", rangemode="tozero")
    y_range = [0, total_max] if total_max else None
    fig.update_yaxes(title_text=f"{scale_name} total (points)", range=y_range)
    return apply_layout(
        fig, title={"text": "Scale total over time", "font": {"size": 14}}, height=360
    )


TIMELINE_ORDER = (
    "finish",
    "visit",
    "record_threshold",
    "wait",
    "ask",
    "examine",
    "stim_off",
    "stim_on",
    "set",
)


def plot_timeline(rows: Sequence[Mapping[str, Any]]) -> go.Figure:
    """Every logged action by step, one row per action kind; hover gives time and result.

    ``rows`` hold ``index``, ``action`` (kind), ``day``, ``minute`` and ``summary``.
    """
    kinds = [k for k in TIMELINE_ORDER if any(r["action"] == k for r in rows)]
    kinds += sorted({str(r["action"]) for r in rows} - set(kinds))
    palette = ("#1d3557", "#457b9d", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6a4c93")
    traces = []
    for n, kind in enumerate(kinds):
        chosen = [r for r in rows if r["action"] == kind]
        traces.append(
            go.Scatter(
                x=[r["index"] for r in chosen],
                y=[kind.replace("_", " ") for _ in chosen],
                mode="markers",
                name=kind.replace("_", " "),
                marker={"size": 11, "color": palette[n % len(palette)]},
                text=[
                    f"day {r['day']}, minute {r['minute']:g}<br>{r.get('summary', '')}"
                    for r in chosen
                ],
                hovertemplate="step %{x}<br>%{text}<extra></extra>",
                showlegend=False,
            )
        )
    # A dotted line at each visit, as add_vline draws it (full height of the plot area).
    visits = [
        {
            "type": "line",
            "x0": r["index"],
            "x1": r["index"],
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "y domain",
            "line": {"dash": "dot", "color": "#adb5bd"},
        }
        for r in rows
        if r["action"] == "visit"
    ]
    last = max((r["index"] for r in rows), default=0)
    # Built once from all its parts: a validated update per trace, line or axis took
    # ~0.1 s for a long session's timeline on the Debrief page.
    fig = go.Figure(
        data=traces,
        layout={
            "shapes": visits,
            "xaxis": {"title": {"text": "Step (action number)"}, "range": [-0.6, last + 0.6]},
            "yaxis": {"title": {"text": "Action"}, "type": "category"},
        },
    )
    return apply_layout(
        fig,
        title={"text": "Session timeline", "font": {"size": 14}},
        height=max(260, 36 * len(kinds) + 140),
    )
