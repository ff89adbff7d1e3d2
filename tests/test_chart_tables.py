"""Every chart's data as a table (WCAG 2.1 AA, issue 29): on every page, each chart
(``vega_lite_chart``) has next to it a folded table of its own data, the numbers the chart
draws (its spec's data sets, thinned to at most ``tables.MAX_ROWS`` rows), and the live
player has the table of its run(s). The tables come from the cached views (test_warm_visits
counts the work of a warm visit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from explorer import TrainConfig, lesson, train
from explorer.app import display, memo
from explorer.charts import core, tables
from explorer.texts.common import TEXT as COMMON
from tests.pagetest import no_errors, page_file, run

PAGES = ["playground", "compare", "vanishing", "zigzag", "dead_relu", "gallery", "lesson",
         "home"]
PLAYER_PAGES = {"playground", "compare"}
EXPORT_PAGES = {"playground", "compare", "vanishing", "zigzag", "dead_relu"}


def _nodes(node):
    kids = getattr(node, "children", None) or {}
    for k in sorted(kids):
        yield kids[k]
        yield from _nodes(kids[k])


def _label_start(lang: str, key: str) -> str:
    return COMMON[lang][key].split("{")[0]


def chart_blocks(at, lang: str = "en") -> list[tuple]:
    """(chart element, its expander of tables or None) for every chart of the page: the
    chart and its tables share one block, the tables right after the chart."""
    out = []
    for node in _nodes(at.main):
        kids = [node.children[k] for k in sorted(getattr(node, "children", None) or {})]
        for i, kid in enumerate(kids):
            if getattr(kid, "type", None) != "vega_lite_chart":
                continue
            nxt = kids[i + 1] if i + 1 < len(kids) else None
            ok = nxt is not None and getattr(nxt, "type", None) == "expander" and \
                nxt.label.startswith(_label_start(lang, "chart.table"))
            out.append((kid, nxt if ok else None))
    return out


def spec_data(chart) -> list[pd.DataFrame]:
    """The data sets a chart element sends to the browser (Arrow bytes)."""
    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]


def _same(a: pd.Series, b: pd.Series) -> bool:
    if len(a) != len(b):
        return False
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        return np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=0, atol=0, equal_nan=True)
    return list(a.astype(str)) == list(b.astype(str))


def matches(table: pd.DataFrame, data: list[pd.DataFrame]) -> bool:
    """True if every column of ``table`` is a column of one of the chart's data sets (every
    ``step``-th row when thinned), rows in order; a column naming the part of the chart
    (the first, when the table joins data sets of several parts) excepted."""
    for step in range(1, sum(len(d) for d in data) // max(1, len(table)) + 2):
        for first in (0, 1):  # (a part column first)
            cols = list(table.columns[first:])
            if not cols:
                continue
            joined = [d.iloc[::step].reset_index(drop=True) for d in data]
            if first:  # joined parts: the data sets one after the other, same columns
                groups = {}
                for d in data:
                    groups.setdefault(tuple(d.columns), []).append(d)
                joined += [pd.concat(g, ignore_index=True).iloc[::step].reset_index(drop=True)
                           for g in groups.values()]
            for d in joined:
                if len(d) == len(table) and all(any(_same(table[c], d[f]) for f in d.columns)
                                                for c in cols):
                    return True
    return False


@pytest.fixture(scope="module")
def pages():
    memo.VIEWS.clear()
    out = {}
    for page in PAGES:
        at = run(page_file(page))
        no_errors(at)
        out[page] = at
    return out


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_has_its_data_as_a_table(page, pages):
    at = pages[page]
    blocks = chart_blocks(at)
    charts = at.get("vega_lite_chart")
    assert len(blocks) == len(charts)
    assert all(box is not None for _, box in blocks), \
        [c.proto.spec[:80] for c, box in blocks if box is None]
    n_tables = sum(len(box.get("dataframe")) for _, box in blocks)
    assert n_tables >= len(charts)
    checked = 0
    for chart, box in blocks:  # every table: numbers of its chart's data, in order
        data = spec_data(chart)
        for frame in box.get("dataframe"):
            assert len(frame.value) <= tables.MAX_ROWS
            assert matches(frame.value, data), (page, box.label, list(frame.value.columns))
            checked += 1
    assert checked >= len(charts)
    if page in EXPORT_PAGES:  # the export's file linked under the run's charts
        links = [b for _, box in blocks for b in box.get("download_button")]
        assert links and all(b.label == COMMON["en"]["export_history"] for b in links)
    if page == "home":
        assert not charts  # (nothing drawn: nothing to tabulate)


@pytest.mark.parametrize("page", sorted(PLAYER_PAGES))
def test_the_players_numbers_as_a_table(page, pages):
    at = pages[page]
    box = [e for e in at.expander if e.label == COMMON["en"]["chart.table_player"]]
    assert len(box) == 1
    frame = box[0].get("dataframe")[0].value
    # the training loss per epoch as the loss chart draws it (both from the record's history)
    loss = next(c for c, _ in chart_blocks(at) if '"Loss' in c.proto.spec)
    curves = pd.concat([d for d in spec_data(loss) if {"epoch", "curve", "value"} <= set(d.columns)],
                       ignore_index=True)
    train_curve = curves[curves["curve"] == "train"]
    run_col = [c for c in frame.columns if c == "run"]
    first = train_curve[train_curve["run"] == train_curve["run"].iloc[0]]
    shown = frame[frame["run"] == frame["run"].iloc[0]] if run_col else frame
    assert shown["epoch"].tolist() == first["epoch"].tolist()
    assert np.array_equal(shown["training loss"].to_numpy(float), first["value"].to_numpy(float))
    assert sum(c.startswith("‖g‖ ") for c in frame.columns) >= 2  # every layer's gradient norm
    # and the boundary canvas's numbers: the last snapshot's grid, every run (Compare's too)
    grid = box[0].get("dataframe")[1].value
    assert {"x1", "x2", "predicted class"} <= set(grid.columns)
    assert grid["epoch"].nunique() == 1 and len(grid) > 100


def test_tables_in_chinese_and_projector_mode():
    at = run(page_file("vanishing"), {"lang": "zh", "projector": "1"})
    no_errors(at)
    blocks = chart_blocks(at, "zh")
    assert blocks and all(box is not None for _, box in blocks)
    assert not [b for _, box in blocks for b in box.get("download_button")]  # (no export)
    head = COMMON["zh"]["chart.table"].split("{")[0]
    assert all(box.label.startswith(head) for _, box in blocks)


def test_the_check_can_fail(pages):
    """A table that is not the chart's data, or a chart without its table, is caught."""
    at = pages["playground"]
    chart, box = chart_blocks(at)[1]  # the loss curves
    data = spec_data(chart)
    frame = box.get("dataframe")[0].value
    assert matches(frame, data)
    other = frame.copy()
    num = [c for c in other.columns if pd.api.types.is_numeric_dtype(other[c])][-1]
    other[num] = other[num] * 1.01
    assert not matches(other, data)
    assert not matches(frame.iloc[1:], data)


