"""TrainConfig (explorer.config): validation, URL round trip, the work bound, hashing.

Bounds and choices are read from ``FIELDS`` (and ``MAX_LAYERS``/``MAX_UNITS``/``MAX_WORK``), so
the tests follow the table rather than restating it.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from explorer import ACTIVATIONS, DATASETS, FIELDS, TrainConfig
from explorer.config import MAX_LAYERS, MAX_UNITS, MAX_WORK
from explorer.features import FEATURES

DEFAULT = TrainConfig()
NUMERIC = [n for n, f in FIELDS.items() if f.kind in ("int", "float")]
CHOICE = [n for n, f in FIELDS.items() if f.kind == "choice"]


# --------------------------------------------------------------------------------------------
# The FIELDS table and the dataclass agree


def test_fields_cover_the_dataclass_with_matching_defaults():
    names = [f.name for f in dataclasses.fields(TrainConfig)]
    assert names == list(FIELDS)
    assert list(DEFAULT.to_dict()) == names
    for name, f in FIELDS.items():
        assert getattr(DEFAULT, name) == f.default, name
        assert f.help.strip(), name
        assert f.allowed().strip(), name
        if f.kind in ("int", "float"):
            assert f.lo <= f.default <= f.hi, name
        if f.kind == "choice":
            assert f.default in f.choices(), name
    assert set(FIELDS["activation"].choices()) == set(ACTIVATIONS.names())
    assert set(FIELDS["dataset"].choices()) == set(DATASETS.names())


def test_default_to_query_is_empty_and_all_fields_is_complete():
    assert DEFAULT.to_query() == {}
    full = DEFAULT.to_query(all_fields=True)
    assert set(full) == set(FIELDS)
    assert all(isinstance(v, str) for v in full.values())
    assert TrainConfig.from_query(full) == (DEFAULT, [])


# --------------------------------------------------------------------------------------------
# Round trip


def _round_sig(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


def random_config(rng: np.random.Generator) -> TrainConfig:
    """A random valid config (floats with 4 significant digits, as a slider would give)."""
    for _ in range(200):
        v = {}
        for name, f in FIELDS.items():
            if f.kind == "choice":
                choices = f.choices()
                v[name] = choices[rng.integers(len(choices))]
            elif f.kind == "int":
                v[name] = int(rng.integers(int(f.lo), int(f.hi) + 1))
            elif f.kind == "float":
                r = rng.random()
                if r < 0.1:
                    v[name] = float(f.lo)
                elif r < 0.2:
                    v[name] = float(f.hi)
                elif f.log:
                    v[name] = _round_sig(math.exp(rng.uniform(math.log(f.lo), math.log(f.hi))))
                else:
                    v[name] = _round_sig(rng.uniform(f.lo, f.hi))
                v[name] = min(max(v[name], f.lo), f.hi)
            elif f.kind == "layers":
                v[name] = tuple(int(u) for u in rng.integers(1, MAX_UNITS + 1,
                                                             rng.integers(1, MAX_LAYERS + 1)))
            elif f.kind == "features":  # a non-empty subset, in a random order
                names = FEATURES.names()
                pick = rng.permutation(len(names))[:rng.integers(1, len(names) + 1)]
                v[name] = tuple(names[i] for i in pick)
        names = ACTIVATIONS.names()
        v["layer_activations"] = (tuple(names[i] for i in rng.integers(0, len(names),
                                                                       len(v["hidden"])))
                                  if rng.random() < 0.5 else ())
        lo, hi = DATASETS[v["dataset"]].classes
        v["n_classes"] = int(rng.integers(lo, hi + 1))
        try:
            cfg = TrainConfig(**v)
        except ValueError as exc:
            if not str(exc).startswith("epochs"):
                raise
            v["epochs"] = TrainConfig(**{**v, "epochs": 1}).max_epochs()
            cfg = TrainConfig(**v)
        if cfg.epochs > 3 and rng.random() < 0.5:  # learning-rate changes (4 digits, as lr)
            lr = FIELDS["lr"]
            at = sorted(set(rng.integers(1, cfg.epochs, rng.integers(1, 4)).tolist()))
            cfg = cfg.replace(lr_changes=tuple(
                (int(e), min(max(_round_sig(math.exp(rng.uniform(math.log(lr.lo),
                                                                 math.log(lr.hi)))), lr.lo),
                             lr.hi)) for e in at))
        return cfg
    raise AssertionError("no valid config drawn")


@pytest.mark.parametrize("seed", range(40))
def test_round_trip_random_configs(seed):
    cfg = random_config(np.random.default_rng(seed))
    q = cfg.to_query()
    assert all(isinstance(k, str) and isinstance(s, str) for k, s in q.items())
    # only non-default fields are written
    assert set(q) == {n for n, f in FIELDS.items() if getattr(cfg, n) != f.default}
    back, errors = TrainConfig.from_query(q)
    assert errors == []
    assert back == cfg
    assert hash(back) == hash(cfg)
    assert TrainConfig.from_query(cfg.to_query(all_fields=True)) == (cfg, [])


@pytest.mark.parametrize("seed", range(10))
def test_round_trip_of_full_precision_floats_is_close_and_stable(seed):
    rng = np.random.default_rng(1000 + seed)
    changes = {n: float(rng.uniform(FIELDS[n].lo, FIELDS[n].hi))
               for n, f in FIELDS.items() if f.kind == "float"}
    cfg = TrainConfig(**changes)
    back, errors = TrainConfig.from_query(cfg.to_query())
    assert errors == []
    for n in changes:
        assert getattr(back, n) == pytest.approx(getattr(cfg, n), rel=1e-5, abs=1e-12)
    assert TrainConfig.from_query(back.to_query()) == (back, [])


def test_query_accepts_list_values_and_whitespace():
    cfg, errors = TrainConfig.from_query({"lr": ["0.5", "0.25"], "noise": " 0.3 ",
                                          "hidden": "8-4", "layer_activations": "tanh-relu"})
    assert errors == []
    assert cfg.lr == 0.25 and cfg.noise == 0.3
    assert cfg.hidden == (8, 4) and cfg.layer_activations == ("tanh", "relu")


def test_unknown_query_keys_are_ignored():
    cfg, errors = TrainConfig.from_query({"page": "gallery", "lang": "zh", "seed": "3"})
    assert errors == []
    assert cfg == DEFAULT.replace(seed=3)


# --------------------------------------------------------------------------------------------
# Bad query values: reported by name, field keeps its default, the rest is kept


def _bad_raw(name: str) -> list[str]:
    f = FIELDS[name]
    if f.kind == "choice":
        return ["nope", "", str(f.choices()[0]).upper() + "X", "1"]
    if f.kind == "layers":
        return ["0", str(MAX_UNITS + 1), "8-0", "a-b", "1.5", "", "-".join(["4"] * (MAX_LAYERS + 1)),
                "nan", "1e400"]
    if f.kind == "acts":
        return ["nope", "relu-nope", "-".join(["relu"] * (MAX_LAYERS + 1))]
    if f.kind == "features":
        return ["nope", "x1-nope", "", "x1-x1", "x1--x2", "-x1"]
    if f.kind == "lr_changes":  # (the good fields keep 200 epochs)
        return ["abc", "10", "_0.5", "0_0.5", "10_0", "10_20", "10_-1", "20_0.5-10_0.3",
                "10_0.5-10_0.3", "2000_0.5", "1.5_0.3", "10_nan", "10_0.5-",
                "-".join(f"{e}_0.5" for e in range(1, 11))]
    bad = ["abc", "nan", "NaN", "inf", "-inf", "1e400", "", "1+1",
           repr(f.hi * 10 + 1), repr(f.lo - 1), "9" * 40]
    if f.lo >= 0:
        bad.append("-1")
    if f.kind == "int":
        bad.append(repr(f.lo + 0.5))
    return bad


BAD_QUERY = [(n, raw) for n in FIELDS for raw in _bad_raw(n)]


@pytest.mark.parametrize(("name", "raw"), BAD_QUERY, ids=[f"{n}={r[:12]}" for n, r in BAD_QUERY])
def test_bad_query_value_is_reported_and_field_keeps_default(name, raw):
    good = {"seed": "7", "noise": "0.35", "activation": "tanh"}
    good.pop(name, None)
    cfg, errors = TrainConfig.from_query({**good, name: raw})
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{name}:"), errors
    assert getattr(cfg, name) == FIELDS[name].default
    for other, value in good.items():
        f = FIELDS[other]
        expected = int(value) if f.kind == "int" else float(value) if f.kind == "float" else value
        assert getattr(cfg, other) == expected, other


@pytest.mark.parametrize("raw", ["-16", "-5-3"])
def test_negative_layer_width_in_query_is_an_error(raw):
    cfg, errors = TrainConfig.from_query({"hidden": raw})
    assert len(errors) == 1 and errors[0].startswith("hidden:")
    assert cfg.hidden == FIELDS["hidden"].default


def test_several_bad_fields_each_reported():
    cfg, errors = TrainConfig.from_query({"lr": "-3", "epochs": "nan", "activation": "swish9",
                                          "seed": "11"})
    assert sorted(e.split(":", 1)[0] for e in errors) == ["activation", "epochs", "lr"]
    assert (cfg.lr, cfg.epochs, cfg.activation) == (DEFAULT.lr, DEFAULT.epochs,
                                                    DEFAULT.activation)
    assert cfg.seed == 11


def test_lr_changes_at_or_after_the_end_are_dropped():
    cfg = TrainConfig(epochs=100, lr_changes=((50, 0.5), (100, 1.0), (150, 2.0)))
    assert cfg.lr_changes == ((50, 0.5),)
    assert cfg == TrainConfig(epochs=100, lr_changes=((50, 0.5),))
    assert cfg.replace(epochs=50).lr_changes == () and cfg.prefix(50) == TrainConfig(epochs=50)
    assert TrainConfig.from_query({"epochs": "100", "lr_changes": "50_0.5-120_1"}) == (cfg, [])
    assert cfg.to_query() == {"epochs": "100", "lr_changes": "50_0.5"}
    assert [cfg.lr_at(e) for e in (0, 49, 50, 99)] == [0.1, 0.1, 0.5, 0.5]


def test_layer_activations_length_mismatch():
    with pytest.raises(ValueError, match=r"^layer_activations\b"):
        TrainConfig(hidden=(8, 8), layer_activations=("relu",))
    with pytest.raises(ValueError, match=r"^layer_activations\b"):
        TrainConfig(hidden=(8,), layer_activations=("relu", "tanh"))
    with pytest.raises(ValueError, match=r"^layer_activations\b"):
        DEFAULT.replace(hidden=(4, 4, 4), layer_activations=("relu", "tanh"))
    ok = TrainConfig(hidden=(8, 4), layer_activations=("tanh", "relu"))
    assert ok.hidden_activations() == ("tanh", "relu")
    assert TrainConfig(hidden=(8, 4)).hidden_activations() == ("relu", "relu")
    cfg, errors = TrainConfig.from_query({"hidden": "8-8-8", "layer_activations": "relu-tanh",
                                          "seed": "4"})
    assert len(errors) == 1 and errors[0].startswith("layer_activations")
    assert cfg.layer_activations == () and cfg.hidden == (8, 8, 8) and cfg.seed == 4


def test_n_classes_outside_the_dataset_range():
    lo, hi = DATASETS["classification"].classes
    with pytest.raises(ValueError, match=r"^n_classes\b"):
        TrainConfig(dataset="classification", n_classes=hi + 1)
    cfg, errors = TrainConfig.from_query({"dataset": "classification", "n_classes": str(hi + 1)})
    assert len(errors) == 1 and errors[0].startswith("n_classes")
    assert cfg.dataset == "classification" and cfg.n_classes == FIELDS["n_classes"].default


# --------------------------------------------------------------------------------------------
# Constructor / replace errors name the field


def _bad_python(name: str) -> list:
    f = FIELDS[name]
    if f.kind == "choice":
        return ["nope", 3, None, ("relu",)]
    if f.kind == "layers":
        return [(0,), (MAX_UNITS + 1,), (4,) * (MAX_LAYERS + 1), (-8,), (1.5,), 16, None,
                ("a",), "16"]
    if f.kind == "acts":
        return ["relu", ("nope",), ("relu", 3)]
    if f.kind == "features":
        return ["x1", (), ("nope",), ("x1", "x1"), ("x1", 3), None, 2]
    if f.kind == "lr_changes":
        return ["10_0.5", ((10, 0.5, 1),), ((0, 0.5),), ((10, 0.0),), ((10, 0.5), (5, 0.5)),
                ((2000, 0.5),), ((True, 0.5),), ((10, "0.5"),), ((1.5, 0.5),), None, 3,
                tuple((e, 0.5) for e in range(1, 11))]
    bad = [float("nan"), float("inf"), -float("inf"), f.hi * 10 + 1, f.lo - 1, 1e300, "1",
           None, True, [1]]
    if f.kind == "int":
        bad.append(f.lo + 0.5)
    return bad


BAD_PY = [(n, v) for n in FIELDS for v in _bad_python(n)]


@pytest.mark.parametrize(("name", "value"), BAD_PY, ids=[f"{n}={v!r}"[:30] for n, v in BAD_PY])
def test_constructor_and_replace_reject_bad_value_naming_the_field(name, value):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        TrainConfig(**{name: value})
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        DEFAULT.replace(**{name: value})


def test_constructor_normalises_types():
    cfg = TrainConfig(hidden=[8, 4.0], layer_activations=["tanh", "relu"], epochs=10.0, lr=1)
    assert cfg.hidden == (8, 4) and all(type(u) is int for u in cfg.hidden)
    assert cfg.layer_activations == ("tanh", "relu")
    assert type(cfg.epochs) is int and cfg.epochs == 10
    assert type(cfg.lr) is float and cfg.lr == 1.0
    assert cfg == TrainConfig(hidden=(8, 4), layer_activations=("tanh", "relu"), epochs=10,
                              lr=1.0)


@pytest.mark.parametrize("value", [None, 5, (["relu"],)], ids=["None", "int", "unhashable"])
def test_layer_activations_wrong_type_is_a_value_error(value):
    with pytest.raises(ValueError, match=r"^layer_activations\b"):
        TrainConfig(layer_activations=value)


def test_bool_layer_width_is_rejected():
    with pytest.raises(ValueError, match=r"^hidden\b"):
        TrainConfig(hidden=(True, 2))


# --------------------------------------------------------------------------------------------
# The work bound


def test_work_bound_rejects_or_reduces():
    big = dict(hidden=(64,) * 8, activation="maxout", maxout_k=5)
    probe = TrainConfig(**big, epochs=1)
    assert probe.work() == probe.epochs * probe.n_train() * probe.macs_per_sample()
    assert 2000 * probe.n_train() * probe.macs_per_sample() > MAX_WORK
    with pytest.raises(ValueError, match=r"^epochs\b") as info:
        TrainConfig(**big, epochs=2000)
    assert str(probe.max_epochs()) in str(info.value)
    cfg, errors = TrainConfig.from_query({"hidden": "-".join(["64"] * 8), "activation": "maxout",
                                          "maxout_k": "5", "epochs": "2000", "seed": "9"})
    assert len(errors) == 1 and errors[0].startswith("epochs")
    assert cfg.hidden == (64,) * 8 and cfg.activation == "maxout" and cfg.maxout_k == 5
    assert cfg.seed == 9
    assert 1 <= cfg.epochs < 2000
    assert cfg.epochs == probe.max_epochs()
    assert cfg.work() <= MAX_WORK
    with pytest.raises(ValueError, match=r"^epochs\b"):
        cfg.replace(epochs=cfg.epochs + 1)


def test_macs_per_sample_counts_pieces_and_outputs():
    cfg = TrainConfig(hidden=(5, 3), activation="maxout", maxout_k=4, dataset="blobs",
                      n_classes=3)
    assert cfg.macs_per_sample() == (2 + 1) * 5 * 4 + (5 + 1) * 3 * 4 + (3 + 1) * 3
    cfg = TrainConfig(hidden=(5, 3), activation="relu")
    assert cfg.macs_per_sample() == 3 * 5 + 6 * 3 + 4 * 1


# --------------------------------------------------------------------------------------------
# Frozen and hashable


def test_hashable_frozen_and_usable_as_dict_key():
    a = TrainConfig(activation="tanh", hidden=[8, 8])
    b = TrainConfig(activation="tanh", hidden=(8, 8))
    c = a.replace(seed=1)
    assert a == b and hash(a) == hash(b)
    assert a != c
    cache = {a: "first"}
    cache[b] = "second"
    cache[c] = "third"
    assert len(cache) == 2 and cache[a] == "second"
    assert len({a, b, c, DEFAULT, TrainConfig()}) == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.lr = 0.5  # type: ignore[misc]
    assert a.seed == 0 and c.seed == 1  # replace left the original alone
    assert hash(TrainConfig.from_query(c.to_query())[0]) == hash(c)


def test_label():
    assert TrainConfig(activation="relu").label() == ACTIVATIONS["relu"].label
    lab = TrainConfig(hidden=(4, 4), layer_activations=("tanh", "relu")).label()
    assert ACTIVATIONS["tanh"].label in lab and ACTIVATIONS["relu"].label in lab
    assert TrainConfig(hidden=(4, 4), layer_activations=("elu", "elu")).label() == "ELU"
