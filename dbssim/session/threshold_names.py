"""The name a recorded threshold is kept under: a contact, a whole level or a steered split."""

from __future__ import annotations

from dbssim.physics.leads import Lead
from dbssim.physics.program import parse_contacts
from dbssim.session.actions import SessionError


def threshold_contact(lead: Lead, given: str) -> str:
    """Name a threshold: a contact's label, a whole level's label or a steered split.

    A whole level is ring mode (e.g. ``2``); cathodes with their shares are a steered
    setting (``2a-:70,2b-:30``), written in lead order as the program editor writes them;
    cathodes sharing evenly that are not a whole level are named without shares (``1-,2-``,
    double monopolar).

    Raises
    ------
    SessionError
        If ``given`` is none of these, or names an anode.
    """
    try:
        return lead.contacts[lead.contact_index(given)].label
    except KeyError:
        pass
    levels = {label.lower(): label for label in lead.level_labels}
    if given.strip().lower() in levels:
        return levels[given.strip().lower()]
    allowed = (
        f"a contact ({', '.join(lead.labels)}), a whole level "
        f"({', '.join(lead.level_labels) or 'none on this lead'}) or cathodes with "
        "percentages (e.g. 2a-:70,2b-:30)"
    )
    try:
        terms = parse_contacts(given, lead)
    except ValueError:
        raise SessionError("contact", f"'{given}' is not {allowed}") from None
    if any(t.polarity > 0 for t in terms):
        raise SessionError(
            "contact", f"'{given}': a threshold is for cathodes only; give {allowed}"
        )
    if len(terms) == 1:
        return lead.contacts[terms[0].index].label
    indices = {t.index for t in terms}
    even = max(t.share for t in terms) - min(t.share for t in terms) < 0.006
    for level, level_label in enumerate(lead.level_labels):
        if even and indices == set(lead.level_contacts(level)):
            return level_label  # every segment of a level, evenly: ring mode
    ordered = sorted(terms, key=lambda t: t.index)  # lead order, as the program editor writes
    if even:  # double (or triple) monopolar: named as the program shows it, not as steering
        return ",".join(f"{lead.contacts[t.index].label}-" for t in ordered)
    return ",".join(f"{lead.contacts[t.index].label}-:{t.share * 100:.0f}" for t in ordered)