def test_a_page_without_tables_fails_the_count(monkeypatch):
    monkeypatch.setattr(display, "data_tables", lambda *a, **k: None)
    at = run(page_file("lesson"))
    no_errors(at)
    assert [box for _, box in chart_blocks(at)] == [None]


# ----------------------------------------------------------------------------- the builder
@pytest.fixture(scope="module")
def rec():
    return train(TrainConfig(epochs=5, n_checkpoints=3, n_samples=100))


def test_a_long_table_is_thinned_and_says_so(rec):
    memo.VIEWS.clear()
    spec = display.spec(core.boundary_chart, rec, None)
    grid = tables.spec_frames(spec)
    out = tables.chart_tables(spec, max_rows=300)
    big = max(out, key=lambda t: t.rows)
    assert big.rows == max(len(d) for d in grid.values()) and big.rows > 300
    assert big.step == -(-big.rows // 300) and len(big.frame) <= 300
    assert matches(big.frame, list(grid.values()))
    assert all(t.step == 1 for t in out if t.rows <= 300)


def test_the_tables_are_built_with_the_spec_and_cached(rec):
    memo.VIEWS.clear()
    spec = display.spec(core.loss_chart, rec, width=300, height=200)
    assert isinstance(spec, display.Spec) and spec.tables
    assert display.spec(core.loss_chart, rec, width=300, height=200).tables is spec.tables
    (t,) = [t for t in spec.tables if t.rows == 2 * len(rec.history)]
    assert list(t.frame.columns) == ["epoch", "run", "curve", "loss"]  # the chart's titles
    assert np.array_equal(t.frame["loss"].to_numpy()[:len(rec.history)],
                          rec.history["train_loss"].to_numpy())


def test_boundary_table_is_the_last_snapshots_grid(rec):
    other = train(rec.config.replace(activation="tanh"))
    t = tables.boundary_table([rec, other], "en", max_rows=10**6)
    g = len(rec.grid_x) * len(rec.grid_y)
    assert t.rows == 2 * g and t.step == 1
    mine = t.frame[t.frame["run"] == rec.label_for("en")]
    assert np.array_equal(mine["P(class 1)"].to_numpy(), rec.grid_p[-1].astype(np.float64))
    assert (mine["epoch"] == rec.checkpoints[-1]).all()
    assert np.array_equal(mine["x1"].to_numpy(), rec.boundary()["x"].to_numpy())
    zh = tables.boundary_table(rec, "zh")
    assert "预测类别" in zh.frame.columns and zh.rows == g and len(zh.frame) <= tables.MAX_ROWS


def test_player_table_per_run_and_language(rec):
    other = train(rec.config.replace(activation="tanh"))
    t = tables.player_table([rec, other], "zh")
    assert t.rows == len(rec.history) + len(other.history) and t.step == 1
    assert list(t.frame.columns[:3]) == ["运行", "轮次", "训练损失"]
    assert "隐藏层 1梯度范数 ‖g‖" in t.frame.columns and "输出层梯度范数 ‖g‖" in t.frame.columns
    # the gradient norm at the snapshots, empty between them
    col = t.frame["隐藏层 1梯度范数 ‖g‖"].iloc[:len(rec.history)]
    snaps = rec.layer_stats[rec.layer_stats["layer"] == 1]
    assert col.notna().sum() == len(snaps)
    assert np.allclose(col.dropna().to_numpy(), snaps["grad_norm"].to_numpy())


@pytest.mark.parametrize("step", range(1, len(lesson.STEPS) + 1))
def test_every_lesson_step_has_its_charts_data_and_its_verdict_as_text(step):
    at = run(page_file("lesson"), {"step": str(step)})
    no_errors(at)
    blocks = chart_blocks(at)
    assert blocks and all(box is not None for _, box in blocks)
    for chart, box in blocks:
        assert all(matches(f.value, spec_data(chart)) for f in box.get("dataframe"))
    # the step's verdict, computed from the run shown, is text on the page
    verdict = [n for n in _nodes(at.main) if getattr(n, "key", None) == "lesson_verdict"]
    assert verdict and any(getattr(n, "type", None) == "markdown" and n.value.strip()
                           for n in _nodes(verdict[0]))
