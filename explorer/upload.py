"""A lecturer's own data: a CSV file with two numeric feature columns and a label column.

The upload is only ever parsed with :func:`pandas.read_csv` (never executed or
unpickled), every cell as its exact text: its encoding is named or the file refused
(:mod:`explorer.encoding`); feature columns are converted to numbers here (empty cells and the
usual NA words are missing values); labels stay text, exactly as written, unless they are all
small exact integers (no float round trip: ``1e20`` and ``2e20`` are two classes, ``NA`` is a
class); columns that look like a row index and empty columns are never guessed. Problems are reported as full, human-readable sentences in the page's language; the templates
live in :mod:`explorer.texts.upload` (:data:`MESSAGES`).

Typical use::

    df, errors = read_csv_columns(data)          # offer df.columns as choices
    ds, errors = parse_upload(data, "x", "y", "label", test_fraction=0.25, seed=0)
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.datasets import make_moons

from explorer.datasets import Dataset, SplitError, dataset_from_arrays
from explorer.encoding import LEGACY, decode
from explorer.safetext import shorten
from explorer.texts import lookup
from explorer.texts.upload import TEXT as MESSAGES

__all__ = [
    "MAX_BYTES",
    "MAX_CLASSES",
    "MAX_COLUMNS",
    "MAX_MB",
    "MAX_ROWS",
    "MESSAGES",
    "NA_WORDS",
    "example_csv",
    "guess_columns",
    "message",
    "numbers",
    "numeric_columns",
    "parse_upload",
    "read_csv_columns",
]

#: the largest upload in bytes: Streamlit's uploader (server.maxUploadSize = 5 in
#: .streamlit/config.toml) refuses files over 5 MB = 5,000,000 bytes in the browser
MAX_BYTES = 5_000_000
MAX_MB = MAX_BYTES // 1_000_000
MAX_ROWS = 5000
MAX_CLASSES = 10
#: more fields than this on any line: refused before pandas parses the file (pandas' handling of
#: many (duplicate) header names grows with their square: 80,000 fields took a minute)
MAX_COLUMNS = 100
#: feature values beyond ± this cannot be standardised in float64 (their squares overflow)
MAX_ABS = 1e150
#: at most this many column names are listed in a message
LIST_NAMES = 10

_SEPARATORS = (",", ";", "\t", "|")
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*$")
#: a label read as an integer class: at most 15 digits (exact in float64 and int64), "2.0" too
_SMALL_INT = re.compile(r"^[-+]?\d{1,15}(?:\.0*)?$")
#: cells of a feature column read as missing values (pandas' default NA words); a label cell is
#: missing only when empty
NA_WORDS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})


csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES + 1))  # one cell may fill the file


def message(key: str, lang: str = "en", **values: Any) -> str:
    """The message template ``key`` in ``lang`` (English fallback), formatted with ``values``."""
    return lookup(MESSAGES, key, lang, **values)


# --------------------------------------------------------------------------------------
# reading


def _separator(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])  # ties: the earlier one (",")
    return best if counts[best] else ","


def numbers(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A text column of :func:`read_csv_columns` as float64 values (NaN where missing) and the
    mask of its cells that are neither missing nor a number. Decimal commas ("1,5") are read
    when the file is not comma-separated and every non-missing cell has one."""
    missing = s.isin(NA_WORDS).to_numpy()
    text = s.where(~missing)
    if s.attrs.get("sep", ",") != "," and len(text.dropna()) and \
            text.dropna().str.match(_DECIMAL_COMMA).all():
        text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return values, ~missing & np.isnan(values)


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """Names of the columns whose non-missing values are all finite numbers."""
    out = []
    for i, col in enumerate(df.columns):
        values, bad = numbers(_column(df, i))
        if not bad.any() and np.isfinite(values).any() and not np.isinf(values).any():
            out.append(str(col))
    return out


def _column(df: pd.DataFrame, i: int) -> pd.Series:
    s = df.iloc[:, i]
    s.attrs = {"sep": df.attrs.get("sep", ",")}
    return s


