"""AppTest helpers shared by the page tests (one place for running a page with a query)."""

from __future__ import annotations

import string
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")


def page_file(name: str) -> str:
    return str(ROOT / "pages" / f"{name}.py")


def run(path: str, query: dict[str, str] | None = None, timeout: float = 120,
        via_app: bool = False) -> AppTest:
    """Run one page with a query string (through the app shell with ``via_app``)."""
    at = AppTest.from_file(APP if via_app else path, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if via_app:
        at.switch_page(str(Path(path).relative_to(ROOT)))
    at.run()
    return at


def query_params(at: AppTest) -> dict[str, str]:
    """The page's query string as a flat dict (last value of a repeated key)."""
    out = {}
    for k in at.query_params:
        v = at.query_params[k]
        out[k] = v[-1] if isinstance(v, list) else v
    return out


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def placeholders(template: str) -> set[str]:
    """The ``{name}`` fields of a text template (must match between languages)."""
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def page_dataframes(at: AppTest) -> list:
    """The page's own tables (``st.dataframe``, in page order), without the charts' and the
    player's data tables folded under them (``display.data_tables``, issue 29)."""
    from explorer.texts.common import TEXT

    heads = tuple(t["chart.table"].split("{")[0] for t in TEXT.values()) + \
        tuple(t["chart.table_player"] for t in TEXT.values())
    out = []

    def walk(node) -> None:
        kids = getattr(node, "children", None) or {}
        for k in sorted(kids):
            kid = kids[k]
            kind = getattr(kid, "type", None)
            if kind == "expander" and kid.label.startswith(heads):
                continue
            if kind == "dataframe":
                out.append(kid)
            walk(kid)

    walk(at.main)
    walk(at.sidebar)
    return out
