"""Figure builders: trace counts, axis titles with units, geometry of the meshes (not pixels)."""

from __future__ import annotations

import itertools

import numpy as np
import plotly.graph_objects as go
import pytest

from dbssim import viz
from dbssim.patient.anatomy import load_atlas
from dbssim.physics.leads import get_lead
from dbssim.physics.pose import LeadPose
from dbssim.viz.style import POLARITY_COLOURS
from dbssim.viz.surface_meshes import cylinder_mesh, ellipsoid_mesh

LEAD = get_lead("medtronic-3389")
DIRECTIONAL = get_lead("medtronic-b33005")
POSE = LeadPose(tip_mm=(20.0, 2.0, -6.5), direction=(0.15, 0.45, 0.88))


def _fills(fig: go.Figure) -> list[str]:
    return [shape.fillcolor for shape in fig.layout.shapes]


def test_lead_drawing_has_one_shape_per_contact_and_units() -> None:
    fig = viz.plot_lead(LEAD, {"1": "cathode"})
    assert len(fig.data) == 1, f"expected one label trace, got {len(fig.data)}"
    assert len(fig.layout.shapes) == len(LEAD.contacts) + 1, "body + one shape per contact"
    assert fig.layout.yaxis.title.text == "Height above lead tip (mm)"
    assert _fills(fig).count(POLARITY_COLOURS["cathode"]) == 1
    assert [a.text for a in fig.layout.annotations] == ["case +"], "monopolar: case is anode"


def test_lead_drawing_bipolar_has_no_case_anode() -> None:
    fig = viz.plot_lead(LEAD, {"1": "cathode", "2": "anode"})
    assert _fills(fig).count(POLARITY_COLOURS["anode"]) == 1
    assert not fig.layout.annotations, "bipolar: the case carries no current"


def test_directional_segments_sit_side_by_side() -> None:
    fig = viz.plot_lead(DIRECTIONAL, {})
    level1 = [s for s in fig.layout.shapes[1:] if s.y0 == DIRECTIONAL.contacts[1].z_min_mm]
    assert len(level1) == 3, f"three segments expected on level 1, got {len(level1)}"
    spans = sorted((s.x0, s.x1) for s in level1)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans


@pytest.mark.parametrize("unit", ["mA", "V"])
def test_effects_map_traces_and_axes(unit: str) -> None:
    observations = [
        {"contacts": "1-", "amplitude": 2.0, "benefit_pct": 30.0, "signs": [], "when": "d0"},
        {"contacts": "1-", "amplitude": 3.5, "benefit_pct": 45.0, "signs": ["pulling"]},
    ]
    thresholds = [
        {"contact": "1-", "kind": "efficacy", "amplitude": 2.0},
        {"contact": "1-", "kind": "side_effect", "amplitude": 3.5},
    ]
    fig = viz.plot_effects_map(observations, thresholds, ["0-", "1-", "2-", "3-"], unit)
    assert len(fig.data) == 4, "benefit, side effects seen, efficacy and side-effect thresholds"
    assert fig.layout.xaxis.title.text == f"Amplitude ({unit})"
    assert fig.layout.yaxis.title.text == "Contacts"
    assert list(fig.layout.yaxis.categoryarray) == ["0-", "1-", "2-", "3-"]
    assert list(fig.data[0].marker.color) == [30.0, 45.0]
    assert list(fig.data[1].x) == [3.5], "only the exam with a sign is crossed"
    assert fig.data[0].marker.colorbar.title.text == "Benefit (%)"