def _index_like(df: pd.DataFrame, i: int) -> bool:
    """An unnamed first column, or row numbers 0..n-1 / 1..n: a saved row index."""
    if i == 0 and (df.columns[0] == "" or str(df.columns[0]).startswith("Unnamed: ")):
        return True
    values, bad = numbers(_column(df, i))
    n = len(values)
    return n > 1 and not bad.any() and (
        np.array_equal(values, np.arange(n)) or np.array_equal(values, np.arange(1, n + 1)))


def _empty(df: pd.DataFrame, i: int) -> bool:
    return bool((df.iloc[:, i] == "").all())


def _not_finite(df: pd.DataFrame) -> list[tuple[str, int, str]]:
    """(column, row counting the header as row 1, value) of the first infinite value of each
    number column that has one (a column ``numeric_columns`` leaves out only because of it)."""
    out = []
    for i, col in enumerate(df.columns):
        values, bad = numbers(_column(df, i))
        inf = np.isinf(values)
        if not bad.any() and inf.any():
            j = int(np.flatnonzero(inf)[0])
            out.append((str(col), j + 2, _show(df.iloc[j, i])))
    return out


def _scan(text: str, sep: str) -> tuple[list[str], tuple[int, int] | None,
                                         tuple[int, int, int] | None]:
    """The header's stripped names, the first (line, fields) with more than MAX_COLUMNS
    fields, and the first (line, fields, header fields) of a row with more fields than the
    header that are not all empty (empty ones are trailing separators: dropped), read with the
    csv module (linear in the file size, unlike pandas with thousands of duplicate names)."""
    header: list[str] | None = None
    longer = None
    try:
        reader = csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True)
        for row in reader:
            if len(row) > MAX_COLUMNS:
                return header or [], (reader.line_num, len(row)), None
            if header is None and any(f.strip() for f in row):
                header = [f.strip() for f in row]
            elif header is not None and longer is None and len(row) > len(header) and \
                    any(f.strip() for f in row[len(header):]):
                longer = (reader.line_num, len(row), len(header))
    except csv.Error:  # pandas decides (and explains) what is wrong with the quoting
        pass
    return header or [], None, longer


def _duplicate(names: list[str]) -> tuple[str, int, int] | None:
    """(name, first position, second position) of the first repeated non-empty name."""
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            return name, seen[name] + 1, i + 1
        seen.setdefault(name, i)
    return None


def _names(columns: Any) -> str:
    """Up to LIST_NAMES column names, shortened, for a message."""
    names = [_show(c) for c in list(columns)[:LIST_NAMES]]
    return ", ".join(names) + (", …" if len(columns) > LIST_NAMES else "")


def guess_columns(df: pd.DataFrame) -> tuple[str, str, str] | None:
    """Sensible default (x, y, label) choice: the first two numeric columns and the last
    remaining column, never a column that looks like a saved row index (unnamed first column,
    0..n-1 or 1..n) nor an empty one; None if there are not two such numeric columns and a
    third column."""
    skip = {str(c) for i, c in enumerate(df.columns) if _index_like(df, i) or _empty(df, i)}
    numeric = [c for c in numeric_columns(df) if c not in skip]
    if len(numeric) < 2:
        return None
    x, y = numeric[0], numeric[1]
    rest = [str(c) for c in df.columns if c not in (x, y) and str(c) not in skip]
    return (x, y, rest[-1]) if rest else None


