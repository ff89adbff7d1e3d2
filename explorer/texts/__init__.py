"""Every translated string of the app, as data: one module per page or chart family, each a
``TEXT = {lang: {key: str}}`` table.

A new language is one key in each table plus one entry in :data:`LANGS`; a missing key falls
back to English, an unknown key shows as itself (so a gap is visible, never an error).
:func:`lookup` is the one text lookup every table goes through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: the languages the app offers: code -> its own name (the language picker's labels)
LANGS: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANG = "en"
#: wide (CJK) punctuation a line never starts with (chart titles wrap before the character
#: in front of it instead)
NO_BREAK_BEFORE = "，。；：、）」』》！？"

Table = Mapping[str, Mapping[str, str]]


def lookup(tables: Table | tuple[Table, ...], key: str, lang: str = DEFAULT_LANG,
           **fmt: Any) -> str:
    """``key`` from the first of ``tables`` that has it in ``lang``, else from the first that
    has it in English, else ``key`` itself; formatted with ``fmt`` when given."""
    if isinstance(tables, Mapping):
        tables = (tables,)
    for code in (lang, DEFAULT_LANG):
        for table in tables:
            row = table.get(code, {})
            if key in row:
                s = row[key]
                return s.format(**fmt) if fmt else s
    return key


def has(tables: Table | tuple[Table, ...], key: str, lang: str = DEFAULT_LANG) -> bool:
    """Whether ``key`` exists in ``lang`` or English in any of ``tables``."""
    if isinstance(tables, Mapping):
        tables = (tables,)
    return any(key in t.get(code, {}) for t in tables for code in (lang, DEFAULT_LANG))
