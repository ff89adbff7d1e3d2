"""explorer/compare.py (configs, summary, verdict, seed sweep) and explorer/charts/compare.py,
without Streamlit: constructed records and histories for the arithmetic, small real runs for
the plumbing."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from explorer import TrainConfig, train_many
from explorer import compare as cmp
from explorer.charts import compare as cc
from explorer.charts.palette import ACTIVATION_COLORS
from explorer.texts.compare import TEXT

SMALL = cmp.BASE.replace(epochs=40, n_samples=200, n_checkpoints=5, grid_size=12)


@pytest.fixture(scope="module")
def five():
    cfgs, notes = cmp.configs_for(SMALL, cmp.DEFAULT_ACTS)
    assert notes == []
    return train_many(cfgs)


# ------------------------------------------------------------------------------ configs
def test_configs_differ_only_in_activation():
    base = SMALL.replace(activation="tanh", layer_activations=("tanh", "relu"))
    cfgs, notes = cmp.configs_for(base, ["sigmoid", "relu", "maxout"])
    assert [c.activation for c in cfgs] == ["sigmoid", "relu", "maxout"]
    assert notes == []
    for c in cfgs:
        assert c.layer_activations == ()
        assert c.replace(activation="relu") == cfgs[1]


def test_configs_cap_epochs_for_everyone_when_maxout_is_over_budget():
    base = TrainConfig(hidden=(64,) * 8, n_samples=2000, epochs=1)
    big = base.replace(epochs=base.max_epochs())  # the most ReLU allows; Maxout needs 2x
    cfgs, notes = cmp.configs_for(big, ["relu", "maxout"])
    assert len({c.epochs for c in cfgs}) == 1
    assert cfgs[0].epochs < big.epochs
    assert notes and str(cfgs[0].epochs) in notes[0]


def test_configs_reject_unknown_activation():
    with pytest.raises(ValueError):
        cmp.configs_for(SMALL, ["relu", "foo"])


def test_init_resolves_per_activation():
    cfgs, _ = cmp.configs_for(SMALL, ["sigmoid", "tanh", "relu", "leaky_relu", "maxout"])
    assert [cmp.init_name(c) for c in cfgs] == ["xavier_uniform", "xavier_uniform", "he_normal",
                                                 "he_normal", "he_normal"]
    fixed, _ = cmp.configs_for(SMALL.replace(init="xavier_normal"), ["sigmoid", "relu"])
    assert {cmp.init_name(c) for c in fixed} == {"xavier_normal"}
    assert cmp.init_label(cfgs[0]).startswith("Xavier")


def test_shown_fields_exclude_the_activation_choice():
    assert "activation" not in cmp.SHOWN and "layer_activations" not in cmp.SHOWN
    assert set(cmp.ACT_PARAMS.values()).isdisjoint(cmp.SHOWN)


# ------------------------------------------------------------------------------ real runs
def test_summary_table(five):
    table = cmp.summary_table(five, 0.9)
    assert list(table["activation"]) == list(cmp.DEFAULT_ACTS)
    for rec, row in zip(five, table.itertuples(index=False), strict=True):
        e = rec.epochs_to(0.9)
        assert (math.isnan(row.epochs_to) if e is None else row.epochs_to == e)
        assert row.time_per_model == pytest.approx(rec.wall_time / rec.trained_with)
        assert row.train_acc == pytest.approx(rec.history["train_acc"].iloc[-1])
    params = dict(zip(table["activation"], table["n_params"], strict=True))
    assert params["maxout"] > params["relu"] == params["sigmoid"]
    groups = cmp.time_groups(five)
    assert sorted(i for g in groups for i in g) == [0, 1, 2, 3, 4]
    for g in groups:  # records trained together share one measured time
        assert all(five[i].trained_with == len(g) for i in g)
        assert len({five[i].wall_time for i in g}) == 1
    assert five[0].trained_with >= 4  # at least the same-shaped four are stacked


def test_format_summary_marks_never(five):
    table = cmp.summary_table(five, 1.0)  # 100 %: nobody gets there on noisy moons
    headers = {k: k.upper() for k in cmp.SUMMARY_COLUMNS}
    shown = cmp.format_summary(table, headers, never="NEVER")
    assert list(shown.columns) == list(headers.values())
    assert set(shown["EPOCHS_TO"]) == {"NEVER"}
    for rec, text in zip(five, shown["TIME"], strict=True):
        n = rec.trained_with
        assert text.endswith(f"÷ {n})") if n > 1 else "÷" not in text
    assert set(shown["DIVERGED_AT"]) == {"—"}


def test_verdict_matches_the_records(five):
    key, fmt = cmp.verdict(five, 0.9)
    eps = {r.label: r.epochs_to(0.9) for r in five}
    if key in ("verdict.slower", "verdict.faster"):
        assert fmt["e_ref"] == eps[fmt["ref"]] and fmt["e_other"] == eps[fmt["other"]]
    assert set(fmt["never"]) == {k for k, v in eps.items() if v is None}


def test_column_figures_and_grad_y_max(five):
    relu = five[2]
    fig = cmp.column_figures(relu, 17)
    assert fig["epoch"] == relu.nearest_checkpoint(17)
    st = relu.stats_at(fig["epoch"])
    hidden = st[st["layer"] <= relu.n_hidden]
    assert fig["dead"] == hidden["dead_count"].sum() and fig["units"] == 32
    assert len(fig["layers"]) == 2
    ymax = cmp.grad_y_max(five)
    assert set(ymax) == {1, 2, 3}
    for rec in five:
        gc = rec.grad_counts.sum(axis=2)
        total = gc.sum(axis=2) + rec.grad_zero_counts
        for li in range(3):
            assert (gc[:, li] / total[:, li, None]).max() <= ymax[li + 1] + 1e-12


def test_replay_options():
    cfg = SMALL.replace(epochs=200, n_checkpoints=50)
    opts = cmp.checkpoint_options(cfg)
    assert opts[0] == 0 and opts[-1] == 200 and len(opts) == 50
    assert cmp.nearest(opts, 1000) == 200 and cmp.nearest(opts, 0) == 0
    assert cmp.nearest([0, 4, 8], 6) == 4  # tie: the smaller


def test_divergence_stays_in_its_column():
    base = TrainConfig(optimizer="sgd", lr=5.0, epochs=20, n_checkpoints=5, grid_size=12)
    cfgs, _ = cmp.configs_for(base, ["relu", "maxout"])
    recs = train_many(cfgs)
    assert recs[0].diverged_at is None and recs[1].diverged_at is not None
    table = cmp.summary_table(recs, 0.9)
    assert math.isnan(table["diverged_at"][0]) and table["diverged_at"][1] == recs[1].diverged_at
    key, fmt = cmp.verdict(recs, 0.5)
    assert fmt["diverged"] == ("Maxout",)
    cmp.column_figures(recs[1], 20)  # nearest recorded checkpoint, no error
    cc.grad_hist_column(recs[1], 20).to_dict()


# ------------------------------------------------------------------------------ verdict (stubs)
@dataclass
class _Cfg:
    activation: str
    epochs: int = 200


class _Rec:
    def __init__(self, act, label, e, diverged=None):
        self.config, self.label, self._e, self.diverged_at = _Cfg(act), label, e, diverged

    def epochs_to(self, target):
        return self._e

    def label_for(self, lang="en"):
        return self.label


def test_verdict_slower_ratio():
    key, fmt = cmp.verdict([_Rec("relu", "ReLU", 23), _Rec("sigmoid", "Sigmoid", 141),
                            _Rec("tanh", "tanh", 40)], 0.95)
    assert key == "verdict.slower"
    assert (fmt["ref"], fmt["e_ref"], fmt["other"], fmt["e_other"]) == ("ReLU", 23, "Sigmoid", 141)
    assert fmt["ratio"] == "6.1" and fmt["target"] == "95"
    text = TEXT["en"][key].format(**fmt)
    assert "ReLU reached 95% training accuracy in 23 epochs, Sigmoid in 141 (6.1× slower)" \
        in text


def test_verdict_faster_never_and_none():
    key, fmt = cmp.verdict([_Rec("relu", "ReLU", 30), _Rec("maxout", "Maxout", 10),
                            _Rec("sigmoid", "Sigmoid", None)], 0.95)
    assert key == "verdict.faster" and fmt["ratio"] == "3.0" and fmt["never"] == ("Sigmoid",)
    key, fmt = cmp.verdict([_Rec("relu", "ReLU", None), _Rec("sigmoid", "Sigmoid", None)], 0.9)
    assert key == "verdict.none" and fmt["epochs"] == 200
    key, fmt = cmp.verdict([_Rec("tanh", "tanh", 12), _Rec("sigmoid", "Sigmoid", None)], 0.9)
    assert key == "verdict.one" and fmt["ref"] == "tanh"
    # without ReLU the fastest run is the reference
    key, fmt = cmp.verdict([_Rec("tanh", "tanh", 12), _Rec("sigmoid", "Sigmoid", 48)], 0.9)
    assert (key, fmt["ref"], fmt["ratio"]) == ("verdict.slower", "tanh", "4.0")
    key, fmt = cmp.verdict([_Rec("relu", "ReLU", 12), _Rec("elu", "ELU", 12)], 0.9)
    assert key == "verdict.same"


# ------------------------------------------------------------------------------ sweep arithmetic
def _hist(curves: dict[tuple[str, int], list[float]], diverged=(), epochs: int = 9,
          ) -> pd.DataFrame:
    """A sweep history from per-(activation, seed) training-accuracy curves."""
    frames = []
    for (act, seed), acc in curves.items():
        frames.append(pd.DataFrame({
            "activation": act, "seed": seed, "epoch": np.arange(len(acc)),
            "train_acc": np.asarray(acc, dtype=np.float64), "train_loss": 0.0,
            "diverged_at": len(acc) if (act, seed) in diverged else -1, "epochs": epochs,
            "wall_time": 0.5}))
    return pd.concat(frames, ignore_index=True)


def _curve(hit: int | None, n: int = 10) -> list[float]:
    """Training accuracy 0.5 until epoch ``hit``, then 1.0 (never if None)."""
    return [1.0 if hit is not None and e >= hit else 0.5 for e in range(n)]


def test_sweep_runs_counts_never_reached():
    hist = _hist({("relu", 0): _curve(2), ("relu", 1): _curve(3), ("relu", 2): _curve(None),
                  ("sigmoid", 0): _curve(6), ("sigmoid", 1): _curve(None),
                  ("sigmoid", 2): _curve(None, n=4)}, diverged={("sigmoid", 2)})
    runs = cmp.sweep_runs(hist, 0.95)
    assert len(runs) == 6  # nothing dropped
    sig = runs[runs["activation"] == "sigmoid"].set_index("seed")
    assert sig.loc[0, "epochs_to"] == 6 and sig.loc[0, "reached"]
    assert math.isinf(sig.loc[1, "epochs_to"]) and not sig.loc[1, "reached"]
    assert sig.loc[2, "diverged"] and not sig.loc[2, "reached"]
    stats = cmp.sweep_stats(runs, ["relu", "sigmoid"]).set_index("activation")
    assert stats.loc["sigmoid", "never"] == 2 and stats.loc["sigmoid", "reached"] == 1
    assert stats.loc["sigmoid", "diverged"] == 1 and stats.loc["relu", "never"] == 1
    assert math.isinf(stats.loc["sigmoid", "median"])  # 2 of 3 never: median run never did
    assert stats.loc["relu", "median"] == 3


def test_median_ratio_is_paired_by_seed():
    # ReLU 10, 10, 20, never; sigmoid 30, 60, never, 50 (budget 79 epochs)
    # -> per-seed ratios 3, 6, >= 80/20, <= 50/80: censored on both sides, no seed dropped
    # (issue 12: the seed where ReLU never got there used to be left out, giving 6.0)
    hist = _hist({("relu", 0): _curve(10, 80), ("relu", 1): _curve(10, 80),
                  ("relu", 2): _curve(20, 80), ("relu", 3): _curve(None, 80),
                  ("sigmoid", 0): _curve(30, 80), ("sigmoid", 1): _curve(60, 80),
                  ("sigmoid", 2): _curve(None, 80), ("sigmoid", 3): _curve(50, 80),
                  ("tanh", 0): _curve(20, 80), ("tanh", 1): _curve(15, 80),
                  ("tanh", 2): _curve(40, 80), ("tanh", 3): _curve(5, 80)}, epochs=79)
    runs = cmp.sweep_runs(hist, 0.95)
    r = cmp.paired_ratios(runs, "sigmoid", "relu").set_index("seed")
    assert r["lo"].tolist() == [3.0, 6.0, 4.0, 0.0]
    assert r["hi"].tolist() == [3.0, 6.0, math.inf, 50 / 80]
    stats = cmp.sweep_stats(runs, ["sigmoid", "tanh", "relu"]).set_index("activation")
    assert stats.loc["sigmoid", "ratio_lo"] == 3.5 and stats.loc["sigmoid", "ratio_hi"] == 4.5
    assert stats.loc["sigmoid", "n_ratio"] == 4
    assert stats.loc["tanh", "median_ratio"] == 1.75  # 2, 1.5, 2, <= 5/80
    assert stats.loc["relu", "median_ratio"] == 1.0
    lines = cmp.sweep_verdict(stats.reset_index(), 0.95, "relu")
    assert [f["act"] for _, f in lines] == ["tanh", "Sigmoid"]
    assert lines[1][1]["ratio"] == "3.50–4.50×" and lines[1][1]["never_act"] == 1
    shown = cmp.format_sweep(stats.reset_index(), {k: k for k in cmp.SWEEP_COLUMNS}, "never")
    assert list(shown["median_ratio"]) == ["3.50–4.50×", "1.75×", "1.00×"]
    assert list(shown["never"]) == ["1/4", "0/4", "1/4"]


def test_sweep_verdict_unbounded_and_no_reference():
    hist = _hist({("relu", s): _curve(2) for s in range(3)}
                 | {("sigmoid", s): _curve(None) for s in range(3)})
    stats = cmp.sweep_stats(cmp.sweep_runs(hist, 0.95), ["relu", "sigmoid"])
    (key, fmt), = cmp.sweep_verdict(stats, 0.95, "relu")
    assert key == "sweep.pair.slower" and fmt["never_act"] == 3  # every seed >= 5x
    assert fmt["cov"] == "75"  # 3 seeds: min to max covers the median with 75 %
    assert fmt["ratio"] == "≥ 5.00×"
    assert cmp.format_ratio(math.inf, "never") == "never"
    hist = _hist({("relu", s): _curve(None) for s in range(3)}
                 | {("sigmoid", s): _curve(4) for s in range(3)})
    stats = cmp.sweep_stats(cmp.sweep_runs(hist, 0.95), ["relu", "sigmoid"])
    assert math.isnan(stats.set_index("activation").loc["sigmoid", "median_ratio"])
    assert cmp.sweep_verdict(stats, 0.95, "relu")[0][0] == "sweep.verdict_none"


def test_reference_and_median_helpers():
    assert cmp.reference_for(["tanh", "relu"]) == "relu"
    assert cmp.reference_for(["tanh", "sigmoid"]) == "tanh"
    assert cmp.median(np.array([1.0, math.inf, 3.0])) == 3.0
    assert cmp.median(np.array([1.0, 3.0, math.inf, math.inf])) == math.inf
    assert cmp.median(np.array([1.0, 3.0])) == 2.0
    assert cmp.quantile(np.array([1.0, 2.0, math.inf, math.inf]), 0.25) == pytest.approx(1.75)


def test_real_sweep_with_two_seeds():
    cfgs, _ = cmp.configs_for(SMALL.replace(epochs=15), ["sigmoid", "relu"])
    seen = []
    hist = cmp.run_sweep(cfgs, 2, progress=seen.append)
    assert seen == [0.5, 1.0]
    assert sorted(hist["seed"].unique()) == [SMALL.seed, SMALL.seed + 1]
    assert set(hist["activation"]) == {"sigmoid", "relu"}
    assert len(hist) == 2 * 2 * 16  # epochs 0..15 for each run
    assert cmp.sweep_wall_time(hist) > 0
    cfg1 = cmp.sweep_configs(cfgs, 1)[0]
    assert cfg1.seed == SMALL.seed + 1 and cfg1.n_checkpoints == 2 and cfg1.grid_size == 10
    keyed = cmp.sweep_seed_from_keys(
        tuple(tuple(sorted(c.to_query(all_fields=True).items())) for c in cfgs), 1)
    pd.testing.assert_frame_equal(keyed.drop(columns="wall_time"),
                                  hist[hist["seed"] == SMALL.seed + 1].drop(columns="wall_time")
                                  .reset_index(drop=True))


def test_sweep_budget_caps_seeds():
    cfgs, _ = cmp.configs_for(cmp.BASE, cmp.DEFAULT_ACTS)
    assert cmp.sweep_seeds_allowed(cfgs, cmp.DEFAULT_SEEDS) == cmp.DEFAULT_SEEDS  # defaults fit
    big = TrainConfig(hidden=(64, 64, 64), n_samples=2000, epochs=1)
    big = big.replace(epochs=big.max_epochs() // 2)
    cfgs, _ = cmp.configs_for(big, cmp.DEFAULT_ACTS)
    n = cmp.sweep_seeds_allowed(cfgs, cmp.MAX_SEEDS)
    assert 0 <= n < cmp.MAX_SEEDS
    assert n * cmp.seed_work(cfgs) <= cmp.SWEEP_WORK  # never over (issue 14, items 4 and 5)


def test_sweep_and_search_train_in_memory_groups(monkeypatch):
    """The sweep's seeds and the search train in ``budget.stack_groups`` (as a page's runs do):
    no stack's temporary arrays over ``STACK_MEMORY``, and the same records as one call."""
    import sys

    from explorer.labs import budget

    cfgs, _ = cmp.configs_for(SMALL.replace(epochs=6), ["sigmoid", "tanh", "relu", "elu"])
    whole = cmp.sweep_seed(cfgs, 1)
    limit = 2.5 * budget.stack_bytes(cmp.sweep_configs(cfgs, 1)[0])
    monkeypatch.setattr(budget, "STACK_MEMORY", limit)
    T = sys.modules["explorer.train"]  # (the package re-exports a function named train)
    stacks: list[list] = []
    original = T._Trainer.__init__

    def counting(self, run, *args, **kwargs):
        stacks.append(list(run))
        return original(self, run, *args, **kwargs)

    monkeypatch.setattr(T._Trainer, "__init__", counting)
    seen = []
    grouped = cmp.sweep_seed(cfgs, 1, progress=seen.append)
    assert [len(s) for s in stacks] == [2, 2]  # one call would have stacked all four
    assert all(sum(budget.stack_bytes(c) for c in s) <= limit for s in stacks)
    pd.testing.assert_frame_equal(grouped.drop(columns="wall_time"),
                                  whole.drop(columns="wall_time"))
    assert seen == sorted(seen) and seen[-1] == 1.0
    stacks.clear()
    tuning = cmp.tune_lr(cmp.sweep_configs(cfgs, 0), 0.9, [0.1, 0.3])
    assert len(tuning) == 8 and len(stacks) > 1
    assert all(len(s) == 1 or sum(budget.stack_bytes(c) for c in s) <= limit for s in stacks)


