"""Lesson steps 13-14: what to use in practice, and the further variants."""

from __future__ import annotations

import altair as alt
from scipy.special import ndtr

from .. import compare as cmp
from ..activations import ACTIVATIONS
from ..charts import core
from ..charts import gallery as gallery_charts
from ..config import TrainConfig
from ..labs import gallery as gl
from ..record import RunRecord
from ..texts.gallery import TEXT as GALLERY_TEXT
from .base import (
    LESSON_ACTS,
    RELU_FAMILY,
    Result,
    Step,
    Verdict,
    no_configs,
    num,
    pct,
    query_for,
    ratio,
    t,
    translator,
)

# ---------------------------------------------------------------------------- 13 in practice
PRACTICE_ACTS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")
#: one initialiser for every activation (``init="auto"`` would give ReLU's family He and
#: sigmoid/tanh Xavier: then the initial draws would differ, not only the activation)
PRACTICE_INIT = "xavier_normal"
PRACTICE_BASE = cmp.BASE.replace(epochs=60, n_checkpoints=7, grid_size=10, init=PRACTICE_INIT)


def _practice_configs(seed: int) -> list[TrainConfig]:
    cfgs, _ = cmp.configs_for(PRACTICE_BASE.replace(seed=seed), PRACTICE_ACTS)
    return cfgs


def _practice_compute(seed: int, recs: list[RunRecord]) -> Result:
    loss = {r.config.activation: float(r.final()["train_loss"]) for r in recs}
    best = min(loss, key=loss.__getitem__)  # over every run shown, not the ReLU family only
    return {"records": recs, "loss": loss, "best": best,
            "labels": {r.config.activation: r.label for r in recs}}


def _practice_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return core.loss_chart(r["records"], log_scale=True, width=width - 60, height=height - 60,
                           title=t("chart.practice", lang), lang=lang)


def _practice_verdict(r: Result) -> Verdict:
    loss, best = r["loss"], r["best"]
    worst = max(RELU_FAMILY, key=loss.__getitem__)
    return [("v.practice", {"epochs": PRACTICE_BASE.epochs, "best": r["labels"][best],
                            "best_loss": num(loss[best]), "fam": r["labels"][worst],
                            "fam_loss": num(loss[worst]), "tanh": num(loss["tanh"]),
                            "sig": num(loss["sigmoid"]),
                            "times": ratio(loss["sigmoid"], loss[best])})]


def _practice_holds(r: Result) -> bool:
    loss = r["loss"]
    return max(loss[a] for a in RELU_FAMILY) < loss["sigmoid"]


def _practice_link(seed: int) -> tuple[str, dict[str, str]]:
    q = query_for(PRACTICE_BASE.replace(seed=seed), cmp.BASE)
    return "compare", {"acts": "-".join(PRACTICE_ACTS), **q}


# ---------------------------------------------------------------------------- 14 variants
def variant_names() -> list[str]:
    """Every registered activation the lesson itself does not discuss (ELU, SELU, ...)."""
    return [n for n in ACTIVATIONS.names() if n not in LESSON_ACTS]


VARIANT_SD = 3.0


def tail_shares(names: list[str], mean: float = 0.0, sd: float = VARIANT_SD
                ) -> dict[str, tuple[float, float]]:
    """Per activation: the share of inputs N(mean, sd²) on its saturated negative tail
    (z < lo) and on its positive tail (z > hi), ``(lo, hi) = saturation_bounds`` — the two
    parts of the Gallery's "saturated" share."""
    out = {}
    for n in names:
        act = ACTIVATIONS[n]
        if act.pieces:
            out[n] = (0.0, 0.0)
            continue
        lo, hi = act.saturation_bounds(gl.act_param(act, None) if not act.learned else None)
        out[n] = (float(ndtr((lo - mean) / sd)), float(ndtr((mean - hi) / sd)))
    return out


def _variants_compute(seed: int, recs: list[RunRecord]) -> Result:
    names = variant_names()
    table = gl.summary(["relu", *names], None, 0.0, VARIANT_SD)
    zero = dict(zip(table["name"], table["zero"], strict=True))
    return {"names": names, "table": table, "tails": tail_shares(["relu", *names]),
            "flat": dict(zip(table["name"], table["flat"], strict=True)),
            "zero": zero, "labels": dict(zip(table["name"], table["label"], strict=True))}


def _variants_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    """The Gallery's share chart on the verdict's inputs: per activation the share of inputs
    on a saturated tail (light) and where f′ = 0 exactly (dark)."""
    tr = translator(GALLERY_TEXT, lang)
    chart = gallery_charts.share_chart(core.relabel(r["table"], lang), tr, width=width - 200,
                                       height=min(height, 40 + 30 * len(r["table"])))
    return chart.properties(title=t("chart.variants", lang, sd=f"{VARIANT_SD:g}"))


def one_sided(r: Result) -> list[str]:
    """The variants that saturate, all on the negative side: share on the negative tail > 0."""
    return [n for n in r["names"] if r["tails"][n][0] > 0]


def _variants_verdict(r: Result) -> Verdict:
    z, tails = r["zero"], r["tails"]
    neg = one_sided(r)
    fmt = {"n": len(r["names"]), "relu": pct(z["relu"]), "sd": f"{VARIANT_SD:g}",
           "zero": pct(max(z[n] for n in r["names"]), 1),
           "m": len(neg), "names": ", ".join(r["labels"][n] for n in neg),
           "lo": pct(min((tails[n][0] for n in neg), default=0.0), 1),
           "hi": pct(max((tails[n][0] for n in neg), default=0.0), 1),
           "pos": pct(max(tails[n][1] for n in r["names"]), 1)}
    return [("v.variants" if neg else "v.variants_none", fmt)]


def _variants_holds(r: Result) -> bool:
    """No variant has f′ = 0 where ReLU has (its zero side), and none saturates on the
    positive side: where a variant flattens, it is on the negative side only."""
    z, tails = r["zero"], r["tails"]
    return (len(r["names"]) >= 8 and all(z[n] < z["relu"] for n in r["names"])
            and all(tails[n][1] == 0.0 for n in r["names"]))


def _variants_link(seed: int) -> tuple[str, dict[str, str]]:
    return "gallery", {"acts": "-".join(["relu", *variant_names()]), "view": "overlay"}


# ---------------------------------------------------------------------------- the steps
#: steps 13-14 of the tour, in order
STEPS_PRACTICE: tuple[Step, ...] = (
    Step("practice", (13,), _practice_configs, _practice_compute, _practice_chart,
         _practice_verdict, _practice_holds, _practice_link),
    Step("variants", (14,), no_configs, _variants_compute, _variants_chart, _variants_verdict,
         _variants_holds, _variants_link, extra_work=1e6, seeded=False),
)
