"""The live player's browser code: ``player_js()`` and ``player_css()`` as the component needs
them (one ES module of source text, one style sheet)."""

from __future__ import annotations

from pathlib import Path

_DIR = Path(__file__).parent


def player_js() -> str:
    """The player's JavaScript, one ES module (``export default function (component)``)."""
    return (_DIR / "player.js").read_text(encoding="utf-8")


def player_css() -> str:
    return (_DIR / "player.css").read_text(encoding="utf-8")
