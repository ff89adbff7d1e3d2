"""Issue 11, item 3 (and the chart side of item 2): charts fixed for the lecture.

Every chart is built from real small training runs (``explorer.train``) and checked through its
Vega-Lite spec (``chart.to_dict()``):

* no clipped bars: a bar chart's fixed y domain holds every bar (the "exactly 0" bar of the
  gradient histograms at lr 3 included);
* divergence labels never overlap and use a neutral colour;
* one number format: every numeric axis is labelled by the one helper (``core.NUM_EXPR``,
  ``core.tick_label_expr``) or the one percent format;
* signed histograms: colour-blind-safe colours that are no activation's colour;
* the loss chart of many runs: train and test in two panels, legend at the plot's side;
* titles never cut with "…": every title line fits its chart's width (both languages);
* projector mode: every chart text at least 16 px;
* widths: a chart is never wider than the width the page gives it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import altair as alt
import numpy as np
import pytest

from explorer import TrainConfig, train
from explorer import compare as cmp
from explorer.charts import compare as cc
from explorer.charts import core, dead, gallery, palette, vanishing, zigzag
from explorer.labs import cost as cost_lab
from explorer.labs import dead as dead_lab
from explorer.labs import gallery as gallery_lab
from explorer.labs import vanishing as vanishing_lab
from explorer.labs import zigzag as zz
from explorer.texts.gallery import TEXT as GALLERY_TEXT
from explorer.texts.zigzag import TEXT as ZIGZAG_TEXT

SMALL = dict(epochs=20, n_checkpoints=5, grid_size=20, n_samples=120)
LANGS = ("en", "zh")


def translator(table: dict, lang: str) -> Callable[..., str]:
    def t(key: str, **fmt) -> str:
        s = table.get(lang, table["en"]).get(key, table["en"].get(key, key))
        return s.format(**fmt) if fmt else s
    return t


# ------------------------------------------------------------------------------ runs
@pytest.fixture(scope="module")
def rec_lr3():
    """ReLU at learning rate 3: most of hidden layer 2's weight gradients are exactly 0."""
    return train(TrainConfig(lr=3.0, **SMALL))


@pytest.fixture(scope="module")
def rec():
    return train(TrainConfig(**SMALL))


@pytest.fixture(scope="module")
def five():
    """Compare's default five activations (small runs)."""
    base = TrainConfig(**SMALL)
    return [train(base.replace(activation=a))
            for a in ("sigmoid", "tanh", "relu", "leaky_relu", "maxout")]


@pytest.fixture(scope="module")
def diverged():
    """Two runs that blow up one epoch apart (learning rate 10 and 5 on a linear net)."""
    runs = [train(TrainConfig(activation="identity", lr=lr, **SMALL)) for lr in (10.0, 5.0)]
    assert all(r.diverged_at is not None for r in runs)
    assert runs[0].diverged_at != runs[1].diverged_at
    return runs


