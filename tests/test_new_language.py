"""A new language is data: one key per ``explorer/texts`` table plus one entry in ``LANGS``.

The fixture adds a throwaway language "xx" (every table's English text behind a marker) without
touching any code outside ``explorer/texts``; the tests then check that the lookup, the chart
builders, the lesson's verdicts and the registries' labels all speak it. A second group checks
that no code outside ``explorer/texts`` holds a translation (Chinese characters) or picks a
string by a language code.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import explorer.texts as texts_pkg
from explorer import TrainConfig, lesson, train
from explorer.charts import compare, core, dead, network, vanishing
from explorer.config import run_label
from explorer.datasets import DATASETS, display_names, make_data
from explorer.labs import dead as dead_lab
from explorer.labs import vanishing as vanishing_lab
from explorer.presets import PRESETS
from explorer.texts import DEFAULT_LANG, lookup
from explorer.texts.nav import PAGES
from explorer.upload import message

MARK = "⟦xx⟧ "
ROOT = Path(__file__).resolve().parent.parent
TEXT_MODULES = sorted(m.name for m in pkgutil.iter_modules(texts_pkg.__path__))
SMALL = dict(epochs=12, n_checkpoints=4, grid_size=12, n_samples=120)


def tables() -> dict[str, dict[str, dict[str, str]]]:
    """Every ``{lang: {key: text}}`` table of ``explorer/texts``, by ``module.NAME``."""
    out = {}
    for name in TEXT_MODULES:
        mod = importlib.import_module(f"explorer.texts.{name}")
        for attr, value in vars(mod).items():
            if (attr.isupper() and isinstance(value, dict) and DEFAULT_LANG in value
                    and all(isinstance(v, dict) for v in value.values())):
                out[f"{name}.{attr}"] = value
    return out


@pytest.fixture
def xx(monkeypatch):
    """The language "xx": every table's English text with MARK in front."""
    monkeypatch.setitem(texts_pkg.LANGS, "xx", "Test language")
    for table in tables().values():
        monkeypatch.setitem(table, "xx", {k: MARK + v for k, v in table[DEFAULT_LANG].items()})
    return "xx"


def marked(chart) -> list[str]:
    """Every marked string of a chart's Vega-Lite spec (titles, axes, data, tooltips)."""
    found: list[str] = []

    def walk(v):
        if isinstance(v, str):
            if MARK in v:
                found.append(v)
        elif isinstance(v, dict):
            for w in v.values():
                walk(w)
        elif isinstance(v, list):
            for w in v:
                walk(w)

    walk(chart.to_dict())
    return found


@pytest.fixture(scope="module")
def rec():
    return train(TrainConfig(hidden=(6, 6), **SMALL))


def test_every_table_is_found():
    names = tables()
    assert "charts.TEXT" in names and "lesson.TEXT" in names and "nav.TITLES" in names
    assert len(names) >= len(TEXT_MODULES) - 1  # every module but the package's has a table


def test_every_key_resolves_in_the_new_language(xx):
    for name, table in tables().items():
        for key in table[DEFAULT_LANG]:
            assert lookup(table, key, xx).startswith(MARK), (name, key)


def test_without_the_fixture_xx_falls_back_to_english():
    for name, table in tables().items():
        for key, text in table[DEFAULT_LANG].items():
            assert lookup(table, key, "xx") == text, (name, key)


def test_core_charts_speak_the_new_language(xx, rec):
    for chart in (core.boundary_chart(rec, lang=xx), core.loss_chart(rec, lang=xx),
                  core.grad_hist_row(rec, lang=xx), core.act_hist_row(rec, lang=xx),
                  compare.grad_hist_column(rec, lang=xx)):
        assert marked(chart), chart
    assert all(c.startswith(MARK) for c in core.layer_table(rec, lang=xx).columns)
    line = core.summary_line(rec, lang=xx)
    assert line.startswith(MARK) and line.endswith(MARK + ".")
    assert core.summary_line(rec, lang="en").count(MARK) == 0


def test_lab_and_network_charts_speak_the_new_language(xx, rec):
    assert marked(network.network_chart(rec, lang=xx))
    assert network.caption(xx).startswith(MARK)
    states = dead_lab.unit_states(rec)
    assert marked(dead.unit_map(states, lang=xx))
    assert marked(dead.dead_lines(dead_lab.dead_curve([rec]), lang=xx))
    profile = vanishing_lab.depth_profile([rec])
    assert marked(vanishing.depth_chart(profile, lang=xx))


