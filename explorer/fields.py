"""The run settings' fields: bounds, ``FIELDS`` (kind, default, bounds or choices, help text),
and how one value is checked (:func:`check_value`), written into a URL (:func:`format_value`)
and read back (:func:`parse_value`). ``explorer.config`` re-exports all of it."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .activations import ACTIVATIONS
from .datasets import DATASETS
from .features import DEFAULT_FEATURES, FEATURES
from .features import normalise as normalise_features
from .initialisers import AUTO, INITIALISERS
from .optimisers import OPTIMISERS
from .safetext import shorten

MAX_LAYERS = 12
#: how ``hidden = ()`` (no hidden layer: a linear model) is written in a URL
NO_HIDDEN = "none"
MAX_UNITS = 128  # CS231n's spiral case study uses a 100-unit ReLU layer
#: epochs × training samples × multiply-adds per sample (forward); see ``TrainConfig.work``.
MAX_WORK = 4.0e9
#: epochs × updates per epoch × layers: bounds runs dominated by per-update overhead (batch 1)
MAX_LAYER_STEPS = 1.5e6
#: at most this many learning-rate changes in one run (``lr_changes``)
MAX_LR_CHANGES = 8


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "choice", "int", "float", "bool", "layers", "acts", "features", "lr_changes"
    default: Any
    lo: float | None = None
    hi: float | None = None
    choices: Callable[[], list[str]] | None = None
    log: bool = False
    help: str = ""

    def allowed(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices())  # type: ignore[misc]
        if self.kind == "bool":
            return "true or false"
        if self.kind == "layers":
            return (f"up to {MAX_LAYERS} layer widths between 1 and {MAX_UNITS}, "
                    f"written like 16-16, or {NO_HIDDEN} for a linear model")
        if self.kind == "acts":
            return "activation names separated by '-', one per hidden layer (or empty)"
        if self.kind == "features":
            return ("one or more feature names separated by '-' from "
                    + ", ".join(FEATURES.names()))
        if self.kind == "lr_changes":
            lr = FIELDS["lr"]
            return (f"up to {MAX_LR_CHANGES} changes epoch_rate separated by '-' (e.g. 120_1), "
                    f"epochs increasing from 1 (changes at or after the run's end are dropped), "
                    f"rates from {lr.lo:g} to {lr.hi:g}")
        return f"a number from {self.lo:g} to {self.hi:g}"


def _acts() -> list[str]:
    return ACTIVATIONS.names()


def _inits() -> list[str]:
    return [AUTO, *INITIALISERS.names()]


_F = [
    Field("dataset", "choice", "moons", choices=DATASETS.names,
          help="Which scikit-learn data set to learn (2-D so the boundary can be drawn)."),
    Field("n_samples", "int", 400, 40, 2000,
          help="Number of points generated (fixed-size real data sets ignore it)."),
    Field("noise", "float", 0.2, 0.0, 1.0, help="How much the classes overlap or jitter."),
    Field("test_fraction", "float", 0.25, 0.1, 0.5,
          help="Share of the points held out to measure test loss and accuracy."),
    Field("n_classes", "int", 2, 2, 6,
          help="Number of classes, for the data sets that let you choose (blobs, spiral, ...)."),
    Field("hidden", "layers", (16, 16),
          help=f"Hidden layer widths, e.g. 16-16 (up to {MAX_LAYERS} layers, {MAX_UNITS} units)."),
    Field("activation", "choice", "relu", choices=_acts,
          help="The non-linearity applied in every hidden layer."),
    Field("layer_activations", "acts", (),
          help="Advanced: a different activation for each hidden layer (overrides the above)."),
    Field("leaky_slope", "float", 0.01, 0.0, 1.0,
          help="Leaky ReLU's slope for negative inputs (0 gives plain ReLU)."),
    Field("elu_alpha", "float", 1.0, 0.01, 5.0, help="ELU's α: the value it tends to for z → -∞."),
    Field("maxout_k", "int", 2, 2, 5, help="Linear pieces per Maxout unit (k× the weights)."),
    Field("init", "choice", AUTO, choices=_inits,
          help="How weights start. 'auto' picks He for the ReLU family, Xavier for sigmoid/tanh."),
    Field("init_scale", "float", 1.0, 0.0, 10.0,
          help="The initialiser's knob: σ for normal, a for uniform, the value for constant, "
               "the gain for Xavier/He/LeCun."),
    Field("bias_init", "float", 0.0, -5.0, 5.0,
          help="Initial value of every hidden bias (a negative one can kill ReLUs)."),
    Field("optimizer", "choice", "sgd", choices=OPTIMISERS.names,
          help="The update rule."),
    Field("lr", "float", 0.1, 1e-4, 10.0, log=True, help="Learning rate η (step size)."),
    Field("momentum", "float", 0.9, 0.0, 0.99,
          help="Momentum μ (used by the momentum and Nesterov optimisers)."),
    Field("batch_size", "int", 32, 1, 2000,
          help="Samples per update; at least the training-set size means full batch."),
    Field("epochs", "int", 200, 1, 2000, help="Passes over the training set."),
    Field("lr_changes", "lr_changes", (),
          help="Learning-rate changes during the run: (e, η) means from epoch e on the rate "
               "is η (written e_η, several separated by '-'). The run up to e is the run "
               "without the change."),
    Field("l2", "float", 0.0, 0.0, 1.0,
          help="L2 penalty λ: adds λ/2·Σ‖W‖² to the mean loss (weights only)."),
    Field("seed", "int", 0, 0, 2**31 - 1,
          help="Seed of everything random: data, split, initial weights, batch order."),
    Field("n_checkpoints", "int", 50, 2, 100,
          help="How many snapshots (boundary, histograms) are recorded for replay."),
    Field("grid_size", "int", 50, 10, 100, help="Resolution of the decision-boundary grid."),
    Field("features", "features", DEFAULT_FEATURES,
          help="What the network sees of a point (x1, x2): the coordinates, their squares, "
               "their product, their sines (TensorFlow Playground's inputs)."),
]
FIELDS: dict[str, Field] = {f.name: f for f in _F}


def quote_value(value: Any) -> str:
    """A rejected value as a message quotes it: short (a huge integer in exponent form, any
    text at most 60 characters + "…"), on one line."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        digits = str(abs(value))
        return f"{'-' if value < 0 else ''}{digits[0]}.{digits[1:4]}e+{len(digits) - 1}"
    if isinstance(value, str):
        return repr(shorten(value))
    return shorten(repr(value))