@pytest.fixture(scope="module")
def charts(rec, rec_lr3, five, diverged):
    """Every chart builder's chart, in both languages: {(name, lang): (chart, width)} where
    width is the width the builder was asked to fit (None: not width-bound)."""
    out: dict[tuple[str, str], tuple[alt.TopLevelMixin, float | None]] = {}
    dead_recs = [train(TrainConfig(activation=a, lr=3.0, **SMALL)) for a in ("relu", "leaky_relu")]
    van_cfgs, _ = vanishing_lab.page_configs(TrainConfig(**SMALL), ["sigmoid", "relu"], 4, 8)
    van_recs = [train(c) for c in van_cfgs]
    sweep_cfgs, _ = cmp.configs_for(TrainConfig(epochs=10, n_checkpoints=5, n_samples=120,
                                                grid_size=10), ["sigmoid", "tanh", "relu"])
    hist = cmp.run_sweep(sweep_cfgs, 2)
    runs = cmp.sweep_runs(hist, 0.9)
    stats = cmp.sweep_stats(runs, ["sigmoid", "tanh", "relu"])
    strip = cmp.strip_frame(runs, cc.never_x(10))
    zruns = {k: zz.run_neuron(k, 0.5, 200, 0) for k in zz.INPUT_KINDS}
    box = zz.bounds(zruns)
    paths = zz.path_frame(zruns)
    grid = zz.loss_grid("positive", 0, "linear", box, n=20)
    zsweep = zz.seed_sweep(0.5, 50, 0, "linear", zz.INPUT_KINDS, n_seeds=2)
    net = [train(c) for c in zz.net_configs(zz.NET_BASE.replace(epochs=10, n_checkpoints=3))]
    layers = zz.same_sign_layers(net)
    names = ["sigmoid", "tanh", "relu", "maxout", "gelu"]
    curves = gallery_lab.curves(names, None, 6.0)
    table = gallery_lab.summary(names, None, 0.0, 5.0)
    cost = cost_lab.measure_cost(names, n=2048, rounds=1)
    pdf = gallery.pdf_frame(0.0, 1.0, 6.0)
    col_w = cmp.chart_width(5)
    for lang in LANGS:
        zt, gt = translator(ZIGZAG_TEXT, lang), translator(GALLERY_TEXT, lang)
        c = {
            "boundary": (core.boundary_chart(rec, lang=lang, width=380), 380),
            "boundary_narrow": (core.boundary_chart(rec, lang=lang, width=160, legend=False),
                                160),
            "loss": (core.loss_chart(rec, lang=lang, width=420), 420),
            "acc": (core.loss_chart(rec, metric="acc", lang=lang, width=420), 420),
            "loss_five": (core.loss_chart(five, lang=lang, width=560), 560),
            "loss_log_five": (core.loss_chart(five, log_scale=True, lang=lang, width=560), 560),
            "acc_five": (core.loss_chart(five, metric="acc", lang=lang, width=560,
                                         legend=False), 560),
            "loss_diverged": (core.loss_chart(diverged, lang=lang), 420),
            "grad_row": (core.grad_hist_row(rec_lr3, lang=lang), None),
            "grad_row_signed": (core.grad_hist_row(rec_lr3, signed=True, lang=lang), None),
            "grad_row_narrow": (core.grad_hist_row(rec_lr3, lang=lang, width_per_layer=64),
                                None),
            "act_row": (core.act_hist_row(rec_lr3, lang=lang), None),
            "grad_column": (cc.grad_hist_column(rec_lr3, lang=lang, width=col_w,
                                                y_max=cmp.grad_y_max(five)), None),
            "grad_column_low_top": (cc.grad_hist_column(rec_lr3, lang=lang, width=120,
                                                        y_max=0.3), None),
            "sweep": (cc.sweep_chart(strip, stats, ["sigmoid", "tanh", "relu"], 10, "90",
                                     lang=lang), 760),
            "dead_lines": (dead.dead_lines(dead_lab.dead_curve(dead_recs), lang=lang), 520),
            "dead_loss": (dead.cap_loss_axis(core.loss_chart(dead_recs, lang=lang), 1.0), 420),
            "unit_map": (dead.unit_map(dead_lab.unit_states(dead_recs[0]), lang=lang,
                                       title="ReLU"), None),
            "depth": (vanishing.depth_chart(vanishing_lab.depth_profile(van_recs), lang=lang,
                                            width=300), None),
            "depth_total": (vanishing.depth_chart(vanishing_lab.depth_profile(van_recs),
                                                  lang=lang, total_width=900), 900),
            "contour": (zigzag.contour_chart(grid, paths, "positive", zt, box,
                                             title=zt("kind.positive"),
                                             subtitle=zt("contour.sub_reached", n=12,
                                                         tol=zz.TOL), width=380), None),
            "distance": (zigzag.distance_chart(paths, list(zz.INPUT_KINDS), zt, zz.TOL,
                                               width=300), None),
            "quadrants": (zigzag.quadrant_chart(zz.quadrant_table(zruns), list(zz.INPUT_KINDS),
                                                zt, width=300), None),
            "zz_sweep": (zigzag.sweep_chart(zsweep, list(zz.INPUT_KINDS), zt, 50, width=300),
                         None),
            "zz_layers": (zigzag.layer_chart(layers, "per_batch", zt, zt("chart.batch"),
                                             zt("chart.batch_sub"), width=420), None),
            "panel": (gallery.panel_chart(curves[curves["name"] == "gelu"], gt, pdf,
                                          title="GELU (tanh approx.)",
                                          subtitle=gt("flat_share", flat="12.3%",
                                                      zero="0.0%"), width=220), None),
            "overlay": (gallery.overlay_chart(curves, "df", gt, pdf=pdf,
                                              title=gt("overlay_df"), width=400), None),
            "share": (gallery.share_chart(table, gt, width=400), None),
            "cost": (gallery.cost_chart(cost, gt, width=400), None),
        }
        c["ratio"] = (cc.ratio_chart(stats, "relu", width=360, lang=lang), 360)
        for name, v in c.items():
            out[(name, lang)] = v
    return out


