"""Plotly figure builders: engine output in, ``go.Figure`` out.

Pure functions: no Streamlit, no session state, no physics. Geometry helpers
only turn shapes the core describes (ellipsoids, cylinders, polylines) into
triangle meshes for display. Every axis title carries its unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dbssim.patient.anatomy import Atlas, Region
from dbssim.physics.leads import Contact, Lead
from dbssim.physics.pose import LeadPose
from dbssim.physics.vta import grid_faces

POLARITY_COLOURS = {"off": "#d0d4da", "cathode": "#d1495b", "anode": "#2e86ab"}
POLARITY_SIGNS = {"off": "", "cathode": "−", "anode": "+"}
REGION_COLOURS = ("#6a4c93", "#8ac926", "#1982c4", "#ffca3a", "#ff924c", "#c5b0d5")
TRACT_COLOURS = {"optic": "#e9c46a", "default": "#e76f51"}
VTA_COLOURS = {"trainee": "#d1495b", "expert": "#3a86ff", "live": "#d1495b"}
VTA_OPACITY = {"trainee": 0.55, "expert": 0.3, "live": 0.55}
VTA_LABELS = {
    "trainee": "VTA: your program",
    "expert": "VTA: expert program",
    "live": "VTA: program now on",
}
FONT = {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 13}
BENEFIT_POINTS_MIN_SPAN = 3.0  # teaching value: colour spans at least ±3 points, noise pale
_SHAFT_LENGTH_MM = 20.0  # teaching display: how much of the lead shaft is drawn


def _layout(fig: go.Figure, **kwargs: Any) -> go.Figure:
    settings: dict[str, Any] = {
        "template": "plotly_white",
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    }
    fig.update_layout(**(settings | kwargs))
    return fig


# --- 2D lead drawing ---------------------------------------------------------------------
def _contact_x_span(contact: Contact, lead: Lead) -> tuple[float, float]:
    """Horizontal extent of a contact in the unrolled drawing (ring = full width)."""
    if not contact.is_segment:
        return (-1.0, 1.0)
    level = lead.level_contacts(contact.level)
    k = [lead.contacts[i].label for i in level].index(contact.label)
    width = 2.0 / len(level)
    return (-1.0 + k * width + 0.06, -1.0 + (k + 1) * width - 0.06)


def plot_lead(
    lead: Lead, polarity: Mapping[str, str], title: str | None = None, case_anode: bool = True
) -> go.Figure:
    """Unrolled drawing of a lead with its contacts coloured by polarity.

    Parameters
    ----------
    lead
        The lead model (contact geometry in mm from the tip).
    polarity
        Contact label -> ``"off"``, ``"cathode"`` or ``"anode"``; missing labels are off.
    title
        Figure title.
    case_anode
        Annotate the case (IPG can) as the return when only cathodes are active.
    """
    fig = go.Figure()
    top = max(c.z_max_mm for c in lead.contacts) + 2.0
    fig.add_shape(
        type="rect",
        x0=-1.15,
        x1=1.15,
        y0=0.0,
        y1=top,
        line={"color": "#8d99ae", "width": 1},
        fillcolor="#f1f3f5",
        layer="below",
    )
    xs, ys, texts, hovers = [], [], [], []
    for contact in lead.contacts:
        state = polarity.get(contact.label, "off")
        x0, x1 = _contact_x_span(contact, lead)
        fig.add_shape(
            type="rect",
            x0=x0,
            x1=x1,
            y0=contact.z_min_mm,
            y1=contact.z_max_mm,
            line={"color": "#495057", "width": 1},
            fillcolor=POLARITY_COLOURS.get(state, POLARITY_COLOURS["off"]),
        )
        xs.append(0.5 * (x0 + x1))
        ys.append(contact.z_centre_mm)
        texts.append(f"<b>{contact.label}{POLARITY_SIGNS.get(state, '')}</b>")
        hovers.append(
            f"contact {contact.label}: {state}<br>"
            f"{contact.z_min_mm:.1f}–{contact.z_max_mm:.1f} mm above the tip<br>"
            f"area {contact.area_mm2:.1f} mm²"
        )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="text",
            text=texts,
            textfont={"size": 14, "color": "#212529"},
            hovertext=hovers,
            hoverinfo="text",
            name="contacts",
            showlegend=False,
        )
    )
    active = [s for s in polarity.values() if s != "off"]
    if case_anode and active and "anode" not in active:
        fig.add_annotation(
            x=0,
            y=top + 0.9,
            text="case +",
            showarrow=False,
            font={"color": POLARITY_COLOURS["anode"]},
        )
    fig.update_xaxes(
        range=[-1.6, 1.6],
        showticklabels=False,
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    fig.update_yaxes(
        title_text="Height above lead tip (mm)",
        range=[-0.5, top + 1.6],
        zeroline=False,
        fixedrange=True,
    )
    return _layout(
        fig,
        title={"text": title or lead.name, "font": {"size": 14}},
        height=340,
        margin={"l": 55, "r": 10, "t": 40, "b": 30},
    )


# --- monopolar review: clinical-effects map ------------------------------------------------
def _benefit_marker(obs: Sequence[Mapping[str, Any]], benefit: str) -> dict[str, Any]:
    """Colour of the benefit squares: % better (0–100), or signed points around zero."""
    if benefit == "points":
        values = [float(o["change_points"]) for o in obs]
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
        "color": [o["benefit_pct"] for o in obs],
        "colorscale": "Greens",
        "cmin": 0,
        "cmax": 100,
        "colorbar": {"title": {"text": "Benefit (%)"}, "thickness": 12},
    }


def _benefit_text(o: Mapping[str, Any], benefit: str) -> str:
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
    fig = go.Figure()
    fig.add_trace(
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
    )
    with_signs = [o for o in obs if o.get("signs")]
    fig.add_trace(
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
        fig.add_trace(
            _contact_markers(
                [t["amplitude"] for t in chosen],
                [str(t["contact"]) for t in chosen],
                name,
                (symbol, colour, 16, 4),
                amplitude_unit,
            )
        )
    fig.update_xaxes(title_text=f"Amplitude ({amplitude_unit})", rangemode="tozero")
    fig.update_yaxes(
        title_text="Contacts",
        type="category",
        categoryorder="array",
        categoryarray=rows,
        range=[-0.5, len(rows) - 0.5],
    )
    if not obs and not thresholds:
        fig.add_annotation(
            text="No exam with this lead on yet",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"color": "#868e96"},
        )
    heading: dict[str, Any] = {
        "text": title or "Clinical-effects map (your observations)",
        "font": {"size": 14},
    }
    if note:
        heading["subtitle"] = {"text": note, "font": {"size": 12, "color": "#6c757d"}}
    return _layout(
        fig,
        title=heading,
        height=max(280, 70 * len(rows) + 130) + (20 if note else 0),
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 60, "r": 20, "t": 70 if note else 40, "b": 50},
    )


# --- follow-up trend -----------------------------------------------------------------------
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
    return _layout(fig, title={"text": "Scale total over time", "font": {"size": 14}}, height=360)


# --- session timeline ----------------------------------------------------------------------
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
    fig = go.Figure()
    kinds = [k for k in TIMELINE_ORDER if any(r["action"] == k for r in rows)]
    kinds += sorted({str(r["action"]) for r in rows} - set(kinds))
    palette = ("#1d3557", "#457b9d", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6a4c93")
    for n, kind in enumerate(kinds):
        chosen = [r for r in rows if r["action"] == kind]
        fig.add_trace(
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
    for r in rows:
        if r["action"] == "visit":
            fig.add_vline(x=r["index"], line={"dash": "dot", "color": "#adb5bd"})
    last = max((r["index"] for r in rows), default=0)
    fig.update_xaxes(title_text="Step (action number)", range=[-0.6, last + 0.6])
    fig.update_yaxes(title_text="Action", type="category")
    return _layout(
        fig,
        title={"text": "Session timeline", "font": {"size": 14}},
        height=max(260, 36 * len(kinds) + 140),
    )


# --- true vs recorded therapeutic windows --------------------------------------------------
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
    fig = go.Figure()
    # A window runs from the efficacy threshold to the side-effect threshold (or beyond the
    # range shown when no side effect was reached); none where side effects come first.
    bars = [
        (str(r["contact"]), float(r["efficacy"]), float(r["side_effect"] or top))
        for r in true_rows
        if r.get("efficacy") is not None
        and (r.get("side_effect") is None or r["side_effect"] > r["efficacy"])
    ]
    fig.add_trace(
        go.Bar(
            y=[b[0] for b in bars],
            x=[b[2] - b[1] for b in bars],
            base=[b[1] for b in bars],
            orientation="h",
            name="true window",
            marker={"color": "rgba(42,157,143,0.35)"},
            hovertemplate="%{y}: window from %{base} " + amplitude_unit + "<extra></extra>",
        )
    )
    specs = (
        (true_rows, "efficacy", "true efficacy", "circle", "#2a9d8f"),
        (true_rows, "side_effect", "true side effect", "circle", "#c1121f"),
        (trainee_rows, "efficacy", "your efficacy", "triangle-up-open", "#1b4332"),
        (trainee_rows, "side_effect", "your side effect", "x-thin-open", "#6a040f"),
    )
    for rows, key, name, symbol, colour in specs:
        chosen = [r for r in rows if r.get(key) is not None]
        fig.add_trace(
            _contact_markers(
                [r[key] for r in chosen],
                [str(r["contact"]) for r in chosen],
                name,
                (symbol, colour, 13, 2),
                amplitude_unit,
            )
        )
    fig.update_xaxes(title_text=f"Amplitude ({amplitude_unit})", rangemode="tozero")
    fig.update_yaxes(
        title_text="Contact", type="category", categoryorder="array", categoryarray=labels
    )
    return _layout(
        fig,
        title={
            "text": title or "Therapeutic windows: truth and your thresholds",
            "font": {"size": 14},
        },
        height=max(280, 60 * len(labels) + 150),
        barmode="overlay",
        legend={"orientation": "h", "y": -0.3},
    )


# --- 3D anatomy ----------------------------------------------------------------------------
def ellipsoid_mesh(region: Region, n_polar: int = 14, n_azimuth: int = 24) -> np.ndarray:
    """Vertices (rows × cols flattened, N×3 mm) of a region's ellipsoid surface."""
    theta = np.linspace(0, math.pi, n_polar)
    phi = np.linspace(0, 2 * math.pi, n_azimuth, endpoint=False)
    tt, pp = np.meshgrid(theta, phi, indexing="ij")
    a, b, c = region.semi_axes_mm
    pts = np.column_stack(
        [
            (a * np.sin(tt) * np.cos(pp)).ravel(),
            (b * np.sin(tt) * np.sin(pp)).ravel(),
            (c * np.cos(tt)).ravel(),
        ]
    )
    yaw = math.radians(region.yaw_deg)
    rot = np.array(
        [[math.cos(yaw), -math.sin(yaw), 0], [math.sin(yaw), math.cos(yaw), 0], [0, 0, 1]]
    )
    return pts @ rot.T + np.asarray(region.centre_mm)