def read_csv_columns(data: bytes, lang: str = "en") -> tuple[pd.DataFrame | None, list[str]]:
    """Parse uploaded bytes into a table.

    Parameters
    ----------
    data : bytes
        The uploaded file; only ever parsed with :func:`pandas.read_csv`.
    lang : str
        Language of the error messages (a code of :data:`explorer.texts.LANGS`).

    Returns
    -------
    df : DataFrame or None
        The table, every cell its stripped text ("" when empty; :func:`numbers` reads a
        column as numbers), column names as stripped strings, ``df.attrs["encoding"]`` the
        display name of the encoding used; or None when there are errors.
    errors : list of str
        Full-sentence problems (empty when the table is usable): file too large, empty,
        not text, not a CSV, too few columns, fewer than 2 numeric columns, too many rows.
    """

    def err(key: str, **values: Any) -> tuple[None, list[str]]:
        return None, [message(key, lang, **values)]

    if len(data) > MAX_BYTES:
        return err("too_large", size_mb=f"{len(data) / 1e6:.2f}", size=f"{len(data):,}",
                   limit_mb=MAX_MB, limit=f"{MAX_BYTES:,}")
    if not data.strip():
        return err("empty")
    decoded = decode(data)
    if decoded.problem == "unknown":
        return err("encoding_unknown", tried=", ".join(name for _c, name in LEGACY))
    if decoded.problem == "ambiguous":
        return err("encoding_ambiguous", candidates=", ".join(decoded.candidates))
    text = decoded.text
    if text is None:
        return err("not_text")
    if not text.strip():
        return err("empty")
    sep = _separator(text)
    header, wide, longer = _scan(text, sep)
    if wide is not None:
        return err("too_many_columns", line=wide[0], n=wide[1], max=MAX_COLUMNS)
    if longer is not None:
        return err("ragged", line=longer[0], found=longer[1], expected=longer[2])
    dup = _duplicate(header)
    if dup is not None:
        return err("duplicate_column", col=_show(dup[0]), first=dup[1], second=dup[2])
    try:
        with warnings.catch_warnings():  # trailing separators (empty fields): dropped
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            df = pd.read_csv(io.StringIO(text), sep=sep, skipinitialspace=True, dtype=str,
                             keep_default_na=False, index_col=False)
    except pd.errors.EmptyDataError:
        return err("empty")
    except pd.errors.ParserError as e:
        m = _RAGGED.search(str(e))
        if m:
            expected, line, found = m.groups()
            return err("ragged", line=line, found=found, expected=expected)
        return err("not_csv")
    except ValueError:
        return err("not_csv")

    df.columns = [str(c).strip() for c in df.columns]
    dup = _duplicate(list(df.columns))
    if dup is not None:  # e.g. "x.1" next to a second "x" that pandas renamed "x.1"
        return err("duplicate_column", col=_show(dup[0]), first=dup[1], second=dup[2])
    df = df.apply(lambda s: s.str.strip()).astype(object)
    df.attrs = {"encoding": decoded.encoding, "sep": sep}
    if len(df) == 0:
        return err("no_rows")
    if df.shape[1] < 3:
        return err("too_few_columns", n=df.shape[1])
    numeric = numeric_columns(df)
    if len(numeric) < 2:
        return None, [
            message("too_few_numeric", lang, n=len(numeric),
                    columns=_names(numeric) if numeric else "-"),
            *(message("not_finite", lang, col=_show(c), row=row, value=v)
              for c, row, v in _not_finite(df)[:LIST_NAMES]),
        ]
    if len(df) > MAX_ROWS:
        return err("too_many_rows", n=len(df), max=MAX_ROWS)
    return df, []


# --------------------------------------------------------------------------------------
# validating the chosen columns


def _show(value: object) -> str:
    """A value from the file quoted in a message: one line, at most 60 characters + "…"."""
    return shorten(value)