# ------------------------------------------------------------------------------ spec walking
def units(spec: dict, data: str | None = None, width: float | None = None,
          ) -> Iterator[tuple[dict, str | None, float | None]]:
    """Every view of a spec with the name of the data it draws and its nearest width."""
    data = (spec.get("data") or {}).get("name", data)
    width = spec.get("width", width) if isinstance(spec.get("width"), (int, float)) else width
    yield spec, data, width
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from units(child, data, width)


def rows(top: dict, name: str | None) -> list[dict]:
    return top.get("datasets", {}).get(name, []) if name else []


def axes(spec: dict) -> Iterator[tuple[str, dict, dict]]:
    """(channel, encoding, axis dict) of every positional channel with an axis."""
    for view, _d, _w in units(spec):
        for ch in ("x", "y"):
            enc = (view.get("encoding") or {}).get(ch)
            if isinstance(enc, dict) and isinstance(enc.get("axis"), dict):
                yield ch, enc, enc["axis"]


def titles(spec: dict, width: float | None = None) -> Iterator[tuple[dict, float | None]]:
    for view, _d, w in units(spec, width=width):
        if isinstance(view.get("title"), dict):
            yield view["title"], w


def lines(text) -> list[str]:
    return [text] if isinstance(text, str) else list(text or [])


def font_sizes(node) -> Iterator[float]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("datasets", "data"):
                continue
            if k in core.FONT_KEYS and isinstance(v, (int, float)):
                yield float(v)
            else:
                yield from font_sizes(v)
    elif isinstance(node, list):
        for v in node:
            yield from font_sizes(v)


# ------------------------------------------------------------------------------ no clipped bars
def test_lr3_zero_bar_is_the_big_one(rec_lr3):
    """The premise: at lr 3 the 'exactly 0' bar is far above every other bar."""
    fr = core.grad_fractions(rec_lr3)
    zero = fr[fr["bin_lo"] == core.ZERO_LO]["pos"].max()
    other = (fr[fr["bin_lo"] != core.ZERO_LO]["pos"] + fr[fr["bin_lo"] != core.ZERO_LO]["neg"])
    assert zero > 0.6 and zero > 1.5 * other.max()


@pytest.mark.parametrize("epoch", [0, None])
@pytest.mark.parametrize("signed", [False, True])
def test_gradient_histogram_domains_hold_every_bar(rec_lr3, signed, epoch):
    for ep in rec_lr3.checkpoints if epoch is None else [0]:
        d = core.grad_hist_row(rec_lr3, ep, signed=signed).to_dict()
        checked = _check_bar_domains(d)
        assert checked >= rec_lr3.n_hidden + 1


