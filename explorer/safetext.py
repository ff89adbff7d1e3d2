"""User text shown back to the user: shortened, and escaped so Markdown renders it literally.

Streamlit renders every ``st.warning`` / ``st.error`` / ``st.markdown`` body as Markdown (with
GitHub extensions, LaTeX between ``$``, ``:color[...]`` directives). A URL value or a CSV cell
echoed in a message must therefore not become a link, an image the browser fetches, bold text,
a formula or a new line of the message. Plain-Python (no Streamlit): ``config.py`` and
``upload.py`` shorten the values they quote with :func:`shorten`; ``explorer.app.lang`` escapes the finished
message lines with :func:`escape_md` (``lang.user_text`` does both).
"""

from __future__ import annotations

import re

#: how many characters of a user's value a message quotes before "…"
LIMIT = 60
ELLIPSIS = "…"

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
#: characters that start Markdown/GFM/Streamlit markup anywhere in a line
_ALWAYS = re.compile(r"([\\`*\[\]<>!$~|{}@])")
#: "_" opens emphasis only at a word boundary ("n_samples" stays as it is)
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
#: bare links that GFM turns into anchors ("http://", "https://", "www.", "a@b.c"): found in
#: the text *after* Markdown escapes are resolved, so a backslash does not stop them; an
#: invisible WORD JOINER (U+2060) inside the pattern does
_AUTOLINK = re.compile(r"(?i)(?<=\w:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)(?=\w)")
JOINER = "\u2060"
#: HTML entities decode to characters ("&#91;" is "["): keep the "&" literal
_ENTITY = re.compile(r"&(?=#?\w+;)")


def shorten(text: object, limit: int | None = LIMIT) -> str:
    """``str(text)`` on one line (control characters and line breaks become a space), cut to
    ``limit`` characters followed by "…" when longer (``None``: no limit)."""
    s = text if isinstance(text, str) else str(text)
    if limit is not None and len(s) > 4 * limit + 16:  # do not scan megabytes
        s = s[:4 * limit + 16]
        cut = True
    else:
        cut = False
    s = _CONTROL.sub(" ", s)
    if limit is not None and len(s) > limit:
        s, cut = s[:limit], True
    return s + ELLIPSIS if cut else s


def escape_md(text: str) -> str:
    """Escape ``text`` so that Streamlit's Markdown shows it literally (no links, images,
    emphasis, code, LaTeX, HTML tags, autolinks); ordinary words are left as they are (a bare
    link gets an invisible word joiner after "http:", "www" or "@")."""
    s = _CONTROL.sub(" ", text)
    s = _ALWAYS.sub(r"\\\1", s)
    s = _UNDERSCORE.sub(r"\\_", s)
    s = _ENTITY.sub(r"\\&", s)
    s = s.replace("#", r"\#")
    return _AUTOLINK.sub(JOINER, s)


def user_text(text: object, limit: int | None = LIMIT) -> str:
    """A user's value ready to be put into a Markdown message: shortened, then escaped."""
    return escape_md(shorten(text, limit))
