"""Which text encoding an uploaded file uses: named, or refused; never guessed silently.

A file with a byte-order mark is decoded by it (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); a file that
is valid UTF-8 is UTF-8. Anything else is decoded strictly with each legacy candidate
(:data:`LEGACY`: Windows-1252, GB18030, Shift-JIS, Big5) and each decoding is scored by how
plausible its non-ASCII characters are for that encoding's own texts (:func:`plausibility`):

- Windows-1252 (Latin-1): accented letters in short runs inside words ("Länge", "Größe"),
  or a common symbol on its own ("°", "€", "µ"); CJK bytes read this way give runs of symbols
  and letters with no Latin word around them ("±êÇ©").
- GB18030: Chinese characters of GB2312 (the common simplified set) and CJK punctuation; Latin
  bytes read this way swallow the next ASCII letter into rare GBK characters ("Länge" read
  as "L", one rare GBK character, "ge").
- Big5: level-1 (common) traditional characters and Big5 punctuation.
- Shift-JIS: kana, level-1 kanji and JIS punctuation; half-width katakana count as implausible.

The decoding whose score is at least :data:`PLAUSIBLE` and ahead of every other plausible one
by :data:`MARGIN` is used and named; otherwise the file is refused (unknown encoding, or two
readings equally plausible: short CJK texts often decode cleanly in two encodings), with a
request to save it as UTF-8. Plain Python; :mod:`explorer.upload` turns the result into a
message.

Typical use::

    result = decode(data)
    if result.text is None:
        ...  # result.problem in ("binary", "unknown", "ambiguous"), result.candidates
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LEGACY", "MARGIN", "PLAUSIBLE", "Decoded", "decode", "plausibility"]

#: (codec, display name) tried in this order when the file is neither marked nor UTF-8
LEGACY = (
    ("cp1252", "Windows-1252 (Latin-1)"),
    ("gb18030", "GB18030"),
    ("shift_jis", "Shift-JIS"),
    ("big5", "Big5"),
)
#: byte-order marks (longest first: the UTF-32 LE mark starts with the UTF-16 LE one)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32 LE"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32 BE"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 (BOM)"),
    (b"\xff\xfe", "utf-16", "UTF-16 LE"),
    (b"\xfe\xff", "utf-16", "UTF-16 BE"),
)
#: a decoding counts as plausible from this share of plausible non-ASCII characters
PLAUSIBLE = 0.8
#: ... and is used only when it leads every other plausible decoding by this much
MARGIN = 0.1

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
#: Windows-1252 symbols that stand alone in Latin texts (units, currency, quotes, dashes)
_LATIN_SYMBOLS = frozenset("°µ€£¥§²³¹±×÷·“”‘’„–—…«»\xa0½¼¾©®™¢¿¡")


@dataclass(frozen=True)
class Decoded:
    """The outcome of :func:`decode`.

    Attributes
    ----------
    text : str or None
        The decoded text; None when refused.
    encoding : str
        Display name of the encoding used ("" when refused).
    problem : str
        Why it was refused: "binary" (control characters or NUL bytes: not a text file),
        "unknown" (no plausible encoding) or "ambiguous" (several); "" when decoded.
    candidates : tuple of str
        The display names of the plausible encodings when ambiguous.
    """

    text: str | None
    encoding: str = ""
    problem: str = ""
    candidates: tuple[str, ...] = ()


def _latin_score(text: str) -> tuple[int, int]:
    good = total = 0
    for m in _NON_ASCII.finditer(text):
        run = m.group()
        total += len(run)
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        in_word = (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
        if len(run) == 1 and (run in _LATIN_SYMBOLS or run.isalpha()):
            good += 1
        elif len(run) <= 3 and in_word and run.isalpha():  # "Größe", "ação"
            good += len(run)
    return good, total


def _two_byte(ch: str, codec: str) -> int | None:
    try:
        b = ch.encode(codec)
    except UnicodeEncodeError:
        return None
    return b[0] << 8 | b[1] if len(b) == 2 else None


def _cjk_score(text: str, codec: str) -> tuple[float, int]:
    """(plausible characters, characters) of a CJK reading; a reading none of whose characters
    has a trail byte above ASCII ("°C" read as one Big5 character) is half as plausible: real
    CJK text of more than a few characters always has some."""
    chars = [c for run in _NON_ASCII.findall(text) for c in run]
    ok = {c: _cjk_ok(c, codec) for c in set(chars)}
    good = float(sum(ok[c] for c in chars))
    if chars and all(len(b := c.encode(codec)) == 2 and b[1] < 0x80 for c in set(chars)):
        good /= 2
    return good, len(chars)


def _low_trail(data: bytes, codec: str) -> bool:
    """Whether some two-byte character of ``data`` read as ``codec`` has a trail byte below
    0x80."""
    return any(len(b := c.encode(codec)) == 2 and b[1] < 0x80
               for c in set(data.decode(codec)) if not c.isascii())


def _cjk_ok(ch: str, codec: str) -> bool:
    if codec == "gb18030":  # GB2312 hanzi or punctuation (rows 1-3: symbols, full-width forms)
        code = _two_byte(ch, "gb2312")
        return code is not None and (0xB0A1 <= code <= 0xF7FE or 0xA1A1 <= code <= 0xA3FE)
    if codec == "big5":  # punctuation 0xA140-0xA3BF, level-1 hanzi 0xA440-0xC67E
        code = _two_byte(ch, "big5")
        return code is not None and (0xA140 <= code <= 0xA3BF or 0xA440 <= code <= 0xC67E)
    # Shift-JIS: punctuation and full-width forms, kana (0x8140-0x8396), level-1 kanji
    code = _two_byte(ch, "shift_jis")
    return code is not None and (0x8140 <= code <= 0x8396 or 0x889F <= code <= 0x9872)


def plausibility(text: str, codec: str) -> float:
    """Share (0..1) of the non-ASCII characters of ``text`` that are plausible for a file
    written in ``codec`` (see the module's docstring); 1.0 for pure ASCII."""
    if codec == "cp1252":
        good, total = _latin_score(text)
    else:
        good, total = _cjk_score(text, codec)
    return good / total if total else 1.0


def _sample(text: str, limit: int = 200_000) -> str:
    return text if len(text) <= limit else text[:limit]


def decode(data: bytes) -> Decoded:
    """Decode an uploaded file (see the module's docstring for the rules)."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return Decoded(None, problem="binary")
            if codec == "utf-8-sig" and not text.strip():
                return Decoded(text, name)
            return Decoded(None, problem="binary") if _CONTROL.search(text) else Decoded(text, name)
    if b"\x00" in data:
        return Decoded(None, problem="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(None, problem="binary") if _CONTROL.search(text) else Decoded(text, "UTF-8")
    scored = []
    for codec, name in LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            continue
        scored.append((plausibility(_sample(text), codec), name, text))
    score = {s[1]: s[0] for s in scored}
    if score.get("GB18030") == 1.0 and score.get("Big5", 0) >= PLAUSIBLE \
            and not _low_trail(data, "big5"):
        # every character common GB2312 and every trail byte above ASCII, as in GB2312 (real
        # Big5 text has trails 0x40-0x7E too): GB18030
        scored = [(s[0] / 2 if s[1] == "Big5" else s[0], *s[1:]) for s in scored]
    plausible = sorted((s for s in scored if s[0] >= PLAUSIBLE), key=lambda s: -s[0])
    if not plausible:
        if scored or not _CONTROL.search(data.decode("latin-1")):
            return Decoded(None, problem="unknown")
        return Decoded(None, problem="binary")
    if len(plausible) > 1 and plausible[0][0] - plausible[1][0] < MARGIN:
        return Decoded(None, problem="ambiguous",
                       candidates=tuple(s[1] for s in plausible))
    return Decoded(plausible[0][2], plausible[0][1])
