"""The training configuration: frozen, hashable, validated, and round-trips through a URL.

``TrainConfig`` holds every setting of a run. A run is a pure function of it. Every field has
an entry in ``FIELDS`` (kind, bounds or choices, help text); the bounds keep one run small
enough for a shared Community Cloud app, and ``MAX_WORK`` bounds the product of epochs,
training samples and weights that no single bound catches (``MAX_LAYER_STEPS`` likewise the
number of updates times layers, which dominates with tiny batches).

The fields, their bounds and the value checks and URL formats are in :mod:`explorer.fields`
(re-exported here); what a config implies (sizes, work, name, schedule) is the mixin
``_Derived``; the URL round trip and :func:`build_config` are here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from .activations import ACTIVATIONS
from .datasets import DATASETS
from .features import DEFAULT_FEATURES
from .fields import (
    FIELDS,
    MAX_LAYER_STEPS,
    MAX_LAYERS,
    MAX_LR_CHANGES,
    MAX_UNITS,
    MAX_WORK,
    NO_HIDDEN,
    Field,
    check_value,
    format_value,
    parse_value,
    quote_value,
)
from .initialisers import AUTO
from .texts import DEFAULT_LANG, lookup
from .texts.config import TEXT

#: the linear model's run label in English (the key records and lab tables carry)
LINEAR_LABEL = lookup(TEXT, "linear", DEFAULT_LANG)


def run_label(label: str, lang: str = "en") -> str:
    """A run label as :meth:`TrainConfig.label` writes it in English (the key that records,
    lab tables and cached lesson results carry) shown in ``lang``: every activation label
    with a translation (``Activation.label_for``) and the linear model's label replaced."""
    if lang == DEFAULT_LANG:
        return label
    table = {a.label: a.label_for(lang) for a in map(ACTIVATIONS.__getitem__, ACTIVATIONS.names())
             if a.label_for(lang) != a.label}
    table[LINEAR_LABEL] = lookup(TEXT, "linear", lang)
    for en in sorted(table, key=len, reverse=True):
        label = label.replace(en, table[en])
    return label


