"""Text alternatives of the charts (WCAG 2.1 AA, issue 29): a chart's accessible name.

Vega-Lite's top-level ``description`` becomes the ``aria-label`` of the chart's element in the
page (Streamlit 1.67 passes it through), so a screen reader announces it instead of "Vega
visualization". A chart built without one is described by its titles (already in the page
language, the epoch included where the chart shows one) and the page's pointer to its data.
"""

from __future__ import annotations

from typing import Any

import altair as alt

__all__ = ["describe", "titles"]

_PARTS = ("layer", "hconcat", "vconcat", "concat")


def _title_text(title: Any) -> str:
    if isinstance(title, alt.TitleParams):
        title = title.text
    if isinstance(title, str):
        return title.strip()
    if isinstance(title, (list, tuple)):
        return " ".join(str(t).strip() for t in title)
    return ""


def titles(chart: Any) -> list[str]:
    """The chart's titles, its own first, then its parts' (layers, concatenated charts), each
    once, in order."""
    out: list[str] = []
    text = _title_text(getattr(chart, "title", alt.Undefined))
    if text:
        out.append(text)
    for part in _PARTS:
        children = getattr(chart, part, alt.Undefined)
        for child in children if isinstance(children, (list, tuple)) else ():
            out += [t for t in titles(child) if t not in out]
    return out


def describe(chart: Any, data_note: str, fallback: str) -> Any:
    """``chart`` with a ``description``: its titles joined with "; " (``fallback`` without a
    title), then ``data_note`` (where its numbers are as text). One it has is kept. Charts
    that are not Altair objects are returned unchanged."""
    if not isinstance(chart, alt.TopLevelMixin):
        return chart
    if isinstance(getattr(chart, "description", None), str):
        return chart
    name = "; ".join(titles(chart)) or fallback
    return chart.properties(description=f"{name}. {data_note}" if data_note else name)
