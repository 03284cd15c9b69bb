"""Safety and energy of the programs on: charge density per side, battery for both leads."""

from __future__ import annotations

import streamlit as st

from dbssim.session.engine import Session


def safety_panel(current: Session, side: str) -> None:
    """Charge density of one side's program against the limit."""
    status = current.safety_status().get(side)
    if not status:
        return
    density = float(status.get("charge_density_uc_cm2", 0.0))
    limit = float(status.get("limit", 30.0))
    share = density / limit if limit > 0 else 0.0
    st.progress(
        min(1.0, share),
        text=f"Charge density {density:.1f} of {limit:g} µC/cm² per phase "
        f"({share:.0%} of the limit)",
    )
    if status.get("over_limit"):
        st.error(
            f"{side}: charge density {density:.1f} µC/cm² is above the {limit:g} µC/cm² limit",
            icon=":material/block:",
        )


def energy_panel(current: Session) -> None:
    """Battery estimate for both leads together and the energy delivered."""
    status = current.safety_status()
    if not status:
        return
    first = next(iter(status.values()))
    months, interval = first.get("battery_months"), first.get("recharge_interval_days")
    teed = sum(float(v.get("teed_uw", 0.0)) for v in status.values())
    outlook = (
        f"recharge every **{interval:.0f} days** (rechargeable, service life {months:.0f} months)"
        if interval is not None
        else f"**{months:.0f} months**"
    )
    st.caption(
        f":material/battery_full: Battery estimate with these programs: {outlook} "
        f"(energy delivered {teed:.0f} µW)"
    )