def test_effects_map_in_points_is_centred_on_no_change_with_a_note() -> None:
    observations = [
        {"contacts": "1-", "amplitude": 2.0, "benefit_pct": 0.0, "change_points": -1.0},
        {"contacts": "1-", "amplitude": 3.0, "benefit_pct": 10.0, "change_points": 2.0},
    ]
    fig = viz.plot_effects_map(
        observations, [], ["0-", "1-"], benefit="points", note="±1 point per region is noise"
    )
    marker = fig.data[0].marker
    assert list(marker.color) == [-1.0, 2.0], "signed change, worse stays visible"
    assert (marker.cmin, marker.cmax) == (-3.0, 3.0), "at least ±3 points: noise stays pale"
    assert marker.colorbar.title.text == "Change vs<br>baseline (points)"
    assert fig.data[0].text[0].startswith("1 point worse than the baseline exam")
    assert fig.data[0].text[1].startswith("2 points better than the baseline exam")
    assert fig.layout.title.subtitle.text == "±1 point per region is noise"


def test_effects_map_in_percent_has_no_note() -> None:
    obs = [{"contacts": "1-", "amplitude": 2.0, "benefit_pct": 20.0, "change_points": 3.0}]
    fig = viz.plot_effects_map(obs, [], ["1-"])
    assert (fig.data[0].marker.cmin, fig.data[0].marker.cmax) == (0, 100)
    assert not fig.layout.title.subtitle.text


def test_effects_map_adds_rows_it_did_not_know() -> None:
    obs = [{"contacts": "1-,2+", "amplitude": 1.0, "benefit_pct": 10.0, "signs": []}]
    fig = viz.plot_effects_map(obs, [], ["0-", "1-"])
    assert list(fig.layout.yaxis.categoryarray) == ["0-", "1-", "1-,2+"]


def test_empty_effects_map_says_so() -> None:
    fig = viz.plot_effects_map([], [], ["0-", "1-"])
    assert len(fig.data) == 4 and all(len(t.x) == 0 for t in fig.data)
    assert "No exam" in fig.layout.annotations[0].text


def test_trend_axes_and_baseline() -> None:
    points = [{"t_days": 0.0, "total": 46.0}, {"t_days": 30.0, "total": 30.0}]
    fig = viz.plot_trend(points, "BFMDRS", baseline_total=46, total_max=120)
    assert len(fig.data) == 1
    assert fig.layout.xaxis.title.text == "Time since the session started (days)"
    assert fig.layout.yaxis.title.text == "BFMDRS total (points)"
    assert tuple(fig.layout.yaxis.range) == (0, 120)
    assert any(s.y0 == 46 for s in fig.layout.shapes), "dashed baseline line"


def test_timeline_one_trace_per_action_kind() -> None:
    rows = [
        {"index": 0, "action": "set", "day": 0, "minute": 0.5, "summary": "left: 1-"},
        {"index": 1, "action": "examine", "day": 0, "minute": 5.5, "summary": "exam"},
        {"index": 2, "action": "visit", "day": 30, "minute": 0.0, "summary": "visit"},
        {"index": 3, "action": "examine", "day": 30, "minute": 5.0, "summary": "exam"},
    ]
    fig = viz.plot_timeline(rows)
    assert sorted(t.name for t in fig.data) == ["examine", "set", "visit"]
    assert fig.layout.xaxis.title.text == "Step (action number)"
    assert len(fig.layout.shapes) == 1, "a dotted line marks the visit"


def test_windows_skip_contacts_where_side_effects_come_first() -> None:
    truth = [
        {"contact": "0", "efficacy": 1.5, "side_effect": 3.1},
        {"contact": "3", "efficacy": 7.1, "side_effect": 6.9},
        {"contact": "2", "efficacy": 3.0, "side_effect": None},
    ]
    mine = [{"contact": "0", "efficacy": 1.6, "side_effect": None}]
    fig = viz.plot_windows(truth, mine, "mA", amplitude_max=10.0)
    assert len(fig.data) == 5
    bar = fig.data[0]
    assert list(bar.y) == ["0", "2"], "no window bar where side effects come first"
    assert list(bar.x) == pytest.approx([1.6, 7.0]), "an open window runs to amplitude_max"
    assert fig.layout.xaxis.title.text == "Amplitude (mA)"
    assert list(fig.data[3].x) == [1.6]


