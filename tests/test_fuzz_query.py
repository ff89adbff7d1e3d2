"""Bad links: generated query strings through every page (Streamlit's AppTest, no browser).

A seeded generator (deterministic) builds ``N_CASES`` query strings spread over the pages in
``explorer.texts.nav.PAGES``: random junk, unknown keys, wrong types, out-of-range numbers,
huge values (1e308, 10**400 written out), NaN, inf, negative sizes, unicode, empty strings and
repeated keys, mixed with valid values. Every page must then

* run without an exception (no traceback on the page),
* still show its title,
* show a warning when a key it knows was given an invalid value (the notice lists the key),
* put a safe value back into the URL (the invalid value does not stay in the address bar),
* still draw its charts, or say in an error box why it cannot (e.g. data too small to split).

"Keys a page knows" are found by running the page once and recording every key it writes with
``state.set_query`` (every page setting lives in the URL); values are judged invalid with the
config's own parser for ``TrainConfig`` fields, and by construction for page keys (values that
no number range or name list accepts). ``projector`` is an on/off switch that silently treats
anything but 1/true/on as off; :func:`test_projector_junk_is_reported` covers it.

To keep runs small every generated query also carries small ``epochs``/``n_checkpoints``/
``grid_size`` (and, where the page has them, two activations in ``acts`` and few toy ``steps``)
unless it fuzzes those keys.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import shared_runs
from streamlit.testing.v1 import AppTest

from explorer import DATASETS, FIELDS
from explorer.config import MAX_LAYERS, MAX_UNITS, parse_value
from explorer.config import check_value as check_field
from explorer.texts.nav import PAGES

REPO_ROOT = Path(__file__).resolve().parent.parent
PAGE_NAMES = [name for name, _icon in PAGES]
N_CASES = 200
SEED = 20240601
TIMEOUT = 60

#: values no page key accepts (no number range contains them, no name list holds them)
HUGE_INT = "1" + "0" * 400
UNIVERSAL_JUNK = [
    "abc", "", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", HUGE_INT,
    "-" + HUGE_INT, "🙂", "<script>alert(1)</script>", "' OR 1=1 --", "None", "null", "[1, 2]",
    "0x1F", "1.2.3", "--", "-", "%00", "\u202e", "中文", "ｒｅｌｕ", "релу", "x" * 300,
]
UNKNOWN_KEYS = ["foo", "x" * 60, "épsilon", "", "a[b]", "__proto__", "_lang", "play.activation",
                "ACTIVATION", "Seed", "lr ", "page", "embed", "鍵"]
LANG_VALUES = ["en", "zh", "fr", "", "ZH", "zh-CN", "中文", "en;zh", HUGE_INT]
SMALL = {"epochs": "4", "n_checkpoints": "3", "grid_size": "10"}
#: page keys that keep a run small too (fewer activations shown, fewer toy steps)
PAGE_SMALL = {"acts": "relu-tanh", "steps": "50"}


# ------------------------------------------------------------------------ value oracles


def field_value_is_valid(name: str, raw: str) -> bool:
    """Does the config accept ``raw`` for field ``name`` on its own?"""
    try:
        check_field(FIELDS[name], parse_value(FIELDS[name], raw))
    except ValueError:
        return False
    return True


def _valid_field_value(rng: random.Random, name: str) -> str:
    """A valid, cheap value (small data, small nets, no batch-1 marathons)."""
    f = FIELDS[name]
    if name == "hidden":
        return "-".join(str(rng.randint(1, 8)) for _ in range(rng.randint(1, 3)))
    if name == "layer_activations":
        return rng.choice(["", "relu-tanh", "sigmoid-sigmoid", "maxout"])
    if name == "dataset":
        return rng.choice(DATASETS.names())
    if name == "features":
        return rng.choice(["x1-x2", "x1sq-x2sq", "x1-x2-x1x2", "sinx1-sinx2-x1"])
    if name == "lr_changes":
        return rng.choice(["", "2_0.5", "1_1-3_0.01", "4_0.3"])
    if f.kind == "choice":
        return rng.choice(f.choices())
    if name == "n_samples":
        return str(rng.randint(40, 150))
    if name == "batch_size":
        return str(rng.choice([16, 32, 64, 2000]))
    if name == "epochs":
        return str(rng.randint(1, 8))
    if name == "n_checkpoints":
        return str(rng.randint(2, 5))
    if name == "grid_size":
        return str(rng.randint(10, 20))
    if f.kind == "int":
        return str(rng.randint(int(f.lo), int(min(f.hi, f.lo + 5))))
    lo, hi = f.lo, f.hi
    if f.log:
        return f"{math.exp(rng.uniform(math.log(lo), math.log(hi))):.3g}"
    return f"{rng.uniform(lo, hi):.3g}"


def _bad_field_value(rng: random.Random, name: str) -> str:
    f = FIELDS[name]
    options = list(UNIVERSAL_JUNK)
    if f.kind in ("int", "float"):
        lo, hi = f.lo, f.hi
        options += [f"{lo - 1:g}", f"{hi + 1:g}", f"{hi * 10:g}", f"{-abs(hi):g}", "-1", "1e308",
                    f"{(lo + hi) / 2:g}e400", "0.5" if f.kind == "int" else "tanh", "1,5"]
    if f.kind == "layers":
        options += ["-16-16", "0", "16-0", f"{MAX_UNITS + 1}", "-".join(["1"] * (MAX_LAYERS + 1)),
                    "16-abc", "16.5", "1e308", "-1", "16--x"]
    if f.kind == "acts":
        options += ["relu-nope", "-".join(["relu"] * (MAX_LAYERS + 1)), "RELU", "tanh,,🙂"]
    if f.kind == "features":
        options += ["x1-x1", "x3", "X1", "x1--x2", "sin", "x1,,🙂"]
    if f.kind == "lr_changes":
        options += ["0_1", "5_1-3_1", "2_0", "2_-1", "2_1e400", "x_1", "2_", "_1", "1_1-" * 9,
                    "2.5_1", "2_1_3"]
    if f.kind == "choice":
        options += [c.upper() for c in f.choices()[:3]] + ["auto " if name == "init" else "x"]
    return rng.choice(options)


def field_value(rng: random.Random, name: str) -> str:
    return _valid_field_value(rng, name) if rng.random() < 0.35 else _bad_field_value(rng, name)


# ------------------------------------------------------------------------ pages


def page_path(name: str) -> Path:
    return REPO_ROOT / "pages" / f"{name}.py"


_LITERAL_KEY = re.compile(
    r"""(?:set_query|url_int|url_choices|url_float|url_widget_state|url_widget_init|"""
    r"""url_toggle|float_slider|int_slider|query_params\.get)\(\s*(?:tr\s*,\s*|st\s*,\s*)?"""
    r"""["'](\w+)["']""")


def literal_keys(name: str) -> list[str]:
    """URL keys written as literals in the page source (a superset is fine: for generation)."""
    source = page_path(name).read_text(encoding="utf-8")
    return sorted(set(_LITERAL_KEY.findall(source)) - {"lang", "projector"})


def small_for(page: str) -> dict[str, str]:
    """Small-run defaults every generated query of ``page`` carries (unless it fuzzes them)."""
    own = set(literal_keys(page))
    return {**SMALL, **{k: v for k, v in PAGE_SMALL.items() if k in own}}


def run_page(name: str, query: dict[str, str | list[str]]) -> AppTest:
    """One fresh session of a page opened with ``query``.

    Pages run as the main script (a fresh session, nothing from an earlier run); the home page
    links to the others with ``st.page_link``, so it runs through ``streamlit_app.py``.
    """
    script = REPO_ROOT / "streamlit_app.py" if name == "home" else page_path(name)
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at.run()


def record_url_keys() -> dict[str, set[str]]:
    """Per page: every key it writes into the URL (recorded from one default run)."""
    from explorer.app import state

    original = state.set_query
    out: dict[str, set[str]] = {}
    try:
        for name in PAGE_NAMES:
            seen: set[str] = set()

            def recording(key, value, _seen=seen):
                _seen.add(key)
                return original(key, value)

            state.set_query = recording
            at = run_page(name, small_for(name))
            assert not at.exception, f"{name} fails on its default link: {at.exception[0].value}"
            out[name] = seen
    finally:
        state.set_query = original
    return out


@pytest.fixture(scope="module")
def url_keys() -> Iterator[dict[str, set[str]]]:
    """record_url_keys(), once per session (shared by the xdist workers: tests/shared_runs.py)."""
    yield shared_runs.memo(f"{__name__}.url_keys", record_url_keys)


# ------------------------------------------------------------------------ cases


def _one_value(rng: random.Random, page: str, key: str) -> str:
    if key in FIELDS:
        return field_value(rng, key)
    if key == "lang":
        return rng.choice(LANG_VALUES)
    if key == "projector":
        return rng.choice(["1", "0", "true", "banana", "", "2", "on", "🙂"])
    if rng.random() < 0.25:  # plausible page values (validity unknown: not judged)
        return rng.choice(["1", "0", "2", "50", "relu", "sigmoid-tanh", "grid", "overlay"])
    return rng.choice(UNIVERSAL_JUNK)


def make_cases(n: int = N_CASES, seed: int = SEED) -> list[tuple[str, str, dict]]:
    """(id, page, query) triples, deterministic for a given seed."""
    rng = random.Random(seed)
    fields = list(FIELDS)
    cases = []
    for i in range(n):
        page = PAGE_NAMES[i % len(PAGE_NAMES)]
        own = literal_keys(page)
        query: dict[str, str | list[str]] = {}
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            r = rng.random()
            if r < 0.5:
                key = rng.choice(fields)
            elif r < 0.7 and own:
                key = rng.choice(own)
            elif r < 0.8:
                key = "lang"
            elif r < 0.85:
                key = "projector"
            else:
                key = rng.choice(UNKNOWN_KEYS)
            value = _one_value(rng, page, key)
            if rng.random() < 0.12:  # repeated key: the last value counts
                query[key] = [_one_value(rng, page, key), value]
            else:
                query[key] = value
        for key, value in small_for(page).items():
            query.setdefault(key, value)
        cases.append((f"{i:03d}-{page}", page, query))
    # hand-picked: data too small to split, per-layer list of the wrong length, over budget
    special = [
        {"dataset": "spiral", "n_classes": "6", "n_samples": "40", "test_fraction": "0.1"},
        {"dataset": "blobs", "n_classes": "6", "n_samples": "40", "test_fraction": "0.1",
         "seed": "7"},
        {"hidden": "4-4-4", "layer_activations": "relu-tanh"},
        {"dataset": "moons", "n_classes": "6"},
    ]
    for j, extra in enumerate(special):
        for page in PAGE_NAMES:
            cases.append((f"special{j}-{page}", page, {**small_for(page), **extra}))
    # over the work budget: epochs cut down with a notice (one page: the run is not tiny)
    cases.append(("over-budget-playground", "playground",
                  {"epochs": "2000", "n_samples": "2000", "hidden": "64-64-64-64-64-64",
                   "batch_size": "2000", "n_checkpoints": "2", "grid_size": "10"}))
    return cases


CASES = make_cases()


def _last(value):
    return value[-1] if isinstance(value, list) else value


def invalid_known_keys(page: str, query: dict, known: set[str]) -> list[str]:
    """Keys of ``query`` the page knows whose (last) value is invalid."""
    own_literal = set(literal_keys(page))
    bad = []
    for key, value in query.items():
        if key not in known or key == "projector":
            continue
        raw = _last(value)
        if key in FIELDS:
            invalid = not field_value_is_valid(key, raw)
        elif key == "lang":
            invalid = raw not in ("en", "zh")
        else:
            invalid = raw in UNIVERSAL_JUNK and (key in own_literal or key in known)
        if invalid:
            bad.append(key)
    return bad


def test_there_are_enough_cases():
    assert len(CASES) >= 200
    assert {page for _id, page, _q in CASES} == set(PAGE_NAMES)
    # deterministic
    assert make_cases() == CASES


@pytest.mark.parametrize(("page", "query"), [(p, q) for _i, p, q in CASES],
                         ids=[i for i, _p, _q in CASES])
def test_bad_link(url_keys, page, query):
    at = run_page(page, query)
    if at.exception:
        raise AssertionError(f"pages/{page}.py with {query!r} raised:\n"
                             + "\n".join(e.value + "\n" + "\n".join(e.stack_trace)
                                         for e in at.exception))
    titles = [t.value for t in at.title]
    assert titles and titles[0].strip(), f"no title with {query!r}"

    warnings = "\n".join(w.value for w in at.warning)
    errors = [e.value for e in at.error]
    for text in [warnings, *errors]:
        assert "Traceback" not in text, text
    known = url_keys[page] | {"lang"}
    bad = invalid_known_keys(page, query, known)
    missing = [k for k in bad if not re.search(rf"(?m)^- ?{re.escape(k)}\b", warnings)
               and f"{k}:" not in warnings]
    assert not missing, (f"no warning names {missing} (invalid values {[query[k] for k in missing]})"
                         f"; warnings shown: {warnings!r}")

    # the invalid value does not stay in the address bar
    after = at.query_params
    stuck = [k for k in bad if k in after and _last(after[k]) == _last(query[k])]
    assert not stuck, f"invalid values left in the URL: { {k: after[k] for k in stuck} }"

    # the page still shows its charts, or says why not
    if url_keys[page] - {"lang", "projector"}:  # a page with settings draws something
        charts = at.get("vega_lite_chart")
        assert charts or errors, f"no charts and no error message with {query!r}"


def test_projector_junk_is_reported(url_keys):
    """``projector=banana`` is not a valid on/off value: like every other key it gets a notice."""
    for page in ("home", "playground"):
        at = run_page(page, {**SMALL, "projector": "banana"})
        assert not at.exception
        warnings = "\n".join(w.value for w in at.warning)
        assert "projector" in warnings, f"{page}: no notice for projector=banana"