def check_value(f: Field, value: Any) -> Any:
    """Validate and normalise one field value; raise ValueError naming the field.

    Decimal values come back as plain floats with -0.0 turned into 0.0 (``0.0 <= -0.0`` is
    true, but numpy's samplers refuse a negative-signed scale)."""
    bad = ValueError(f"{f.name}: {quote_value(value)} is not allowed; expected {f.allowed()}")
    if f.kind == "choice":
        if not isinstance(value, str) or value not in f.choices():  # type: ignore[misc]
            raise bad
        return value
    if f.kind == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if f.kind == "layers":
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)):
            raise bad
        if any(isinstance(v, bool) or not isinstance(v, numbers.Real) for v in value):
            raise bad
        if any(not math.isfinite(v) or int(v) != v for v in value):
            raise bad
        layers = tuple(int(v) for v in value)
        # () is allowed: no hidden layer, a linear (logistic / softmax) model, the baseline
        if not 0 <= len(layers) <= MAX_LAYERS or any(not 1 <= u <= MAX_UNITS for u in layers):
            raise bad
        return layers
    if f.kind == "acts":
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)):
            raise bad
        if any(not isinstance(a, str) for a in value):
            raise bad
        acts = tuple(value)
        if len(acts) > MAX_LAYERS or any(a not in ACTIVATIONS for a in acts):
            raise bad
        return acts
    if f.kind == "features":
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)):
            raise bad
        if any(not isinstance(n, str) for n in value):
            raise bad
        try:
            return normalise_features(value)
        except ValueError:
            raise bad from None
    if f.kind == "lr_changes":
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)):
            raise bad
        if len(value) > MAX_LR_CHANGES:
            raise bad
        out: list[tuple[int, float]] = []
        for pair in value:
            if isinstance(pair, (str, bytes)) or not isinstance(pair, (tuple, list)) or \
                    len(pair) != 2:
                raise bad
            try:
                e = check_value(FIELDS["epochs"], pair[0])
                lr = check_value(FIELDS["lr"], pair[1])
            except ValueError:
                raise bad from None
            if e >= FIELDS["epochs"].hi or (out and e <= out[-1][0]):
                raise bad  # (epoch 0 is the run's lr; epochs strictly increasing)
            out.append((e, lr))
        return tuple(out)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise bad
    if not math.isfinite(value) or not f.lo <= value <= f.hi:  # type: ignore[operator]
        raise bad
    if f.kind == "int":
        if int(value) != value:
            raise bad
        return int(value)
    return float(value) + 0.0  # -0.0 + 0.0 == +0.0