def _labels(s: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Label values and the display names of their sorted unique values: integers when every
    label is a small exact integer ("2", "-7", "1.0": at most 15 digits, no float round trip),
    else the text exactly as written (so "1e20" and "2e20", "NA" and "None" are classes)."""
    text = s.astype(str).to_numpy(dtype=object)  # not "<U{longest}": a 4 MB cell
    if len(text) and all(_SMALL_INT.match(v) for v in text):
        values = np.array([int(v.split(".")[0]) for v in text], dtype=np.int64)
        return values, [str(v) for v in np.unique(values).tolist()]
    return text, [str(v) for v in np.unique(text)]


def parse_upload(
    data: bytes,
    x_col: str,
    y_col: str,
    label_col: str,
    test_fraction: float = 0.25,
    seed: int = 0,
    lang: str = "en",
    frame: pd.DataFrame | None = None,
) -> tuple[Dataset | None, list[str]]:
    """Turn an uploaded CSV into a :class:`Dataset`, or explain what is wrong.

    Parameters
    ----------
    data : bytes
        The uploaded file.
    x_col, y_col : str
        Names of the two numeric feature columns.
    label_col : str
        Name of the class label column (text or numbers, 2..MAX_CLASSES classes).
    test_fraction : float
        Fraction of rows held out for testing (stratified split).
    seed : int
        Random state of the split.
    lang : str
        Language of the error messages (a code of :data:`explorer.texts.LANGS`).
    frame : DataFrame, optional
        The table ``read_csv_columns(data)`` returned for the same bytes (not parsed again).

    Returns
    -------
    dataset : Dataset or None
        ``name="upload"``, ``feature_names=(x_col, y_col)``, labels re-encoded to
        ``0..K-1`` in sorted order and ``class_names`` the original label values;
        None when there are errors.
    errors : list of str
        Every problem found, as full sentences (empty on success).
    """
    chosen = (x_col, y_col, label_col)
    for i, col in enumerate(chosen):
        if col in chosen[:i]:
            return None, [message("same_column", lang, col=_show(col))]

    df, errors = (frame, []) if frame is not None else read_csv_columns(data, lang)
    if df is None:
        return None, errors

    missing_cols = [c for c in chosen if c not in df.columns]
    if missing_cols:
        columns = _names(df.columns)
        return None, [message("missing_column", lang, col=_show(c), columns=columns)
                      for c in missing_cols]

    errors = []
    # missing values in any chosen column (a label only when empty)
    na = pd.DataFrame({c: df[c].isin(NA_WORDS) if c != label_col else df[c] == ""
                       for c in chosen})
    bad_rows = na.any(axis=1).to_numpy()
    if bad_rows.any():
        errors.append(
            message(
                "missing_values",
                lang,
                n=int(bad_rows.sum()),
                columns=_names([c for c in chosen if na[c].any()]),
                row=int(np.flatnonzero(bad_rows)[0]) + 2,
            )
        )
    # feature columns: finite numbers, not constant
    features = []
    for col in (x_col, y_col):
        s = df[col]
        values, bad = numbers(_column(df, list(df.columns).index(col)))
        as_num = pd.Series(values)
        bad |= np.isinf(values)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            errors.append(message("non_numeric", lang, col=_show(col), row=i + 2,
                                  value=_show(s.iloc[i])))
            continue
        huge = np.abs(np.nan_to_num(as_num.to_numpy(), nan=0.0)) > MAX_ABS
        if huge.any():
            i = int(np.flatnonzero(huge)[0])
            errors.append(message("huge_value", lang, col=_show(col), row=i + 2,
                                  value=f"{as_num.iloc[i]:.6g}", limit=f"{MAX_ABS:g}"))
            continue
        values = as_num.dropna()
        if len(values) and values.nunique() == 1:
            errors.append(message("constant", lang, col=_show(col),
                                  value=f"{values.iloc[0]:g}"))
        features.append(as_num.to_numpy())
    if errors:
        return None, errors

    y, names = _labels(df[label_col])
    if len(names) == 1:
        return None, [message("single_class", lang, col=_show(label_col), cls=_show(names[0]))]
    if len(names) > MAX_CLASSES:
        return None, [
            message("too_many_classes", lang, col=_show(label_col), n=len(names),
                    max=MAX_CLASSES)
        ]

    try:
        ds = dataset_from_arrays(
            np.column_stack(features),
            y,
            test_fraction,
            seed,
            name="upload",
            feature_names=(_show(x_col), _show(y_col)),  # chart titles: one line, short
            class_names=short if len(set(short := [_show(n) for n in names])) == len(names)
            else names,
        )
    except SplitError as e:
        if e.class_name is None:
            return None, [
                message(
                    "too_few_test_rows",
                    lang,
                    n=len(y),
                    pct=f"{100 * test_fraction:g}",
                    n_test=e.n_test,
                    k=e.n_classes,
                )
            ]
        return None, [message("too_few_per_class", lang, cls=_show(e.class_name),
                              count=e.count)]
    except ValueError:  # e.g. a spread the scaler cannot handle
        ds = None
    if ds is None or not (np.isfinite(ds.X_train).all() and np.isfinite(ds.X_test).all()):
        return None, [message("unusable", lang, x=_show(x_col), y=_show(y_col))]
    return ds, []


def example_csv(n_samples: int = 200, seed: int = 0) -> bytes:
    """A small valid example upload (two moons with text labels), e.g. for a download
    button showing the expected format."""
    X, y = make_moons(n_samples=n_samples, noise=0.15, random_state=seed)
    df = pd.DataFrame(
        {"x": X[:, 0].round(4), "y": X[:, 1].round(4), "label": np.where(y, "blue", "red")}
    )
    return df.to_csv(index=False).encode("utf-8")
