"""Helpers shared by the AppTest modules: drive the app by widget keys, read what it shows."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

SCENARIO = "dystonia-generalized-gpi"


def go(at: AppTest, page: str) -> AppTest:
    at.sidebar.radio(key="nav").set_value(page).run()
    assert not at.exception, f"page {page!r} raised: {at.exception}"
    return at


def start(at: AppTest, scenario_id: str = SCENARIO) -> AppTest:
    at.selectbox(key="case_scenario").set_value(scenario_id).run()
    at.button(key="start").click().run()
    assert not at.exception, f"starting {scenario_id} raised: {at.exception}"
    assert at.session_state["page"] == "Programming", "Start should open the Programming page"
    return at


def live(at: AppTest) -> Any:
    """The running session (the engine's Session inside the stored session)."""
    return at.session_state["stored"].session


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, f"clicking {key!r} raised: {at.exception}"
    return at


def text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    return "\n".join(parts)


def figures(at: AppTest) -> dict[str, dict[str, Any]]:
    """Plotly figures on the page by widget key (the key ends the element id)."""
    out = {}
    for chart in at.get("plotly_chart"):
        key = chart.proto.id.rsplit("-", 1)[-1]
        out[key] = json.loads(chart.proto.spec)
    return out


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def program_left(at: AppTest, amplitude: float = 2.0) -> AppTest:
    click(at, "contact_left_1")
    at.number_input(key="amp_left").set_value(amplitude).run()
    click(at, "apply_left")
    return at


def markdown_and_errors(at: AppTest) -> str:
    """Every text element's raw value, main area and sidebar (what the browser is sent)."""
    parts = [text(at)] + [e.value for e in at.error] + [e.value for e in at.sidebar.error]
    parts += [e.value for e in at.success] + [e.value for e in at.info]
    parts += [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def table(at: AppTest, key: str) -> Any:
    """The dataframe inside the container with this key, as a pandas DataFrame."""
    return at.get_by_key(key).dataframe[0].value


def _flat(node: Any) -> Any:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _flat(child)


def next_element(at: AppTest, key: str) -> Any:
    """The element drawn right after the widget with this key (what sits beside it)."""
    nodes = list(_flat(at._tree))
    index = next(i for i, n in enumerate(nodes) if getattr(n, "key", None) == key)
    following = [n for n in nodes[index + 1 :] if not getattr(n, "children", None)]
    return following[0] if following else None