def _check_bar_domains(d: dict) -> int:
    """Assert that every bar (rect/bar mark) lies inside its fixed y domain; return the
    number of bar views checked."""
    n = 0
    for view, data, _w in units(d):
        mark = view.get("mark")
        mtype = mark.get("type") if isinstance(mark, dict) else mark
        enc = view.get("encoding") or {}
        y = enc.get("y") or {}
        dom = (y.get("scale") or {}).get("domain")
        if mtype not in ("rect", "bar") or not isinstance(dom, list) or "field" not in y \
                or view.get("transform"):  # heatmap cells (computed edges), not bars
            continue
        lo, hi = sorted(float(v) for v in dom)
        fields = [y["field"]] + ([enc["y2"]["field"]] if "field" in enc.get("y2", {}) else [])
        vals = [float(r[f]) for r in rows(d, data) for f in fields if r.get(f) is not None]
        assert vals, view
        assert lo - 1e-12 <= min(vals) and max(vals) <= hi + 1e-12, (y["field"], dom,
                                                                     min(vals), max(vals))
        n += 1
    return n


def test_every_fixed_domain_bar_chart_holds_its_bars(charts):
    checked = 0
    for (_name, _lang), (chart, _w) in charts.items():
        checked += _check_bar_domains(chart.to_dict())
    assert checked > 20


def test_compare_column_grows_past_a_low_shared_top(rec_lr3):
    d = cc.grad_hist_column(rec_lr3, y_max=0.3).to_dict()
    assert _check_bar_domains(d) == rec_lr3.n_hidden + 1
    # with the page's shared tops the columns keep one scale per layer
    five_tops = cmp.grad_y_max([rec_lr3])
    e = cc.grad_hist_column(rec_lr3, y_max=five_tops).to_dict()
    doms = [v["encoding"]["y"]["scale"]["domain"][1] for v in e["vconcat"]]
    assert doms == [pytest.approx(five_tops[i + 1]) for i in range(len(doms))]


# ------------------------------------------------------------------------------ divergence labels
def _delta_e(a: str, b: str) -> float:
    return math.dist(_lab(a), _lab(b))


