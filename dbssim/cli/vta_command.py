"""``dbssim vta``: the E-field VTA of one contact setting."""

from __future__ import annotations

import argparse
from typing import Any

from dbssim.errors import InputError

# The physics is imported when the command runs (issue 13: parse first, then import).


class _LazyHelp(argparse.HelpFormatter):
    """Fills in the lead ids and the default conductivity only when help is printed."""

    def _expand_help(self, action: argparse.Action) -> str:
        text = super()._expand_help(action)
        if "{leads}" in text:
            from dbssim.physics.leads import lead_registry

            text = text.replace("{leads}", ", ".join(lead_registry()))
        if "{sigma}" in text:
            from dbssim.physics.field import DEFAULT_CONDUCTIVITY_S_M

            text = text.replace("{sigma}", f"{DEFAULT_CONDUCTIVITY_S_M:g}")
        return text


def add_vta_parser(sub: Any) -> None:
    p = sub.add_parser(
        "vta",
        formatter_class=_LazyHelp,
        help="volume of tissue activated for one contact setting",
        description=(
            "E-field VTA (|E| above 0.2 V/mm at 60 µs, scaled by pulse width) in a "
            "homogeneous medium; prints volume and equivalent-sphere radius."
        ),
    )
    p.add_argument("--lead", required=True, help="lead id: {leads}")
    p.add_argument(
        "--contact",
        required=True,
        help="contact spec: a label with optional polarity, e.g. 1, 1-, 2a-, '1-,2+'",
    )
    amp = p.add_mutually_exclusive_group(required=True)
    amp.add_argument("--amplitude-ma", type=float, metavar="MA", help="current, mA")
    amp.add_argument("--amplitude-v", type=float, metavar="V", help="voltage, V")
    p.add_argument(
        "--impedance-ohm",
        type=float,
        metavar="OHM",
        help="contact impedance for --amplitude-v (default: computed from the geometry)",
    )
    p.add_argument("--pulse-width-us", type=float, default=60.0, metavar="US")
    p.add_argument(
        "--conductivity-s-m",
        type=float,
        default=None,
        metavar="S",
        help="tissue conductivity, S/m (default {sigma})",
    )
    p.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    p.set_defaults(handler=run_vta)


def run_vta(args: argparse.Namespace) -> dict[str, float]:
    from dbssim.physics.activation import DEFAULT_EFIELD_THRESHOLD_V_PER_MM
    from dbssim.physics.devices import get_device
    from dbssim.physics.field import DEFAULT_CONDUCTIVITY_S_M, compute_lead_impedances_ohm
    from dbssim.physics.leads import get_lead
    from dbssim.physics.program import compute_currents_ma, parse_contacts
    from dbssim.physics.vta import compute_vta

    if args.conductivity_s_m is None:
        args.conductivity_s_m = DEFAULT_CONDUCTIVITY_S_M
    lead = get_lead(args.lead)
    device = get_device(lead.default_device)
    if not 0 < args.conductivity_s_m <= 10:
        raise InputError(
            "--conductivity-s-m", f"{args.conductivity_s_m:g} S/m is outside 0 to 10 S/m"
        )
    device.check_pulse_width_us(args.pulse_width_us, "--pulse-width-us")
    spec = args.contact if args.contact.rstrip()[-1:] in "+-" else f"{args.contact}-"
    terms = parse_contacts(spec, lead)
    impedances = compute_lead_impedances_ohm(lead, args.conductivity_s_m)
    if args.impedance_ohm is not None:
        if args.amplitude_v is None:
            raise InputError("--impedance-ohm", "only meaningful with --amplitude-v")
        if not 100 <= args.impedance_ohm <= 10_000:
            raise InputError(
                "--impedance-ohm", f"{args.impedance_ohm:g} ohm is outside 100 to 10000"
            )
        impedances[:] = args.impedance_ohm
    if args.amplitude_ma is not None:
        device.check_amplitude_ma(args.amplitude_ma, "--amplitude-ma")
        currents = compute_currents_ma(terms, len(lead.contacts), amplitude_ma=args.amplitude_ma)
    else:
        v_max = device.amplitude_max_v or 10.5
        if not 0 <= args.amplitude_v <= v_max:
            raise InputError("--amplitude-v", f"{args.amplitude_v:g} V is outside 0 to {v_max:g} V")
        currents = compute_currents_ma(
            terms, len(lead.contacts), amplitude_v=args.amplitude_v, impedances_ohm=impedances
        )
        total = float(abs(currents[currents < 0]).sum())
        device.check_amplitude_ma(round(total, 6), "--amplitude-v (as current)")
    vta = compute_vta(
        lead,
        currents,
        args.pulse_width_us,
        conductivity_s_m=args.conductivity_s_m,
        threshold_v_per_mm=DEFAULT_EFIELD_THRESHOLD_V_PER_MM,
        with_mesh=False,
    )
    return {"volume_mm3": round(vta.volume_mm3, 3), "radius_mm": round(vta.radius_mm, 4)}
