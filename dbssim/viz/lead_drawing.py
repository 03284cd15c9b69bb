"""The lead unrolled flat, its contacts coloured by polarity (the program editor's picture)."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from dbssim.physics.leads import Contact, Lead
from dbssim.viz.style import POLARITY_COLOURS, POLARITY_SIGNS, apply_layout


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
    top = max(c.z_max_mm for c in lead.contacts) + 2.0
    # The figure is described whole and built once: each add_shape or update_* call is a
    # separate validated update (~3-10 ms each), and this drawing is redrawn on every rerun
    # of the Programming page.
    shapes: list[dict[str, object]] = [
        {
            "type": "rect",
            "x0": -1.15,
            "x1": 1.15,
            "y0": 0.0,
            "y1": top,
            "line": {"color": "#8d99ae", "width": 1},
            "fillcolor": "#f1f3f5",
            "layer": "below",
        }
    ]
    xs, ys, texts, hovers = [], [], [], []
    for contact in lead.contacts:
        state = polarity.get(contact.label, "off")
        x0, x1 = _contact_x_span(contact, lead)
        shapes.append(
            {
                "type": "rect",
                "x0": x0,
                "x1": x1,
                "y0": contact.z_min_mm,
                "y1": contact.z_max_mm,
                "line": {"color": "#495057", "width": 1},
                "fillcolor": POLARITY_COLOURS.get(state, POLARITY_COLOURS["off"]),
            }
        )
        xs.append(0.5 * (x0 + x1))
        ys.append(contact.z_centre_mm)
        texts.append(f"<b>{contact.label}{POLARITY_SIGNS.get(state, '')}</b>")
        hovers.append(
            f"contact {contact.label}: {state}<br>"
            f"{contact.z_min_mm:.1f}–{contact.z_max_mm:.1f} mm above the tip<br>"
            f"area {contact.area_mm2:.1f} mm²"
        )
    contacts_text = go.Scatter(
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
    layout: dict[str, object] = {
        "shapes": shapes,
        "xaxis": {
            "range": [-1.6, 1.6],
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        "yaxis": {
            "title": {"text": "Height above lead tip (mm)"},
            "range": [-0.5, top + 1.6],
            "zeroline": False,
            "fixedrange": True,
        },
    }
    active = [s for s in polarity.values() if s != "off"]
    if case_anode and active and "anode" not in active:
        layout["annotations"] = [
            {
                "x": 0,
                "y": top + 0.9,
                "text": "case +",
                "showarrow": False,
                "font": {"color": POLARITY_COLOURS["anode"]},
            }
        ]
    fig = go.Figure(data=[contacts_text], layout=layout)
    return apply_layout(
        fig,
        title={"text": title or lead.name, "font": {"size": 14}},
        height=340,
        margin={"l": 55, "r": 10, "t": 40, "b": 30},
    )
