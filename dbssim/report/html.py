"""The debrief of a finished session as one self-contained HTML file (issue 5).

The file needs nothing else to open: styles inline, charts as inline SVG
(:mod:`dbssim.report.svg`), optional figures as embedded PNG (``data:`` URIs). A
Content-Security-Policy forbids every script and outside resource, and every text
that comes from a user or a file (pseudonym, notes, case texts) passes through
:func:`html.escape`, so a hostile name shows as text and never runs.

Figures are passed as PNG bytes (e.g. Plotly figures rendered by kaleido in the UI)
because the engine layer does not import Plotly (STYLE 1).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from dbssim.errors import InputError
from dbssim.physics.program import parse_contacts
from dbssim.report.anatomy_svg import svg_lead_anatomy
from dbssim.report.svg import SCORE_ORDER, svg_current_steps, svg_score_bars
from dbssim.session.engine import Session
from dbssim.session.log import ThresholdEntry, entries_of
from dbssim.session.named_programs import named_program_rows
from dbssim.session.scoring import debrief
from dbssim.session.setting_text import describe_amplitude, describe_setting

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
svg{font-family:system-ui,sans-serif;font-size:13px;max-width:100%}
.note{color:#555;font-size:.9rem}
"""


def _table(header: Sequence[str] | None, rows: Sequence[Sequence[Any]]) -> str:
    """An HTML table; every cell is escaped text. ``header=None``: rows only."""
    head = (
        "<thead><tr>" + "".join(f"<th>{escape(str(h))}</th>" for h in header) + "</tr></thead>"
        if header is not None
        else ""
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_text(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table>{head}<tbody>{body}</tbody></table>"


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def readable(text: str, names: Mapping[str, str]) -> str:
    """A text with every side-effect id in it replaced by its words (longest ids first).

    Scores written since the scorer names side effects in words need nothing; scores stored
    by older versions still carry ids.
    """
    for effect_id in sorted(names, key=len, reverse=True):
        text = text.replace(effect_id, names[effect_id])
    return text


def report_reference(session_id: str) -> str:
    """A short reference to a session that opens nothing (not its id, not its code)."""
    return "R-" + hashlib.sha256(f"dbssim-report:{session_id}".encode()).hexdigest()[:10].upper()


def _side_effects(outcome: Mapping[str, Any], names: Mapping[str, str]) -> str:
    effects = outcome["side_effects"]
    if not effects:
        return "none"
    return "; ".join(
        f"{names.get(s['name'], s['name'])} ({s['body_side']}, severity {s['severity']:g})"
        for s in effects
    )


def _summary(session: Session, meta: Mapping[str, Any]) -> str:
    session_id = meta.get("session_id")
    rows = [
        ("Trainee (pseudonym)", meta["trainee"]),
        ("Case", f"{session.scenario.title} ({session.scenario.id})"),
        ("Random patient like this case", "yes" if session.random_patient else "no"),
        ("Seed", session.seed),
        ("Reference", report_reference(session_id) if session_id else None),
        ("Started", _time(meta.get("started_at"))),
        ("Finished", _time(meta.get("finished_at"))),
        ("Actions", len(session.entries)),
        (
            "Simulated clinic time",
            f"{session.clinic_minutes:.0f} min, last visit on day {session.day}",
        ),
    ]
    return _table(None, rows)


def _time(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else None


_ESCAPED_BOLD = re.compile(r"\*\*([^\n]+?)\*\*")


def authored_html(text: str) -> str:
    """An author's case text as HTML: everything escaped, then ``**…**`` on one line bold.

    The same documented subset the app shows (docs/authoring.md: paragraphs and bold).
    """
    return _ESCAPED_BOLD.sub(r"<strong>\1</strong>", escape(text))


def _vignette(session: Session) -> str:
    scenario = session.scenario
    facts = (
        f"{scenario.age_years}-year-old {scenario.sex}, {scenario.weeks_since_surgery:g} weeks "
        "after surgery"
    )
    parts = [f"<p><strong>{escape(facts)}</strong></p>"]
    for heading, text in (
        ("History", scenario.case.history),
        ("Examination", scenario.case.examination),
        ("Hardware", scenario.case.hardware),
        ("Task", scenario.case.question),
    ):
        paragraphs = "".join(
            f"<p>{authored_html(p.strip())}</p>" for p in str(text).split("\n\n") if p.strip()
        )
        parts.append(f"<h3>{heading}</h3>{paragraphs or '<p>—</p>'}")
    return "".join(parts)


def _anatomy(session: Session, info: Mapping[str, Any]) -> str:
    parts = []
    for side, model in session.patient.sides.items():
        setting = (info.get("trainee_program") or {}).get(side) or {}
        polarity: dict[str, str] = {}
        try:
            for term in parse_contacts(str(setting.get("contacts") or ""), model.lead):
                label = model.lead.contacts[term.index].label
                polarity[label] = "cathode" if term.polarity < 0 else "anode"
        except InputError:
            polarity = {}  # no program on this side: every contact off
        parts.append(f"<figure>{svg_lead_anatomy(session.patient, side, polarity)}</figure>")
    return (
        "".join(parts) + '<p class="note">Where the lead really sits, with your final program: '
        "cathodes red, anodes blue, tracts dashed.</p>"
    )


def _comment(comment: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in comment.splitlines() if line.strip())


def _scores(scores: Mapping[str, Mapping[str, Any]], names: Mapping[str, str]) -> str:
    rows = [
        (n, scores[n]["score"], readable(str(scores[n]["explanation"]), names))
        for n in SCORE_ORDER
        if n in scores
    ]
    deductions = scores.get("safety", {}).get("deductions", [])
    listed = (
        "<h3>Safety deductions, step by step</h3>"
        + _table(
            ("step", "day", "minute", "points", "what changed", "why"),
            [
                (
                    d["step"],
                    d["day"],
                    d["minute"],
                    f"−{d['points']:g}",
                    readable(str(d["what"]), names),
                    d["why"],
                )
                for d in deductions
            ],
        )
        if deductions
        else ""
    )
    return svg_score_bars(scores) + _table(("score", "0–100", "why"), rows) + listed


def _programs(info: Mapping[str, Any], session: Session) -> str:
    mine, expert = info["trainee_program"], info["expert_program"]
    sides = list(session.patient.sides)
    rows = [(s, describe_setting(mine.get(s)), describe_setting(expert.get(s))) for s in sides]
    table = _table(("side", "your final program", "expert program"), rows)
    return table + _named_programs(session)


def _named_programs(session: Session) -> str:
    rows = named_program_rows(session.entries, session.programs)
    if not rows:
        return "<p>You kept no named program (A, B).</p>"
    cells = [(r["side"], r["name"], r["program"], "yes" if r["active"] else "") for r in rows]
    return "<h3>Your named programs</h3>" + _table(
        ("side", "name", "program", "applied at the end"), cells
    )


def _outcomes(info: Mapping[str, Any], names: Mapping[str, str]) -> str:
    mine, expert = info["trainee_outcome"], info["expert_outcome"]
    rows = [
        ("improvement at six months (%)", mine["improvement_pct"], expert["improvement_pct"]),
        (
            f"{mine['scale']} total (baseline {mine['baseline_total']:g})",
            mine["total"],
            expert["total"],
        ),
        ("side effects", _side_effects(mine, names), _side_effects(expert, names)),
        (
            "charge density (µC/cm² per phase)",
            mine["charge_density_uc_cm2"],
            expert["charge_density_uc_cm2"],
        ),
        ("total electrical energy delivered (µW)", mine["teed_uw"], expert["teed_uw"]),
        ("estimated battery life (months)", mine["battery_months"], expert["battery_months"]),
    ]
    if mine.get("recharge_interval_days") is not None:
        rows.append(
            (
                "recharge interval (days)",
                mine["recharge_interval_days"],
                expert["recharge_interval_days"],
            )
        )
    return _table(("noise-free, six months", "yours", "expert"), rows)


def _review(review: Mapping[str, Sequence[Mapping[str, Any]]], names: Mapping[str, str]) -> str:
    parts = []
    for side, rows in review.items():
        parts.append(f"<h3>{escape(side)} lead</h3>")
        parts.append(
            _table(
                (
                    "contact",
                    "efficacy threshold (mA)",
                    "efficacy seen within minutes (mA)",
                    "side-effect threshold (mA)",
                    "first side effect",
                    "window (mA)",
                ),
                [
                    (
                        f"{r['contact']} (ring)" if r.get("mode") == "ring" else r["contact"],
                        r["efficacy_threshold_ma"],
                        r.get("acute_efficacy_threshold_ma"),
                        r["side_effect_threshold_ma"],
                        names.get(r["side_effect"], r["side_effect"]),
                        r["window_ma"],
                    )
                    for r in rows
                ],
            )
        )
    return "".join(parts)


def _thresholds(session: Session) -> str:
    recorded = entries_of(session.entries, ThresholdEntry)
    if not recorded:
        return "<p>No threshold was recorded.</p>"
    rows = [
        (
            t.side,
            t.contact,
            t.kind,
            describe_amplitude(t.amplitude_ma, t.amplitude_v),
            t.day,
            t.note,
        )
        for t in recorded
    ]
    return _table(("side", "contact", "kind", "amplitude", "day", "your note"), rows)


def _timeline(session: Session) -> str:
    rows = [
        (r["index"], r["day"], f"{r['minute']:.1f}", r["action"], r["summary"])
        for r in session.to_records()
    ]
    return svg_current_steps(session.entries) + _table(
        ("#", "day", "minute", "action", "what happened"), rows
    )


def _figures(figures: Sequence[tuple[str, bytes]]) -> str:
    parts = []
    for caption, png in figures:
        if not isinstance(png, bytes) or not png.startswith(PNG_MAGIC):
            raise InputError("figures", f"'{caption}' is not PNG data")
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(caption)}" '
            f'style="max-width:100%"><figcaption>{escape(caption)}</figcaption></figure>'
        )
    return "".join(parts)


def render_report(
    session: Session,
    *,
    trainee: str,
    session_id: str | None = None,
    started_at: datetime | None = None,
    finished_at: datetime | None = None,
    figures: Sequence[tuple[str, bytes]] = (),
    debrief_data: Mapping[str, Any] | None = None,
    comment: str | None = None,
) -> str:
    """The debrief report of a finished session, as one HTML document.

    Parameters
    ----------
    session : Session
        A finished session (the debrief refuses an unfinished one).
    trainee : str
        The pseudonym, shown escaped.
    session_id, started_at, finished_at : optional
        From the store's record. The id is never printed (it would open the session):
        the summary shows a short reference derived from it instead.
    figures : sequence of (caption, PNG bytes)
        Extra figures, embedded as images.
    debrief_data : mapping, optional
        :func:`dbssim.session.scoring.debrief`'s answer when the caller has it already.
    comment : str, optional
        The educator's comment on the session, shown as plain text.

    Raises
    ------
    SessionError
        With ``field="finish"`` when the session is not finished.
    """
    info = debrief_data if debrief_data is not None else debrief(session)
    meta = {
        "trainee": trainee,
        "session_id": session_id,
        "started_at": started_at,
        "finished_at": finished_at,
    }
    title = f"Debrief — {session.scenario.title}"
    names = session.patient.atlas.effect_names()
    sections = [("Session", _summary(session, meta))]
    if comment and comment.strip():
        sections.append(("Your educator's comment", _comment(comment)))
    sections += [
        ("The case", _vignette(session)),
        ("Scores", _scores(info["scores"], names)),
        ("Your program and the expert's", _programs(info, session)),
        ("Where the lead sits", _anatomy(session, info)),
        ("Outcome", _outcomes(info, names)),
        ("The true monopolar review", _review(info["review"], names)),
        ("Thresholds you recorded", _thresholds(session)),
        ("Timeline", _timeline(session)),
    ]
    if figures:
        sections.append(("Figures", _figures(figures)))
    body = "".join(f"<section><h2>{escape(h)}</h2>{html}</section>" for h, html in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        '<p class="note">dbssim is a teaching simulator: a virtual patient, not medical advice. '
        "The review table and the expert program are the hidden truth of this case.</p>"
        f"{body}</body></html>\n"
    )
