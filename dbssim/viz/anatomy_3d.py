"""The lead in its true place among the atlas structures, with VTA meshes, in 3D."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dbssim.patient.anatomy import Atlas
from dbssim.physics.leads import Lead
from dbssim.physics.pose import LeadPose
from dbssim.physics.vta import grid_faces
from dbssim.viz.style import POLARITY_COLOURS, apply_layout
from dbssim.viz.surface_meshes import cylinder_mesh, ellipsoid_mesh

REGION_COLOURS = ("#6a4c93", "#8ac926", "#1982c4", "#ffca3a", "#ff924c", "#c5b0d5")
TRACT_COLOURS = {"optic": "#e9c46a", "default": "#e76f51"}
VTA_COLOURS = {"trainee": "#d1495b", "expert": "#3a86ff", "live": "#d1495b"}
VTA_OPACITY = {"trainee": 0.55, "expert": 0.3, "live": 0.55}
VTA_LABELS = {
    "trainee": "VTA: your program",
    "expert": "VTA: expert program",
    "live": "VTA: program now on",
}
_SHAFT_LENGTH_MM = 20.0  # teaching display: how much of the lead shaft is drawn


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
    # Traces are gathered and the figure built once: every add_trace is a separate
    # validated update of the whole figure (~20 traces here).
    traces: list[go.Mesh3d | go.Scatter3d] = []
    for n, region in enumerate(atlas.regions):
        n_polar, n_azimuth = 14, 24
        verts = ellipsoid_mesh(region, n_polar, n_azimuth)
        faces = grid_faces(n_polar, n_azimuth, wrap=True)
        opacity = 0.25 if region.within else 0.12
        traces.append(
            _mesh_trace(verts, faces, region.name, REGION_COLOURS[n % len(REGION_COLOURS)], opacity)
        )
    for tract in atlas.tracts:
        path = np.asarray(tract.path_mm)
        colour = TRACT_COLOURS["optic" if "optic" in tract.id else "default"]
        traces.append(
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
    traces.append(_mesh_trace(pose.to_atlas(shaft_v), shaft_f, lead.name, "#adb5bd", 1.0))
    for contact in lead.contacts:
        state = polarity.get(contact.label, "off")
        verts, faces = cylinder_mesh(
            radius * 1.02,
            contact.z_min_mm,
            contact.z_max_mm,
            contact.angle_centre_deg,
            contact.angle_span_deg,
        )
        traces.append(
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
        traces.append(
            _mesh_trace(
                np.asarray(verts),
                np.asarray(faces),
                VTA_LABELS.get(name, f"VTA: {name}"),
                VTA_COLOURS.get(name, "#f4a261"),
                VTA_OPACITY.get(name, 0.4),
            )
        )
    layout = {
        "scene": {
            "xaxis": {"title": {"text": "x lateral (mm)"}},
            "yaxis": {"title": {"text": "y anterior (mm)"}},
            "zaxis": {"title": {"text": "z superior (mm)"}},
            "aspectmode": "data",
            "camera": {"eye": {"x": -1.7, "y": -1.45, "z": 0.6}, "center": {"z": -0.1}},
            "domain": {"x": [0.0, 0.74], "y": [0.0, 1.0]},
        },
        "legend": {"itemsizing": "constant", "font": {"size": 11}, "x": 0.75, "y": 0.95},
    }
    fig = go.Figure(data=traces, layout=layout)
    return apply_layout(
        fig,
        title={"text": title or "Where the lead really sits", "font": {"size": 14}},
        height=680,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
    )