def test_the_sweep_gets_what_the_comparison_leaves():
    from explorer.labs import budget

    cfgs, _ = cmp.configs_for(cmp.BASE, cmp.DEFAULT_ACTS)
    left = cmp.sweep_budget(cfgs)
    # (the comparison's runs record the player's dense frames: counted too)
    assert left == pytest.approx(min(cmp.SWEEP_WORK,
                                     cmp.COMPARE_WORK - budget.page_work(cfgs, frames=budget.BOUNDARY)))
    plan = cmp.protocol_plan(cmp.protocol_configs(cfgs), cmp.DEFAULT_SEEDS, left)
    assert plan["seeds"] == cmp.DEFAULT_SEEDS and plan["work"] <= left  # the default sweep fits
    # a comparison whose snapshots (100 of a 100 x 100 grid) cost much; its seeds do not
    heavy = cmp.within_budget(cmp.configs_for(
        cmp.BASE.replace(epochs=300, n_checkpoints=100, grid_size=100), cmp.DEFAULT_ACTS)[0])[0]
    left = cmp.sweep_budget(heavy)
    assert left == pytest.approx(cmp.COMPARE_WORK - budget.page_work(heavy, frames=budget.BOUNDARY))
    assert 0 < left < cmp.SWEEP_WORK
    n = cmp.sweep_seeds_allowed(heavy, cmp.MAX_SEEDS, left)
    assert n < cmp.sweep_seeds_allowed(heavy, cmp.MAX_SEEDS)  # fewer seeds than alone
    assert budget.page_work(heavy, frames=budget.BOUNDARY) + n * cmp.seed_work(heavy) <= cmp.COMPARE_WORK
    assert cmp.sweep_overshoot(heavy, 0.0) > 1  # no budget left: "too big", never a crash