class _Derived:
    """What a :class:`TrainConfig` implies (its fields are the dataclass's): class and sample
    counts, work, the resolved initialiser, the run's name, the learning-rate schedule."""

    hidden: tuple[int, ...]
    activation: str
    layer_activations: tuple[str, ...]
    dataset: str
    n_samples: int
    n_classes: int
    test_fraction: float
    features: tuple[str, ...]
    maxout_k: int
    epochs: int
    batch_size: int
    init: str
    lr: float
    lr_changes: tuple[tuple[int, float], ...]

    def hidden_activations(self) -> tuple[str, ...]:
        return self.layer_activations or (self.activation,) * len(self.hidden)

    def effective_classes(self) -> int:
        lo, hi = DATASETS[self.dataset].classes
        return lo if lo == hi else self.n_classes

    def n_total(self) -> int:
        fixed = DATASETS[self.dataset].fixed_size
        return fixed if fixed else self.n_samples

    def n_train(self) -> int:
        n = self.n_total()
        return n - math.ceil(n * self.test_fraction)

    def macs_per_sample(self) -> int:
        """Multiply-adds of one forward pass (Maxout counts its k pieces)."""
        widths = [len(self.features), *self.hidden]
        acts = self.hidden_activations()
        total = 0
        for i, units in enumerate(self.hidden):
            k = self.maxout_k if ACTIVATIONS[acts[i]].pieces else 1
            total += (widths[i] + 1) * units * k
        k_out = self.effective_classes() if self.effective_classes() > 2 else 1
        return total + (widths[-1] + 1) * k_out

    def work(self) -> float:
        return float(self.epochs) * self.n_train() * self.macs_per_sample()

    def layer_steps(self) -> float:
        """Updates × layers: the per-update overhead of a run (what small batches cost)."""
        n = self.n_train()
        per_epoch = math.ceil(n / min(self.batch_size, n))
        return float(self.epochs) * per_epoch * (len(self.hidden) + 1)

    def max_epochs(self, n_train: int | None = None) -> int:
        """The most epochs that fit both bounds with the other settings unchanged (on
        ``n_train`` training points: default this config's, or an uploaded set's size)."""
        n = n_train or self.n_train()
        by_work = MAX_WORK // (n * self.macs_per_sample())
        by_steps = MAX_LAYER_STEPS // (math.ceil(n / min(self.batch_size, n))
                                       * (len(self.hidden) + 1))
        return max(1, int(min(by_work, by_steps)))

    def resolved_init(self, layer: int = 0) -> str:
        if self.init != AUTO:
            return self.init
        acts = self.hidden_activations()
        if layer >= len(acts):  # the output layer (all of a linear model): Xavier, as train
            return "xavier_uniform"
        return ACTIVATIONS[acts[layer]].recommended_init

    def label(self, lang: str = "en") -> str:
        """The run's name: its activation, per layer where they differ, in ``lang``."""
        acts = self.hidden_activations()
        if not acts:
            return lookup(TEXT, "linear", lang)
        if len(set(acts)) == 1:
            return ACTIVATIONS[acts[0]].label_for(lang)
        return " / ".join(ACTIVATIONS[a].label_for(lang) for a in acts)

    def lr_at(self, epoch: int) -> float:
        """The learning rate of the updates from ``epoch`` to ``epoch + 1``."""
        lr = self.lr
        for e, x in self.lr_changes:
            if e <= epoch:
                lr = x
        return lr

    def prefix(self, epochs: int) -> TrainConfig:
        """This run cut at ``epochs`` (the changes from there on are dropped): its record
        equals this run's up to ``epochs``."""
        return replace(self, epochs=epochs)

    def with_lr_from(self, epoch: int, lr: float) -> TrainConfig:
        """This run with the learning rate ``lr`` from ``epoch`` on (later changes dropped;
        no change recorded if the rate stays the same)."""
        kept = tuple(c for c in self.lr_changes if c[0] < epoch)
        if epoch <= 0:
            return replace(self, lr=lr, lr_changes=())
        same = replace(self, lr_changes=kept)
        if same.lr_at(epoch) == lr:
            return same
        return replace(self, lr_changes=(*kept, (int(epoch), float(lr))))