def cylinder_mesh(
    radius_mm: float,
    z0_mm: float,
    z1_mm: float,
    angle_centre_deg: float = 0.0,
    angle_span_deg: float = 360.0,
    n_angles: int = 24,
) -> tuple[np.ndarray, np.ndarray]:
    """Lead-local vertices and faces of a (partial) cylinder surface along +z."""
    full = angle_span_deg >= 360.0
    half = math.radians(angle_span_deg) / 2
    centre = math.radians(angle_centre_deg)
    angles = (
        np.linspace(0, 2 * math.pi, n_angles, endpoint=False)
        if full
        else np.linspace(centre - half, centre + half, max(4, n_angles // 3))
    )
    zs = np.array([z0_mm, z1_mm])
    zz, aa = np.meshgrid(zs, angles, indexing="ij")
    pts = np.column_stack(
        [(radius_mm * np.cos(aa)).ravel(), (radius_mm * np.sin(aa)).ravel(), zz.ravel()]
    )
    return pts, grid_faces(2, len(angles), wrap=full)


def _mesh_trace(
    vertices: np.ndarray, faces: np.ndarray, name: str, colour: str, opacity: float, **kw: Any
) -> go.Mesh3d:
    settings: dict[str, Any] = {
        "name": name,
        "color": colour,
        "opacity": opacity,
        "hoverinfo": "name",
        "showlegend": True,
        "flatshading": False,
        # Bright, soft shading: translucent nested meshes stay readable.
        "lighting": {"ambient": 0.75, "diffuse": 0.45, "specular": 0.05, "roughness": 0.9},
    }
    return go.Mesh3d(
        x=vertices[:, 0],
        y=vertices[:, 1],
        z=vertices[:, 2],
        i=faces[:, 0],
        j=faces[:, 1],
        k=faces[:, 2],
        **(settings | kw),
    )


def plot_anatomy_3d(
    atlas: Atlas,
    lead: Lead,
    pose: LeadPose,
    polarity: Mapping[str, str],
    vtas: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    title: str | None = None,
) -> go.Figure:
    """The lead in its true place among the atlas structures, with VTA meshes.

    Parameters
    ----------
    atlas
        The patient's (possibly shifted) atlas, hemisphere-local AC–PC mm.
    lead, pose
        Lead model and its true pose.
    polarity
        Contact label -> ``"off"``, ``"cathode"`` or ``"anode"`` (final program).
    vtas
        Name (``trainee``, ``expert``) -> (vertices in atlas mm N×3, faces M×3).

    Returns
    -------
    go.Figure
        One mesh per region, one line per tract, the lead shaft, one mesh per contact and
        one mesh per VTA.
    """
    fig = go.Figure()
    for n, region in enumerate(atlas.regions):
        n_polar, n_azimuth = 14, 24
        verts = ellipsoid_mesh(region, n_polar, n_azimuth)
        faces = grid_faces(n_polar, n_azimuth, wrap=True)
        opacity = 0.25 if region.within else 0.12
        fig.add_trace(
            _mesh_trace(verts, faces, region.name, REGION_COLOURS[n % len(REGION_COLOURS)], opacity)
        )
    for tract in atlas.tracts:
        path = np.asarray(tract.path_mm)
        colour = TRACT_COLOURS["optic" if "optic" in tract.id else "default"]
        fig.add_trace(
            go.Scatter3d(
                x=path[:, 0],
                y=path[:, 1],
                z=path[:, 2],
                mode="lines",
                name=tract.name,
                line={"color": colour, "width": max(4.0, 8 * tract.bundle_radius_mm)},
                opacity=0.7,
                hoverinfo="name",
            )
        )
    radius = lead.diameter_mm / 2
    shaft_v, shaft_f = cylinder_mesh(radius * 0.97, 0.0, _SHAFT_LENGTH_MM)
    fig.add_trace(_mesh_trace(pose.to_atlas(shaft_v), shaft_f, lead.name, "#adb5bd", 1.0))
    for contact in lead.contacts:
        state = polarity.get(contact.label, "off")
        verts, faces = cylinder_mesh(
            radius * 1.02,
            contact.z_min_mm,
            contact.z_max_mm,
            contact.angle_centre_deg,
            contact.angle_span_deg,
        )
        fig.add_trace(
            _mesh_trace(
                pose.to_atlas(verts),
                faces,
                f"contact {contact.label} ({state})",
                POLARITY_COLOURS.get(state, POLARITY_COLOURS["off"])
                if state != "off"
                else "#495057",
                1.0,
                showlegend=False,
            )
        )
    for name, (verts, faces) in (vtas or {}).items():
        if len(verts) == 0:
            continue
        fig.add_trace(
            _mesh_trace(
                np.asarray(verts),
                np.asarray(faces),
                VTA_LABELS.get(name, f"VTA: {name}"),
                VTA_COLOURS.get(name, "#f4a261"),
                VTA_OPACITY.get(name, 0.4),
            )
        )
    fig.update_layout(
        scene={
            "xaxis": {"title": {"text": "x lateral (mm)"}},
            "yaxis": {"title": {"text": "y anterior (mm)"}},
            "zaxis": {"title": {"text": "z superior (mm)"}},
            "aspectmode": "data",
            "camera": {"eye": {"x": -1.7, "y": -1.45, "z": 0.6}, "center": {"z": -0.1}},
            "domain": {"x": [0.0, 0.74], "y": [0.0, 1.0]},
        },
        legend={"itemsizing": "constant", "font": {"size": 11}, "x": 0.75, "y": 0.95},
    )
    return _layout(
        fig,
        title={"text": title or "Where the lead really sits", "font": {"size": 14}},
        height=680,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
    )


def _contact_markers(
    amplitudes: list[Any],
    contacts: list[str],
    name: str,
    style: tuple[str, str, int, int],
    amplitude_unit: str,
) -> go.Scatter:
    """Markers at (amplitude, contact); ``style`` is (symbol, colour, size, line width)."""
    symbol, colour, size, width = style
    return go.Scatter(
        x=amplitudes,
        y=contacts,
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
