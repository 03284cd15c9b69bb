"""The shared layout gives the figure plotly's own validated template assignment gives."""

import plotly.graph_objects as go

from dbssim import viz
from dbssim.physics.leads import get_lead
from dbssim.viz.style import FONT, apply_layout


def _validated(fig: go.Figure, **kwargs) -> go.Figure:
    settings = {
        "template": "plotly_white",
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
    }
    fig.update_layout(**(settings | kwargs))
    return fig


def _figure() -> go.Figure:
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="a"))
    fig.add_shape(type="rect", x0=0, x1=1, y0=0, y1=1)
    return fig


def test_template_without_validation_is_the_validated_one():
    fast = apply_layout(_figure(), title="t", height=300)
    slow = _validated(_figure(), title="t", height=300)
    assert fast.to_dict() == slow.to_dict()
    assert fast.layout.template.layout.plot_bgcolor == "white"


def test_other_templates_and_overrides_still_apply():
    for template in ("plotly_dark", "simple_white"):
        fast = apply_layout(_figure(), template=template)
        assert fast.to_dict() == _validated(_figure(), template=template).to_dict()
    custom = go.layout.Template(layout={"paper_bgcolor": "#123456"})
    fig = apply_layout(_figure(), template=custom)
    assert fig.layout.template.layout.paper_bgcolor == "#123456"


def test_the_figure_stays_validated_after_the_template():
    fig = apply_layout(_figure())
    try:
        fig.update_layout(not_a_property=1)
    except ValueError:
        return
    raise AssertionError("layout validation was left off")


def test_lead_drawing_unchanged_by_the_fast_template():
    lead = get_lead("medtronic-b33005")
    fig = viz.plot_lead(lead, {"1a": "cathode", "3": "anode"}, title="L")
    assert fig.layout.template.layout.plot_bgcolor == "white"
    assert len(fig.layout.shapes) == 1 + len(lead.contacts)