# ------------------------------------------------------------------------------ charts
def test_grad_hist_column(five):
    ymax = cmp.grad_y_max(five)
    specs = [cc.grad_hist_column(r, 20, y_max=ymax, width=150).to_dict() for r in five]
    for spec, rec in zip(specs, five, strict=True):
        assert len(spec["vconcat"]) == rec.n_hidden + 1
        doms = [c["encoding"]["y"]["scale"]["domain"] for c in spec["vconcat"]]
        assert doms == [[0, ymax[i]] for i in (1, 2, 3)]  # same axes in every column
        xdoms = {tuple(c["encoding"]["x"]["scale"]["domain"]) for c in spec["vconcat"]}
        assert len(xdoms) == 1
    # colours of the hidden layers are the activation's
    sig = specs[0]["vconcat"][0]["encoding"]["color"]["scale"]["range"][0]
    assert sig == ACTIVATION_COLORS["sigmoid"]
    maxout_sub = specs[4]["vconcat"][0]["title"]["subtitle"]
    assert maxout_sub.startswith("dead —")
    zh = cc.grad_hist_column(five[0], lang="zh").to_dict()
    assert "隐藏层" in zh["vconcat"][0]["title"]["text"]


def test_sweep_and_ratio_charts():
    hist = _hist({(a, s): _curve(h if a != "sigmoid" or s else None, 10)
                  for a, h in (("sigmoid", 8), ("tanh", 4), ("relu", 2)) for s in range(3)})
    runs = cmp.sweep_runs(hist, 0.95)
    stats = cmp.sweep_stats(runs, ["sigmoid", "tanh", "relu"])
    strip = cmp.strip_frame(runs, cc.never_x(9))
    assert (strip["jitter"].abs() <= 0.35 + 1e-12).all()
    never_rows = strip[~strip["reached"]]
    assert len(never_rows) == 1 and (never_rows["x"] == cc.never_x(9)).all()
    spec = cc.sweep_chart(strip, stats, ["sigmoid", "tanh", "relu"], 9, "95").to_dict()
    text = str(spec)
    assert "never" in text and "Sigmoid" in text
    dots = [lay for lay in spec["layer"] if lay.get("mark", {}).get("type") == "circle"][0]
    data = spec["datasets"][dots["data"]["name"]]
    assert len(data) == 9  # every run drawn, the never-reached one too
    assert {d["label"] for d in data} == {"Sigmoid", "tanh", "ReLU"}
    colours = dots["encoding"]["color"]["scale"]["range"]
    assert colours == [ACTIVATION_COLORS[a] for a in ("sigmoid", "tanh", "relu")]
    rspec = cc.ratio_chart(stats, "relu").to_dict()
    assert "lesson" in str(rspec)
    zh = cc.sweep_chart(strip, stats, ["sigmoid", "tanh", "relu"], 9, "95", lang="zh").to_dict()
    assert "从未" in str(zh)


# ------------------------------------------------------------------------------ text
def test_every_text_has_chinese_with_the_same_placeholders():
    assert set(TEXT["en"]) == set(TEXT["zh"])
    field = re.compile(r"{(\w+)")
    for k, en in TEXT["en"].items():
        zh = TEXT["zh"][k]
        assert zh.strip(), k
        assert set(field.findall(en)) == set(field.findall(zh)), k