@dataclass(frozen=True)
class TrainConfig(_Derived):
    """Every setting of one training run (see ``FIELDS`` for bounds and help)."""

    dataset: str = "moons"
    n_samples: int = 400
    noise: float = 0.2
    test_fraction: float = 0.25
    n_classes: int = 2
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "relu"
    layer_activations: tuple[str, ...] = ()
    leaky_slope: float = 0.01
    elu_alpha: float = 1.0
    maxout_k: int = 2
    init: str = AUTO
    init_scale: float = 1.0
    bias_init: float = 0.0
    optimizer: str = "sgd"
    lr: float = 0.1
    momentum: float = 0.9
    batch_size: int = 32
    epochs: int = 200
    lr_changes: tuple[tuple[int, float], ...] = ()
    l2: float = 0.0
    seed: int = 0
    n_checkpoints: int = 50
    grid_size: int = 50
    features: tuple[str, ...] = DEFAULT_FEATURES

    def __post_init__(self) -> None:
        for f in fields(self):
            value = check_value(FIELDS[f.name], getattr(self, f.name))
            object.__setattr__(self, f.name, value)
        if self.layer_activations and len(self.layer_activations) != len(self.hidden):
            raise ValueError(
                f"layer_activations: {len(self.layer_activations)} names given for "
                f"{len(self.hidden)} hidden layers; give one per layer or none")
        spec = DATASETS[self.dataset]
        lo, hi = spec.classes
        if lo != hi and not lo <= self.n_classes <= hi:
            raise ValueError(f"n_classes: {self.dataset} allows {lo} to {hi} classes, "
                             f"not {self.n_classes}")
        k = self.effective_classes()
        n_test = self.n_total() - self.n_train()
        if DATASETS[self.dataset].fixed_size is None and (n_test < k or self.n_train() < 2 * k):
            raise ValueError(
                f"n_samples: {self.n_samples} points with test fraction {self.test_fraction:g} "
                f"leave {n_test} test points, too few for {k} classes")
        if self.work() > MAX_WORK or self.layer_steps() > MAX_LAYER_STEPS:
            raise ValueError(
                f"epochs: {self.epochs} epochs of this network on {self.n_train()} points is "
                f"too much work for one run; at most {self.max_epochs()} epochs fit the budget")
        # a change at or after the last epoch changes nothing: dropped, so that a shorter
        # run (a prefix, or fewer epochs chosen later) is one config, not several equal ones
        object.__setattr__(self, "lr_changes",
                           tuple(c for c in self.lr_changes if c[0] < self.epochs))

    def replace(self, **changes: Any) -> TrainConfig:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    # ---------------------------------------------------------------- URL round trip
    def to_query(self, all_fields: bool = False, base: TrainConfig | None = None,
                 exact: bool = False) -> dict[str, str]:
        """Flat dict of strings: the fields that differ from ``base`` (default: the global
        defaults), or every field with ``all_fields``. ``from_query(q, base)`` inverts it
        (exactly with ``exact``, else floats to 6 significant digits: see ``format_value``)."""
        out: dict[str, str] = {}
        for f in FIELDS.values():
            value = getattr(self, f.name)
            default = f.default if base is None else getattr(base, f.name)
            if not all_fields and value == default:
                continue
            out[f.name] = format_value(f, value, exact)
        return out

    @classmethod
    def from_query(cls, query: Mapping[str, Any], base: TrainConfig | None = None,
                   ) -> tuple[TrainConfig, list[str]]:
        """Parse a flat dict of strings; each bad field keeps its default and is reported.

        Unknown keys are ignored (the page may keep its own keys in the same URL).
        """
        base = base or cls()
        values = base.to_dict()
        errors: list[str] = []
        for name, f in FIELDS.items():
            if name not in query:
                continue
            raw = query[name]
            if isinstance(raw, (list, tuple)) and f.kind not in ("layers", "acts"):
                raw = raw[-1] if raw else ""
            try:
                values[name] = check_value(f, parse_value(f, raw))
            except ValueError as exc:
                errors.append(str(exc) if str(exc).startswith(name) else
                              f"{name}: {quote_value(str(raw))} is not allowed; "
                              f"expected {f.allowed()}")
        cfg, more = build_config(cls, values, base)
        return cfg, errors + more


def build_config(cls: type[TrainConfig], values: dict[str, Any], base: TrainConfig,
           ) -> tuple[TrainConfig, list[str]]:
    """Build a config from individually valid values, repairing cross-field conflicts."""
    errors: list[str] = []
    for _ in range(4):
        try:
            return cls(**values), errors
        except ValueError as exc:
            msg = str(exc)
            errors.append(msg + " (using a safe value)")
            name = msg.split(":", 1)[0]
            if name == "epochs":
                probe = cls(**{**values, "epochs": 1})
                values["epochs"] = min(values["epochs"], probe.max_epochs())
            elif name in values:
                values[name] = FIELDS[name].default if name != "layer_activations" else ()
            else:
                break
    return base, errors


#: this module's names and, re-exported, those of :mod:`explorer.fields`
__all__ = [
    "FIELDS",
    "Field",
    "LINEAR_LABEL",
    "MAX_LAYERS",
    "MAX_LAYER_STEPS",
    "MAX_LR_CHANGES",
    "MAX_UNITS",
    "MAX_WORK",
    "NO_HIDDEN",
    "TrainConfig",
    "build_config",
    "check_value",
    "format_value",
    "parse_value",
    "run_label",
]