def test_lesson_verdicts_and_charts_speak_the_new_language(xx):
    for n in (1, 7):
        s = lesson.step(n)
        r = s.run(0)
        text = lesson.verdict_text(s, r, xx)
        assert text.startswith(MARK) and MARK in text, text
        assert lesson.verdict_text(s, r, "en").count(MARK) == 0
        assert marked(s.chart(r, xx, 500, 300)), s.name


def test_registries_and_messages_speak_the_new_language(xx):
    for p in PRESETS:
        assert p.title(xx).startswith(MARK) and p.description(xx).startswith(MARK)
    for spec in DATASETS:
        assert spec.label_for(xx).startswith(MARK) and spec.description_for(xx).startswith(MARK)
    iris = make_data("iris", 150, 0.0, 0.25, 3, 0)
    features, classes = display_names(iris, xx)
    assert all(f.startswith(MARK) for f in features) and all(c.startswith(MARK) for c in classes)
    assert TrainConfig(hidden=()).label(xx).startswith(MARK)
    assert run_label(TrainConfig(hidden=()).label(), xx).startswith(MARK)
    assert message("empty", xx).startswith(MARK)


# ------------------------------------------------------------------- no translations in code
CJK = re.compile(r"[\u4e00-\u9fff\u3001-\u3003\uff01-\uff1f]")  # ideographs, 、。 and ，：；？！
#: where translations and language codes may live
EXEMPT = ("explorer/texts/",)


def code_files() -> list[str]:
    files = [*ROOT.glob("explorer/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "streamlit_app.py"]
    rel = sorted(str(p.relative_to(ROOT)) for p in files if p.exists())
    return [f for f in rel if not f.startswith(EXEMPT)]


def language_codes(src: str) -> list[str]:
    """String constants that name a language other than English (``"zh"``), and names that
    end in one (``title_zh``, ``FIELD_HELP_ZH``)."""
    other = sorted(set(texts_pkg.LANGS) - {DEFAULT_LANG})
    found = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Constant) and node.value in other:
            found.append(f"line {node.lineno}: {node.value!r}")
        name = getattr(node, "id", None) or getattr(node, "attr", None) or getattr(node, "name", None)
        if isinstance(name, str) and any(name.lower().endswith("_" + c) or
                                         name.lower().startswith(c + "_") for c in other):
            found.append(f"line {node.lineno}: {name}")
    return found


def check_file(path: str) -> list[str]:
    src = (ROOT / path).read_text(encoding="utf-8")
    problems = [f"line {i}: {line.strip()[:60]}" for i, line in enumerate(src.splitlines(), 1)
                if CJK.search(line)]
    return problems + language_codes(src)


@pytest.mark.parametrize("path", code_files())
def test_no_translation_outside_texts(path):
    assert not check_file(path), check_file(path)


def test_the_check_can_fail():
    """The checks above find a translation and a language branch when there is one."""
    bad = 'TITLE_ZH = "标题"\n\ndef f(lang):\n    return "a" if lang == "zh" else "b"\n'
    assert CJK.search(bad)
    assert len(language_codes(bad)) == 2
    assert not language_codes('def f(lang):\n    return lookup(TEXT, "a", lang)\n')


# ------------------------------------------------------------------- every page in the new language
#: small runs, so that rendering every page stays cheap
PAGE_QUERY = {"epochs": "8", "n_checkpoints": "3", "grid_size": "10", "n_samples": "100"}


def page_strings(at) -> list[str]:
    """The text of every element AppTest sees that carries text (titles, markdown, captions,
    widget labels, notices)."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "button", "selectbox", "toggle", "checkbox", "slider",
                 "radio", "multiselect", "number_input", "expander", "tabs"):
        for el in getattr(at, kind, []):
            for attr in ("value", "label"):
                v = getattr(el, attr, None)
                if isinstance(v, str):
                    out.append(v)
    return out


@pytest.mark.parametrize("page", [name for name, _icon in PAGES])
def test_every_page_renders_in_the_new_language(xx, page):
    """A language added as data (the fixture) reaches every page: it renders without an
    error, its title and most of its texts are the new language's."""
    from pagetest import no_errors, page_file
    from pagetest import run as run_page

    at = run_page(page_file(page), {"lang": xx, **PAGE_QUERY})
    no_errors(at)
    strings = [s for s in page_strings(at) if s.strip()]
    assert at.title and at.title[0].value.startswith(MARK), [t.value for t in at.title]
    ours = [s for s in strings if MARK in s]
    assert len(ours) >= 3 and len(ours) >= len(strings) // 2, (len(ours), len(strings))