def test_anatomy_3d_traces_and_scene_axes() -> None:
    atlas = load_atlas("gpi")
    verts = np.array([[20.0, 2.0, -5.0], [21.0, 2.0, -5.0], [20.0, 3.0, -5.0], [20.0, 2.0, -4.0]])
    faces = np.array([[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]])
    fig = viz.plot_anatomy_3d(atlas, LEAD, POSE, {"1": "cathode"}, {"trainee": (verts, faces)})
    kinds = [t.type for t in fig.data]
    expected = len(atlas.regions) + 1 + len(LEAD.contacts) + 1
    assert kinds.count("mesh3d") == expected, "regions, shaft, contacts and one VTA"
    assert kinds.count("scatter3d") == len(atlas.tracts)
    scene = fig.layout.scene
    assert scene.xaxis.title.text == "x lateral (mm)"
    assert scene.yaxis.title.text == "y anterior (mm)"
    assert scene.zaxis.title.text == "z superior (mm)"
    assert "VTA: your program" in [t.name for t in fig.data]


def test_anatomy_3d_places_the_lead_at_its_pose() -> None:
    fig = viz.plot_anatomy_3d(load_atlas("gpi"), LEAD, POSE, {})
    shaft = next(t for t in fig.data if t.name == LEAD.name)
    pts = np.column_stack([shaft.x, shaft.y, shaft.z])
    distance = np.linalg.norm(pts - np.asarray(POSE.tip_mm), axis=1).min()
    radius = LEAD.diameter_mm / 2
    assert distance == pytest.approx(radius * 0.97, abs=1e-6), "shaft starts at the true tip"


def test_ellipsoid_mesh_lies_on_the_region_surface() -> None:
    region = load_atlas("gpi").regions[0]
    pts = ellipsoid_mesh(region) - np.asarray(region.centre_mm)
    yaw = np.radians(region.yaw_deg)
    rot = np.array([[np.cos(yaw), -np.sin(yaw), 0], [np.sin(yaw), np.cos(yaw), 0], [0, 0, 1]])
    local = pts @ rot
    level = np.sum((local / np.asarray(region.semi_axes_mm)) ** 2, axis=1)
    assert np.allclose(level, 1.0, atol=1e-9), f"off the surface by up to {abs(level - 1).max()}"


@pytest.mark.parametrize(("span", "wrap"), [(360.0, True), (90.0, False)])
def test_cylinder_mesh_faces_index_its_vertices(span: float, wrap: bool) -> None:
    verts, faces = cylinder_mesh(0.635, 1.5, 3.0, 0.0, span)
    assert faces.min() >= 0 and faces.max() < len(verts)
    assert np.allclose(np.hypot(verts[:, 0], verts[:, 1]), 0.635)
    n_angles = len(verts) // 2
    assert len(faces) == 2 * (n_angles if wrap else n_angles - 1)


def test_effects_map_draws_rater_noise_neutral_and_takes_a_shared_axis():
    """Issue 11 finding 4: a change within rater noise has the colour of no change."""
    from dbssim.viz import plot_effects_map

    obs = [
        {"contacts": "1-", "amplitude": 2.0, "benefit_pct": 30.0, "change_points": -4.0,
         "within_noise": True, "noise_points": 4.2, "signs": [], "when": "day 0"},
        {"contacts": "1-", "amplitude": 3.0, "benefit_pct": 40.0, "change_points": 6.0,
         "within_noise": False, "signs": [], "when": "day 0"},
    ]  # fmt: skip
    for benefit in ("points", "percent"):
        fig = plot_effects_map(obs, [], ["0-", "1-"], benefit=benefit, x_max=6.0)
        colours = list(fig.data[0].marker.color)
        assert colours[0] == 0.0, f"{benefit}: noise must be neutral ({colours})"
        assert colours[1] == (6.0 if benefit == "points" else 40.0)
        assert "rater noise (±4.2 points)" in fig.data[0].text[0]
        assert list(fig.layout.xaxis.range) == [0, 6.0]
