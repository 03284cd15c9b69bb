"""The lead among the target's structures, as a small inline SVG for the report.

Two projections per lead, coronal (x–z: lateral against dorsal) and sagittal (y–z:
anterior against dorsal), in the patient's true anatomy: each region's ellipsoid as its
outline, each tract as its centre line, the lead with its contacts (the final program's
cathodes red, anodes blue). Drawn from the engine's geometry without a plotting library,
so the report stays one offline file (STYLE 1); every label is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

import numpy as np

from dbssim.patient.anatomy import Region
from dbssim.patient.virtual_patient import VirtualPatient

PANEL_PX = 260  # one projection (teaching value: readable on paper and screen)
VIEW_MM = 30.0  # width of the window around the lowest contact, mm (teaching value)
LEAD_SHOWN_MM = 20.0  # length of shaft drawn above the tip
REGION_COLOURS = ("#4c72b0", "#55a868", "#8172b2", "#ccb974", "#64b5cd", "#937860")
POLARITY_COLOURS = {"cathode": "#d62728", "anode": "#1f77b4", "off": "#888888"}
VIEWS = (("coronal", 0, "lateral →"), ("sagittal", 1, "anterior →"))


def _half_width(region: Region, axis: int) -> float:
    """Extent of a region's yawed ellipsoid along atlas x (axis 0) or y (axis 1)."""
    a, b, _ = region.semi_axes_mm
    yaw = math.radians(region.yaw_deg)
    c, s = math.cos(yaw), math.sin(yaw)
    return math.hypot(a * c, b * s) if axis == 0 else math.hypot(a * s, b * c)


def _panel(patient: VirtualPatient, side: str, axis: int, polarity: Mapping[str, str]) -> str:
    model = patient.sides[side]
    lead, pose = model.lead, model.pose
    centre = pose.to_atlas(np.array([[0.0, 0.0, lead.contacts[-1].z_max_mm / 2]]))[0]
    scale = PANEL_PX / VIEW_MM

    def px(h: float, z: float) -> tuple[float, float]:
        return (
            PANEL_PX / 2 + (h - centre[axis]) * scale,
            PANEL_PX / 2 - (z - centre[2]) * scale,
        )

    parts = []
    for n, region in enumerate(patient.atlas.regions):
        x, y = px(region.centre_mm[axis], region.centre_mm[2])
        colour = REGION_COLOURS[n % len(REGION_COLOURS)]
        parts.append(
            f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{_half_width(region, axis) * scale:.1f}" '
            f'ry="{region.semi_axes_mm[2] * scale:.1f}" fill="{colour}" fill-opacity="0.18" '
            f'stroke="{colour}"><title>{escape(region.name)}</title></ellipse>'
        )
    for tract in patient.atlas.tracts:
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in (px(p[axis], p[2]) for p in tract.path_mm))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="#e377c2" stroke-width="2" '
            f'stroke-dasharray="5 3"><title>{escape(tract.name)}</title></polyline>'
        )
    ends = pose.to_atlas(np.array([[0.0, 0.0, 0.0], [0.0, 0.0, LEAD_SHOWN_MM]]))
    (x0, y0), (x1, y1) = px(ends[0][axis], ends[0][2]), px(ends[1][axis], ends[1][2])
    width = lead.diameter_mm * scale
    parts.append(
        f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#adb5bd" '
        f'stroke-width="{width:.1f}"><title>{escape(lead.name)}</title></line>'
    )
    # Segments of one level overlap in projection: active contacts are drawn last, on top.
    for contact in sorted(lead.contacts, key=lambda c: polarity.get(c.label, "off") != "off"):
        a, b = pose.to_atlas(np.array([[0.0, 0.0, contact.z_min_mm], [0.0, 0.0, contact.z_max_mm]]))
        (xa, ya), (xb, yb) = px(a[axis], a[2]), px(b[axis], b[2])
        colour = POLARITY_COLOURS.get(polarity.get(contact.label, "off"), "#888888")
        parts.append(
            f'<line x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{yb:.1f}" stroke="{colour}" '
            f'stroke-width="{width:.1f}"><title>contact {escape(contact.label)}</title></line>'
        )
    return "".join(parts)


def svg_lead_anatomy(
    patient: VirtualPatient, side: str, polarity: Mapping[str, str] | None = None
) -> str:
    """Coronal and sagittal views of one lead in the patient's true anatomy (inline SVG).

    ``polarity`` maps contact labels to ``cathode``, ``anode`` or ``off`` (the final program).
    """
    shown = polarity or {}
    regions = patient.atlas.regions
    legend_rows = (len(regions) + 1) // 2 + 1
    width, height = 2 * PANEL_PX + 20, PANEL_PX + 24 + 16 * legend_rows
    panels = []
    for k, (name, axis, arrow) in enumerate(VIEWS):
        dx = k * (PANEL_PX + 20)
        panels.append(
            f'<g transform="translate({dx},0)"><svg width="{PANEL_PX}" height="{PANEL_PX}" '
            f'viewBox="0 0 {PANEL_PX} {PANEL_PX}" overflow="hidden">'
            f'<rect width="{PANEL_PX}" height="{PANEL_PX}" fill="#fafafa" stroke="#ccc"/>'
            f"{_panel(patient, side, axis, shown)}</svg>"
            f'<text x="4" y="{PANEL_PX + 16}" font-size="12">{escape(side)} lead, {name} view '
            f"({arrow}, dorsal ↑)</text></g>"
        )
    y0 = PANEL_PX + 36
    for n, region in enumerate(regions):
        x, y = (n % 2) * (PANEL_PX + 20), y0 + (n // 2) * 16
        colour = REGION_COLOURS[n % len(REGION_COLOURS)]
        panels.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}" '
            f'fill-opacity="0.5"/><text x="{x + 14}" y="{y}" font-size="11">'
            f"{escape(region.name)}</text>"
        )
    y = y0 + ((len(regions) + 1) // 2) * 16
    panels.append(
        f'<text x="0" y="{y}" font-size="11">dashed: fibre tracts · contacts: cathode red, '
        f"anode blue · each view {VIEW_MM:g} mm across</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(side)} lead among the target structures">{"".join(panels)}</svg>'
    )
