"""Language: the page's translator (one lookup for every text table, ``explorer.texts.lookup``),
labels of registry entries and lists in the current language, and user text made safe to echo.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st

from ..activations import ACTIVATIONS
from ..config import FIELDS
from ..safetext import escape_md, shorten
from ..safetext import user_text as safe_user_text
from ..texts import LANGS, has, lookup
from ..texts.common import FIELD_HELP, NOTICE_SAFE, NOTICES, OPTION
from ..texts.common import TEXT as COMMON

__all__ = ["COMMON", "LANGS", "Tr", "activation_labels", "current_lang", "joined", "labels",
           "list_sep", "notice_line", "option_label", "url_value", "user_text"]


class Tr:
    """Translator for one page: ``tr(key, **fmt)`` looks in the page's text, then the
    shared text, in the current language, then in English; unknown keys show as the key."""

    def __init__(self, text: Mapping[str, Mapping[str, str]], lang: str) -> None:
        self.text, self.lang = text, lang

    def __call__(self, key: str, **fmt: Any) -> str:
        return lookup((self.text, COMMON), key, self.lang, **fmt)

    def has(self, key: str) -> bool:
        return has(self.text, key, self.lang)

    def field_label(self, name: str) -> str:
        return self(f"field.{name}")

    def field_help(self, name: str) -> str:
        return FIELD_HELP.get(self.lang, {}).get(name, FIELDS[name].help)


def current_lang() -> str:
    lang = st.session_state.get("_lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def list_sep(lang: str | None = None) -> str:
    """The separator of a list of names in ``lang`` (default: the current language)."""
    return lookup(COMMON, "list_sep", lang or current_lang())


def joined(items: Iterable[str], lang: str | None = None) -> str:
    """Names as one list in ``lang`` (its ``list_sep``: the ideographic comma in Chinese)."""
    return list_sep(lang).join(items)


def notice_line(tr: Tr, text: str) -> str:
    """One line of a settings notice in the page language (the engine reports in English)."""
    patterns = NOTICES.get(tr.lang)
    if not patterns:
        return text
    for pattern, template in patterns:
        m = re.match(pattern, text)
        if m:
            parts = {k: v or "" for k, v in m.groupdict().items()}
            if "safe" in parts:
                parts["safe"] = NOTICE_SAFE.get(tr.lang, "") if parts["safe"] else ""
            return template.format(**parts)
    m = re.match(r"^(\w+): (.*?) is not allowed", text)  # unknown wording: name and value
    return f"{m.group(1)}: {m.group(2)}" if m else text


def user_text(text: object, limit: int | None = 60) -> str:
    """A user's text (URL value, CSV cell, column name) ready to be echoed in a message:
    on one line, at most ``limit`` characters then "…", Markdown/HTML escaped."""
    return safe_user_text(text, limit)


def url_value(raw: object, limit: int = 40) -> str:
    """A URL value quoted in a notice: ``'...'``, shortened and escaped."""
    return escape_md(repr(shorten(raw, limit)))


def option_label(kind: str, name: str, label: str, lang: str | None = None) -> str:
    """A registry entry's label in ``lang`` (default: the current language): ``OPTION`` holds
    the translations; English (and names without a translation) use the registry's label."""
    return OPTION.get(lang or current_lang(), {}).get(f"{kind}.{name}", label)


def labels(mapping: Mapping[Any, str]) -> Callable[[Any], str]:
    """A widget's ``format_func`` showing ``mapping[value]`` (else the value as text).

    Pages pass this (or another function of this package) to a widget, never a function
    defined in the page script: Streamlit keeps a widget's ``format_func`` and callbacks in the
    session after the run, and a function of the page script keeps the page's whole namespace
    alive with it (its records, charts and player payload, several MB) for as long as the
    session is kept, a disconnected one too (``server.disconnectedSessionTTL``)."""
    return functools.partial(label_of, dict(mapping))


def label_of(mapping: Mapping[Any, str], value: Any) -> str:
    """``mapping[value]``, else the value as text (the function behind :func:`labels`)."""
    return mapping.get(value, str(value))


def activation_labels(names: Iterable[str], lang: str) -> Callable[[Any], str]:
    """``labels`` of these activations in ``lang``."""
    return labels({n: ACTIVATIONS[n].label_for(lang) for n in names})
