"""Lesson steps 13-14: what to use in practice, and the further variants."""

from __future__ import annotations

import altair as alt

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
PRACTICE_BASE = cmp.BASE.replace(epochs=60, n_checkpoints=7, grid_size=10)


def _practice_configs(seed: int) -> list[TrainConfig]:
    cfgs, _ = cmp.configs_for(PRACTICE_BASE.replace(seed=seed), PRACTICE_ACTS)
    return cfgs


def _practice_compute(seed: int, recs: list[RunRecord]) -> Result:
    loss = {r.config.activation: float(r.final()["train_loss"]) for r in recs}
    best = min(RELU_FAMILY, key=lambda a: loss[a])
    return {"records": recs, "loss": loss, "best": best,
            "labels": {r.config.activation: r.label for r in recs}}


def _practice_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    return core.loss_chart(r["records"], log_scale=True, width=width - 60, height=height - 60,
                           title=t("chart.practice", lang), lang=lang)


def _practice_verdict(r: Result) -> Verdict:
    loss, best = r["loss"], r["best"]
    return [("v.practice", {"epochs": PRACTICE_BASE.epochs, "best": r["labels"][best],
                            "best_loss": num(loss[best]), "tanh": num(loss["tanh"]),
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


def _variants_compute(seed: int, recs: list[RunRecord]) -> Result:
    names = variant_names()
    table = gl.summary(["relu", *names], None, 0.0, VARIANT_SD)
    zero = dict(zip(table["name"], table["zero"], strict=True))
    return {"names": names, "curves": gl.curves(["relu", *names], None, 4.0),
            "zero": zero, "labels": dict(zip(table["name"], table["label"], strict=True))}


def _variants_chart(r: Result, lang: str, width: int, height: int) -> alt.TopLevelMixin:
    tr = translator(GALLERY_TEXT, lang)
    return gallery_charts.overlay_chart(core.relabel(r["curves"], lang), "f", tr,
                                        title=t("chart.variants", lang),
                                        zmax=4.0, width=width - 20, height=height + 40)


def _variants_verdict(r: Result) -> Verdict:
    z = r["zero"]
    worst = max(r["names"], key=lambda n: z[n])
    fmt = {"n": len(r["names"]), "relu": pct(z["relu"]), "worst": r["labels"][worst],
           "worst_zero": pct(z[worst], 1), "sd": f"{VARIANT_SD:g}"}
    return [("v.variants" if z[worst] > 0 else "v.variants_none", fmt)]


def _variants_holds(r: Result) -> bool:
    z = r["zero"]
    return len(r["names"]) >= 8 and all(z[n] < z["relu"] for n in r["names"])


def _variants_link(seed: int) -> tuple[str, dict[str, str]]:
    return "gallery", {"acts": "-".join(["relu", *variant_names()]), "view": "overlay"}


# ---------------------------------------------------------------------------- the steps
#: steps 13-14 of the tour, in order
STEPS_PRACTICE: tuple[Step, ...] = (
    Step("practice", (13,), _practice_configs, _practice_compute, _practice_chart,
         _practice_verdict, _practice_holds, _practice_link),
    Step("variants", (14,), no_configs, _variants_compute, _variants_chart, _variants_verdict,
         _variants_holds, _variants_link, extra_work=1e6),
)
