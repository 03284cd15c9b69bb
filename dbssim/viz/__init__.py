"""Plotly figure builders: engine output in, ``go.Figure`` out.

Pure functions: no Streamlit, no session state, no physics. One module per figure family;
every axis title carries its unit. The figure builders are re-exported here, so
``from dbssim import viz; viz.plot_lead(...)`` keeps working.
"""

from dbssim.viz.anatomy_3d import plot_anatomy_3d
from dbssim.viz.effects_map import plot_effects_map
from dbssim.viz.lead_drawing import plot_lead
from dbssim.viz.therapeutic_windows import plot_windows
from dbssim.viz.trend_timeline import plot_timeline, plot_trend

__all__ = [
    "plot_anatomy_3d",
    "plot_effects_map",
    "plot_lead",
    "plot_timeline",
    "plot_trend",
    "plot_windows",
]