def format_value(f: Field, value: Any, exact: bool = False) -> str:
    """``value`` as URL text: floats to 6 significant digits (a readable link), or with
    ``exact`` as the shortest text that reads back as the same float (``repr``: cache keys,
    where 0.1000001 and 0.1000002 must stay two configs)."""
    if f.kind == "layers" and not value:
        return NO_HIDDEN
    if f.kind in ("layers", "acts", "features"):
        return "-".join(str(v) for v in value)
    if f.kind == "lr_changes":  # 120_1-300_0.03 (a rate >= 1e-4 never prints an exponent)
        return "-".join(f"{e}_{float(x)!r}" if exact else f"{e}_{x:.6g}" for e, x in value)
    if f.kind == "bool":
        return "true" if value else "false"
    if f.kind == "float":
        return repr(float(value)) if exact else f"{value:.6g}"
    return str(value)


def parse_value(f: Field, raw: Any) -> Any:
    """Turn a URL string into a typed value (ValueError naming the field if it cannot)."""
    s = str(raw).strip()
    try:
        if f.kind == "choice":
            return s
        if f.kind == "bool":
            low = s.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if f.kind == "features":
            return tuple(p.strip() for p in s.replace(",", "-").split("-"))
        if f.kind == "lr_changes":
            if not s:
                return ()
            out = []
            for part in s.split("-"):
                e, _, x = part.partition("_")
                ev, xv = float(e), float(x)
                if not (math.isfinite(ev) and math.isfinite(xv)) or ev != int(ev) or \
                        abs(ev) > 2.0**53:
                    raise ValueError
                out.append((int(ev), xv))
            return tuple(out)
        if f.kind in ("layers", "acts"):
            if (f.kind == "acts" and not s) or (f.kind == "layers" and s.lower() == NO_HIDDEN):
                return ()
            parts = [p.strip() for p in s.replace(",", "-").split("-")]
            if any(p == "" for p in parts):  # "-16", "16--8": a sign or a gap, not a width
                raise ValueError
            return tuple(int(p) for p in parts) if f.kind == "layers" else tuple(parts)
        if f.kind == "int":
            v = float(s)
            if not math.isfinite(v) or v != int(v) or abs(v) > 2.0**53:
                raise ValueError  # (a bigger value is out of every bound: quote the text)
            return int(v)
        v = float(s)
        if not math.isfinite(v):
            raise ValueError
        return v
    except (ValueError, OverflowError):
        raise ValueError(f"{f.name}: {quote_value(s)} is not allowed; expected {f.allowed()}") from None