def _linear(h: str) -> np.ndarray:
    c = np.array([int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)], dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab_from_linear(rgb: np.ndarray) -> tuple[float, float, float]:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                  [0.0193, 0.1192, 0.9505]])
    x, y, z = m @ np.clip(rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _lab(h: str) -> tuple[float, float, float]:
    return _lab_from_linear(_linear(h))


def test_divergence_labels_do_not_overlap_and_are_neutral(diverged):
    for lang in LANGS:
        d = core.loss_chart(diverged, lang=lang).to_dict()
        texts = [v for v in d["layer"] if (v.get("mark") or {}).get("type") == "text"]
        assert len(texts) == 2
        for v in texts:
            assert all(_delta_e(v["mark"]["color"], c) >= 20
                       for c in palette.ACTIVATION_COLORS.values())
        # one row each, further apart than the text is tall (in projector mode too)
        rows_dy = sorted(v["mark"]["dy"] for v in texts)
        size = max(v["mark"]["fontSize"] for v in texts)
        projector = max(size * core.PROJECTOR_FACTOR, core.PROJECTOR_MIN_FONT)
        assert rows_dy[1] - rows_dy[0] >= 1.2 * projector
        # left half of the plot: the label runs to the right of its rule (not over the axis)
        for v in texts:
            epoch = rows(d, v["data"]["name"])[0]["epoch"]
            assert (v["mark"]["align"] == "left") == (epoch <= diverged[0].config.epochs / 2)
        labels = [rows(d, v["data"]["name"])[0]["text"] for v in texts]
        assert all(r.label_for(lang) in lab for r, lab in zip(diverged, labels, strict=True))
    single = core.loss_chart(diverged[0]).to_dict()
    t = [v for v in single["layer"] if (v.get("mark") or {}).get("type") == "text"]
    assert rows(single, t[0]["data"]["name"])[0]["text"] == \
        f"diverged @ {diverged[0].diverged_at}"


# ------------------------------------------------------------------------------ number format
@pytest.mark.parametrize("v, want", [(0.0228, "0.0228"), (2500, "2500"), (3.1e-5, "3.1×10⁻⁵"),
                                     (1e-3, "10⁻³"), (-0.5, "−0.5"), (0, "0"), (1, "1"),
                                     (12345, "1.2×10⁴"), (1e-12, "10⁻¹²"),
                                     (float("inf"), "—")])
def test_fmt_num(v, want):
    assert core.fmt_num(v) == want
    assert core.fmt_sci(v) == want


def test_every_numeric_axis_uses_the_one_format(charts):
    seen = 0
    for (name, lang), (chart, _w) in charts.items():
        for ch, enc, axis in axes(chart.to_dict()):
            if enc.get("type") != "quantitative" or axis.get("labels") is False:
                continue
            assert core.is_shared_format(axis), (name, lang, ch, axis.get("format"),
                                                 str(axis.get("labelExpr"))[:80])
            seen += 1
    assert seen > 60


def test_hand_placed_ticks_are_labelled_by_fmt_num():
    ticks, expr = core.log_tick_expr(3)
    assert core.is_shared_format({"labelExpr": expr})
    for t in ticks[1:]:
        assert f"'{core.fmt_num(10.0 ** t)}'" in expr
    assert not core.is_shared_format({"labelExpr": "format(datum.value, '.0e')"})
    assert not core.is_shared_format({"format": "~g"})


# ------------------------------------------------------------------------------ signed colours
#: Machado et al. (2009) full-severity dichromacy matrices, on linear RGB
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def test_signed_histogram_colours_are_cvd_safe_and_no_activations(rec):
    d = core.grad_hist_row(rec, signed=True).to_dict()
    bars = d["hconcat"][0]["layer"][0]["encoding"]["color"]["scale"]
    signed = dict(zip(bars["domain"], bars["range"], strict=True))
    pos, neg = signed["positive"], signed["negative"]
    acts = {c.lower() for c in palette.ACTIVATION_COLORS.values()}
    assert pos.lower() not in acts and neg.lower() not in acts
    for c in (pos, neg):  # not even close to an activation's or a class's colour
        assert min(_delta_e(c, a) for a in acts | set(palette.CLASS_COLORS[:2])) >= 20
    for name, m in CVD.items():  # still far apart for colour-blind viewers
        a = _lab_from_linear(np.array(m) @ _linear(pos))
        b = _lab_from_linear(np.array(m) @ _linear(neg))
        assert math.dist(a, b) >= 40, name


# ------------------------------------------------------------------------------ loss chart
def test_many_runs_split_train_and_test_with_a_side_legend(five):
    d = core.loss_chart(five, width=560).to_dict()
    assert len(d["hconcat"]) == 2
    names = []
    for panel in d["hconcat"]:
        view, data, _w = next(u for u in units(panel, (d.get("data") or {}).get("name"))
                              if (u[0].get("mark") or {}).get("type") == "line")
        got = {r["curve"] for r in rows(d, data)}
        assert len(got) == 1
        names.append(got.pop())
        assert {r["run"] for r in rows(d, data)} == {r.label for r in five}
    assert names == ["train", "test"]
    legends = [a["encoding"]["color"].get("legend") for a in
               (p["layer"][0] for p in d["hconcat"])]
    assert all(lg is None or lg.get("orient") == "right" for lg in legends)
    assert any(lg for lg in legends)
    assert d["resolve"]["scale"]["y"] == "shared"
    # the page's cap on the loss axis reaches both panels
    capped = dead.cap_loss_axis(core.loss_chart(five), 0.5).to_dict()
    assert all(p["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0.0, 0.5]
               for p in capped["hconcat"])


def test_one_run_has_its_legend_on_top(rec):
    d = core.loss_chart(rec).to_dict()
    leg = d["layer"][0]["encoding"]["strokeDash"]["legend"]
    assert leg["orient"] == "top"
    assert d["layer"][0]["encoding"]["color"].get("legend") is None


# ------------------------------------------------------------------------------ titles fit
def test_wrap_text_counts_cjk_double():
    en = core.wrap_text("ab " * 20, 100, 10)
    zh = core.wrap_text("梯" * 40, 100, 10)
    assert len(zh) > len(en) > 1
    assert all(core.text_px(x, 10) <= 100 for x in en + zh)
    assert "".join(zh) == "梯" * 40 and " ".join(en) == ("ab " * 20).strip()
    assert core.wrap_text("one two three", 1000, 13) == ["one two three"]


def test_titles_fit_their_chart_width(charts):
    checked = 0
    for (name, lang), (chart, width) in charts.items():
        for title, w in titles(chart.to_dict(), width):
            if w is None:
                continue
            limit = title.get("limit")
            assert limit in (None, 0) or limit >= w, (name, lang, limit)
            size = title.get("fontSize", 13)
            sub_size = title.get("subtitleFontSize", 12)
            for line in lines(title.get("text")):
                assert core.text_px(line, size) <= w + 10, (name, lang, line, w)
            for line in lines(title.get("subtitle")):
                assert core.text_px(line, sub_size) <= w + 10, (name, lang, line, w)
            checked += 1
    assert checked > 40


def test_long_titles_wrap_instead_of_being_cut():
    t = translator(ZIGZAG_TEXT, "zh")
    d = zigzag.layer_chart(_fake_layers(), "per_batch", t, t("chart.batch"),
                           t("chart.batch_sub"), width=200).to_dict()
    assert isinstance(d["title"]["text"], list) or isinstance(d["title"]["subtitle"], list)
    assert d["title"]["limit"] == 0


def _fake_layers():
    import pandas as pd
    return pd.DataFrame({"activation": ["sigmoid", "tanh"], "label": ["Sigmoid", "tanh"],
                         "layer": [1, 1], "layer_name": ["hidden 1", "hidden 1"],
                         "per_sample": [0.5, 0.2], "per_batch": [0.4, 0.1]})


# ------------------------------------------------------------------------------ projector
def test_projector_text_is_at_least_16px(charts):
    for (name, lang), (chart, _w) in charts.items():
        spec = core.projector_spec(chart)
        sizes = list(font_sizes(spec))
        assert sizes and min(sizes) >= core.PROJECTOR_MIN_FONT, (name, lang, min(sizes))
        for part in ("axis", "legend", "title", "header", "text"):
            assert all(v >= 16 for v in spec["config"][part].values())


def test_projector_spec_scales_and_leaves_sizes(rec):
    chart = core.loss_chart(rec, width=400, height=200)
    spec = core.projector_spec(chart.to_dict())
    assert spec["width"] == 400 and spec["height"] == 200
    ax = spec["layer"][0]["encoding"]["x"]["axis"]
    assert ax["labelFontSize"] == round(core.FONT * core.PROJECTOR_FACTOR, 1)


# ------------------------------------------------------------------------------ widths
@pytest.mark.parametrize("n", [2, 5, 6])
def test_compare_columns_fit(five, n):
    """Compare's column charts are no wider than the column the page gives them (Maxout's
    too: its boundary is drawn exactly as wide as the others)."""
    for main in cmp.MAIN_WIDTH.values():
        col = cmp.column_px(n, main)
        for r in five[:n]:
            b = core.boundary_chart(r, width=col - 8, height=col - 64, legend=False).to_dict()
            assert b["width"] <= col and b["autosize"]["type"] == "fit-x"
            w = cmp.chart_width(n, main)
            g = cc.grad_hist_column(r, width=w).to_dict()
            y_axis = 45  # "100%" at the axis font, plus ticks
            assert all(v["width"] + y_axis <= col for v in g["vconcat"])


def test_depth_chart_total_width(five):
    cfgs, _ = vanishing_lab.page_configs(TrainConfig(**SMALL), ["sigmoid", "relu"], 4, 8)
    prof = vanishing_lab.depth_profile([train(c) for c in cfgs])
    d = vanishing.depth_chart(prof, total_width=900).to_dict()
    panels = [p["width"] for p in d["hconcat"]]
    assert len(panels) == 2 and sum(panels) + 24 + 2 * 70 + 40 <= 900
