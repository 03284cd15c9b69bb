"""Clinical-effects map of a monopolar review: benefit and side effects by contact and amplitude."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dbssim.viz.style import apply_layout, contact_markers

BENEFIT_POINTS_MIN_SPAN = 3.0  # teaching value: colour spans at least ±3 points, noise pale


def _benefit_marker(obs: Sequence[Mapping[str, Any]], benefit: str) -> dict[str, Any]:
    """Colour of the benefit squares: % better (0–100), or signed points around zero."""
    if benefit == "points":
        # Changes within rater noise are drawn at the neutral centre of the scale.
        values = [0.0 if o.get("within_noise") else float(o["change_points"]) for o in obs]
        span = max([BENEFIT_POINTS_MIN_SPAN, *(abs(v) for v in values)])
        return {
            "color": values,
            "colorscale": [[0.0, "#c1121f"], [0.5, "#f8f9fa"], [1.0, "#2b9348"]],
            "cmin": -span,
            "cmax": span,
            "colorbar": {
                "title": {"text": "Change vs<br>baseline (points)", "font": {"size": 12}},
                "thickness": 12,
            },
        }
    return {
        "color": [0.0 if o.get("within_noise") else o["benefit_pct"] for o in obs],
        "colorscale": "Greens",
        "cmin": 0,
        "cmax": 100,
        "colorbar": {"title": {"text": "Benefit (%)"}, "thickness": 12},
    }


def _benefit_text(o: Mapping[str, Any], benefit: str) -> str:
    if o.get("within_noise"):
        band = f" (±{o['noise_points']:g} points)" if "noise_points" in o else ""
        return f"no change beyond rater noise{band} · {o.get('when', '')}"
    if benefit != "points":
        return f"{o['benefit_pct']:.0f} % better · {o.get('when', '')}"
    change = float(o["change_points"])
    size = f"{abs(change):g} point{'' if abs(change) == 1 else 's'}"
    words = "no change" if change == 0 else f"{size} {'better' if change > 0 else 'worse'}"
    return f"{words} than the baseline exam · {o.get('when', '')}"


def plot_effects_map(
    observations: Sequence[Mapping[str, Any]],
    thresholds: Sequence[Mapping[str, Any]],
    contacts: Sequence[str],
    amplitude_unit: str = "mA",
    title: str | None = None,
    benefit: str = "percent",
    note: str | None = None,
    x_max: float | None = None,
) -> go.Figure:
    """Clinical-effects map from the trainee's own observations.

    Parameters
    ----------
    observations
        One per exam: ``contacts`` (row label), ``amplitude``, ``benefit_pct`` (improvement
        of the rated items against baseline, %), ``change_points`` (the same in scale
        points, signed; needed with ``benefit="points"``), ``signs`` (list of str) and
        ``when`` (text).
    thresholds
        Recorded thresholds: ``contact``, ``kind`` (``efficacy`` or ``side_effect``),
        ``amplitude``.
    contacts
        Row order (bottom to top); rows met in the data but not listed are appended.
    amplitude_unit
        ``mA`` or ``V``.
    title
        Figure title.
    benefit
        ``percent``: colour is the % improvement (0–100). ``points``: colour is the signed
        change against the baseline exam in scale points, white at zero (for scales where
        a change of a point or two is rater noise, as in dystonia).
    note
        A line under the title (e.g. how large rater noise is).
    x_max
        Right end of the amplitude axis (give both leads' maps the same one); by default
        the data decide.

    An observation with ``within_noise`` true is drawn neutral (the colour of no change)
    and says so on hover.

    Returns
    -------
    go.Figure
        Four traces: observed benefit, observed side effects, efficacy thresholds and
        side-effect thresholds.
    """
    rows = list(contacts)
    for item in [*observations, *thresholds]:
        label = str(item.get("contacts", item.get("contact", "")))
        if label and label not in rows:
            rows.append(label)
    obs = list(observations)
    # Built once from all its parts: each add_trace or update_* is a validated update.
    traces: list[go.Scatter] = [
        go.Scatter(
            x=[o["amplitude"] for o in obs],
            y=[o["contacts"] for o in obs],
            mode="markers",
            name="observed benefit",
            marker={
                "symbol": "square",
                "size": 22,
                "line": {"color": "#495057", "width": 0.5},
                **_benefit_marker(obs, benefit),
            },
            text=[_benefit_text(o, benefit) for o in obs],
            hovertemplate="%{y} at %{x} " + amplitude_unit + "<br>%{text}<extra></extra>",
        )
    ]
    with_signs = [o for o in obs if o.get("signs")]
    traces.append(
        go.Scatter(
            x=[o["amplitude"] for o in with_signs],
            y=[o["contacts"] for o in with_signs],
            mode="markers",
            name="side effect seen",
            marker={"symbol": "x-thin", "size": 18, "line": {"color": "#c1121f", "width": 3}},
            text=["; ".join(o["signs"]) for o in with_signs],
            hovertemplate="%{y} at %{x} " + amplitude_unit + "<br>%{text}<extra></extra>",
        )
    )
    for kind, name, symbol, colour in (
        ("efficacy", "efficacy threshold (recorded)", "triangle-up", "#2b9348"),
        ("side_effect", "side-effect threshold (recorded)", "line-ns", "#c1121f"),
    ):
        chosen = [t for t in thresholds if t.get("kind") == kind]
        traces.append(
            contact_markers(chosen, "amplitude", name, (symbol, colour, 16, 4), amplitude_unit)
        )
    xaxis: dict[str, Any] = {
        "title": {"text": f"Amplitude ({amplitude_unit})"},
        "rangemode": "tozero",
    }
    if x_max is not None:
        xaxis |= {"range": [0, x_max], "autorange": False}
    layout: dict[str, Any] = {
        "xaxis": xaxis,
        "yaxis": {
            "title": {"text": "Contacts"},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": rows,
            "range": [-0.5, len(rows) - 0.5],
        },
    }
    if not obs and not thresholds:
        layout["annotations"] = [
            {
                "text": "No exam with this lead on yet",
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"color": "#868e96"},
            }
        ]
    fig = go.Figure(data=traces, layout=layout)
    heading: dict[str, Any] = {
        "text": title or "Clinical-effects map (your observations)",
        "font": {"size": 14},
    }
    if note:
        heading["subtitle"] = {"text": note, "font": {"size": 12, "color": "#6c757d"}}
    return apply_layout(
        fig,
        title=heading,
        height=max(280, 70 * len(rows) + 130) + (20 if note else 0),
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 60, "r": 20, "t": 70 if note else 40, "b": 50},
    )
