"""Issue 10 (items 3 and 4): the network diagram and the input features.

* every drawn unit's thumbnail equals its activation on the thumbnail grid recomputed here,
  independently, with plain numpy from the record's weight snapshot (1e-12);
* the kept weights reproduce the record's boundary probabilities at every kept checkpoint;
* dead units (zero-init preset, lr-3 preset) are drawn dead, saturated ones framed, as the
  record's statistics say;
* the work of one diagram is bounded by counting (grid points × units) for a 6 × 64 net, and
  the weight snapshots of a record are bounded in bytes;
* features: config and URL round trip, validation, and on circles (x1, x2, x1², x2²) with no
  hidden layer separates what (x1, x2) cannot;
* the Playground renders the diagram (AppTest).
"""

from __future__ import annotations

import importlib
import json

import numpy as np
import pagetest
import pytest

from explorer import TrainConfig, train
from explorer.charts import network as net_chart
from explorer.config import FIELDS
from explorer.features import FEATURES, feature_matrix
from explorer.network_view import MAX_THUMB, MAX_UNITS, SATURATED_SHARE, network_view
from explorer.presets import PRESETS
from explorer.record import WEIGHT_BUDGET, weight_checkpoints
from explorer.train import checkpoint_epochs

SMALL = dict(n_samples=120, epochs=12, n_checkpoints=5, grid_size=20, hidden=(5, 4))


# ------------------------------------------------------------------------------ reference
def ref_features(names, X):
    """Each feature written out by hand (not through the registry)."""
    x1, x2 = X[:, 0], X[:, 1]
    by_hand = {"x1": x1, "x2": x2, "x1sq": x1 ** 2, "x2sq": x2 ** 2, "x1x2": x1 * x2,
               "sinx1": np.sin(x1), "sinx2": np.sin(x2)}
    return np.column_stack([by_hand[n] for n in names])


def ref_act(name, z, cfg, alpha):
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "leaky_relu":
        return np.where(z > 0, z, cfg.leaky_slope * z)
    if name == "prelu":
        return np.where(z > 0, z, alpha * z)
    if name == "elu":
        return np.where(z > 0, z, cfg.elu_alpha * (np.exp(np.minimum(z, 0)) - 1.0))
    if name == "maxout":
        return z.reshape(z.shape[0], -1, cfg.maxout_k).max(axis=-1)
    raise KeyError(name)


def ref_forward(rec, epoch, X):
    """[features, hidden..., output probabilities] from the record's snapshot at ``epoch``."""
    cfg = rec.config
    i = rec.weight_epochs.index(epoch)
    weights, alphas = rec.weights[i], rec.alphas[i]
    h = ref_features(cfg.features, X)
    out = [h]
    for li, (W, b) in enumerate(weights[:-1]):
        h = ref_act(cfg.hidden_activations()[li], h @ W + b, cfg, alphas[li])
        out.append(h)
    W, b = weights[-1]
    z = h @ W + b
    if z.shape[1] == 1:
        out.append(1.0 / (1.0 + np.exp(-z)))
    else:
        e = np.exp(z - z.max(axis=1, keepdims=True))
        out.append(e / e.sum(axis=1, keepdims=True))
    return out


def thumb_points(rec, size):
    gx = np.linspace(rec.grid_x[0], rec.grid_x[-1], size)
    gy = np.linspace(rec.grid_y[0], rec.grid_y[-1], size)
    xx, yy = np.meshgrid(gx, gy)
    return np.column_stack([xx.ravel(), yy.ravel()])


CASES = [
    dict(activation="relu"),
    dict(activation="tanh", features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")),
    dict(activation="sigmoid", features=("x1sq", "sinx2")),
    dict(activation="leaky_relu", leaky_slope=0.2),
    dict(activation="prelu", features=("x1", "x2", "x1x2")),
    dict(activation="elu", elu_alpha=0.7),
    dict(activation="maxout", maxout_k=3, features=("x1", "x2", "x2sq")),
    dict(layer_activations=("tanh", "relu")),
    dict(activation="relu", dataset="blobs", n_classes=3),
    dict(activation="tanh", hidden=()),
]


@pytest.fixture(scope="module", params=range(len(CASES)), ids=lambda i: str(CASES[i]))
def case(request):
    cfg = TrainConfig(**{**SMALL, **CASES[request.param]})
    return train(cfg)


def test_thumbnails_equal_the_units_activation_from_the_snapshot(case):
    rec = case
    for epoch in (rec.checkpoints[0], rec.checkpoints[len(rec.checkpoints) // 2], None):
        view = network_view(rec, epoch, size=17, max_units=3)
        ref = ref_forward(rec, view.epoch, thumb_points(rec, 17))
        ref_tr = ref_forward(rec, view.epoch, rec.data.X_train)
        assert len(view.layers) == len(ref) == len(rec.config.hidden) + 2
        for lay, A, A_tr in zip(view.layers, ref, ref_tr, strict=True):
            assert lay.n_units == A.shape[1]
            assert len(lay.units) == min(3, A.shape[1])
            for u in lay.units:
                assert u.values.shape == (17 * 17,)
                np.testing.assert_allclose(u.values, A[:, u.index], rtol=0, atol=1e-12)
                assert abs(u.mean_act - A_tr[:, u.index].mean()) < 1e-12
        # incoming weights and biases of the tooltip are the snapshot's columns
        i = rec.weight_epochs.index(view.epoch)
        for li, lay in enumerate(view.layers[1:], start=1):
            W, b = rec.weights[i][li - 1]
            for u in lay.units:
                k = W.shape[1] // lay.n_units
                cols = slice(u.index * k, (u.index + 1) * k)
                np.testing.assert_array_equal(u.w_in.reshape(W.shape[0], -1), W[:, cols])
                np.testing.assert_array_equal(np.ravel(u.bias), b[cols])


def test_kept_weights_reproduce_the_boundary(case):
    rec = case
    P = np.column_stack([a.ravel() for a in np.meshgrid(rec.grid_x, rec.grid_y)])
    for epoch in rec.weight_epochs:
        c = rec.checkpoints.index(epoch)
        prob = ref_forward(rec, epoch, P)[-1]
        if prob.shape[1] == 1:
            p = prob[:, 0]
        else:
            p = prob.max(axis=1)
            sure = np.sort(prob, axis=1)[:, -1] - np.sort(prob, axis=1)[:, -2] > 1e-6
            assert (prob.argmax(axis=1) == rec.grid_cls[c])[sure].all()
        # the record stores float32: equal to its rounding
        np.testing.assert_allclose(p, rec.grid_p[c].astype(np.float64), rtol=0, atol=1e-6)
    assert rec.weight_epochs[-1] == rec.checkpoints[-1]


def test_dead_units_of_the_zero_init_preset_are_drawn_dead():
    rec = train(PRESETS["zero_init_relu"].config().replace(epochs=20, n_checkpoints=5))
    view = network_view(rec)
    hidden = [u for lay in view.layers if lay.kind == "hidden" for u in lay.units]
    assert hidden and all(u.dead and not u.saturated for u in hidden)
    assert all(np.all(u.values == 0) for u in hidden)
    spec = net_chart.network_chart(rec, view=view).to_dict()
    assert n_dead_drawn(spec) == len(hidden)
    assert all(lay.dead_more == lay.hidden_more for lay in view.layers if lay.kind == "hidden")


def test_the_large_lr_preset_draws_exactly_the_records_dead_units():
    rec = train(PRESETS["large_lr_kills_relu"].config().replace(n_checkpoints=10))
    dead_seen = 0
    for epoch in rec.checkpoints:
        view = network_view(rec, epoch)
        c = rec.checkpoints.index(view.epoch)
        n_dead = 0
        for lay in view.layers:
            if lay.kind != "hidden":
                continue
            flags = rec.dead_map(lay.layer)[c]
            assert [u.dead for u in lay.units] == list(flags[:len(lay.units)])
            assert lay.dead_more == int(flags[len(lay.units):].sum())
            n_dead += sum(u.dead for u in lay.units)
        spec = net_chart.network_chart(rec, view=view).to_dict()
        assert n_dead_drawn(spec) == n_dead
        dead_seen = max(dead_seen, n_dead)
    assert dead_seen > 0  # the preset does kill units (what the diagram must show)


def test_saturated_units_follow_the_record():
    cfg = TrainConfig(**{**SMALL, "activation": "tanh", "init": "normal", "init_scale": 4.0,
                         "hidden": (8, 8)})
    rec = train(cfg)
    view = network_view(rec)
    c = rec.checkpoints.index(view.epoch)
    marked = 0
    for lay in view.layers[1:-1]:
        share = rec.unit_saturated[lay.layer - 1][c]
        for u in lay.units:
            assert u.sat_share == share[u.index]
            assert u.saturated == (not u.dead and share[u.index] >= SATURATED_SHARE)
            marked += u.saturated
    assert marked > 0
    spec = net_chart.network_chart(rec, view=view).to_dict()
    assert n_saturated_drawn(spec) == marked


def rows(spec, mark):
    """The data rows of every layer drawn with ``mark``."""
    out = []
    for layer in spec["layer"]:
        if layer["mark"]["type"] == mark:
            out += spec["datasets"][layer["data"]["name"]]
    return out


def n_dead_drawn(spec):
    """Greyed squares and ✕ marks (they must agree)."""
    grey = sum(r.get("kind") == "dead" and r["fill"] == net_chart.DEAD_FILL
               for r in rows(spec, "rect"))
    crosses = sum(r.get("text") == net_chart.DEAD_MARK for r in rows(spec, "text"))
    assert grey == crosses
    return grey


def n_saturated_drawn(spec):
    return sum(r.get("kind") == "saturated" and r["stroke"] == net_chart.SAT_FRAME
               for r in rows(spec, "rect"))


# ------------------------------------------------------------------------------ bounded work
def test_a_6x64_diagram_is_bounded_by_counting(monkeypatch):
    import explorer.network_view as nv

    cfg = TrainConfig(hidden=(64,) * 6, n_samples=200, epochs=3, n_checkpoints=4,
                      grid_size=100)
    rec = train(cfg)
    calls = []
    real = nv.forward

    def counting(rec_, X, epoch=None):
        out = real(rec_, X, epoch)
        calls.append(X.shape[0] * sum(a.shape[1] for a in out[1]))
        return out

    monkeypatch.setattr(nv, "forward", counting)
    view = nv.network_view(rec, size=100)  # asks for 100 × 100: capped
    units = 2 + 6 * 64 + 1
    assert len(view.grid_x) == len(view.grid_y) == MAX_THUMB
    assert len(calls) == 2  # one pass on the grid, one on the training points
    assert sum(calls) == view.evaluations == (MAX_THUMB ** 2 + rec.data.X_train.shape[0]) * units
    print(f"6x64 diagram: {view.evaluations} unit evaluations "
          f"({MAX_THUMB}² grid + {rec.data.X_train.shape[0]} training points, {units} units)")
    assert all(len(lay.units) <= MAX_UNITS for lay in view.layers)
    assert [lay.hidden_more for lay in view.layers[1:-1]] == [64 - MAX_UNITS] * 6
    spec = net_chart.network_chart(rec, view=view).to_dict()
    images, rules = len(rows(spec, "image")), len(rows(spec, "rule"))
    assert images == 2 + 6 * MAX_UNITS + 1
    assert rules == 2 * MAX_UNITS + 5 * MAX_UNITS ** 2 + MAX_UNITS  # links between drawn units
    assert len(spec["layer"]) <= 6
    size = len(json.dumps(spec))
    print(f"6x64 diagram spec: {images} thumbnails, {rules} links, {size / 1e3:.0f} kB")
    assert size < 400_000


def test_weight_snapshots_are_bounded_in_bytes():
    default = train(TrainConfig(epochs=20))
    assert default.weight_epochs == default.checkpoints  # small nets keep every snapshot
    per = sum(W.nbytes + b.nbytes for W, b in default.weights[0])
    assert default.weight_bytes() == per * len(default.checkpoints)
    full_default = per * len(checkpoint_epochs(200, 50))
    print(f"default config: {per} B per snapshot, {full_default} B per record (50 snapshots)")
    # a 6 x 64 net with 100 snapshots: thinned to the budget, first and last kept
    big = train(TrainConfig(hidden=(64,) * 6, n_samples=60, epochs=99, n_checkpoints=100,
                            grid_size=10))
    snap = sum(W.nbytes + b.nbytes for W, b in big.weights[0])
    assert len(big.checkpoints) == 100
    assert big.weight_bytes() <= WEIGHT_BUDGET
    assert len(big.weight_epochs) == WEIGHT_BUDGET // snap < 100
    assert big.weight_epochs[0] == 0 and big.weight_epochs[-1] == big.checkpoints[-1]
    assert set(big.weight_epochs) <= set(big.checkpoints)
    # the largest allowed network (12 × 64 Maxout, k = 5): at most 2 snapshots
    largest = TrainConfig(hidden=(64,) * 12, activation="maxout", maxout_k=5, n_samples=40,
                          epochs=99, n_checkpoints=100)
    n_params = largest.macs_per_sample()  # = its parameters (no PReLU slopes)
    kept = weight_checkpoints(checkpoint_epochs(99, 100), 8 * n_params)
    print(f"largest config: {n_params} parameters, {8 * n_params} B per snapshot, "
          f"{len(kept)} kept, {len(kept) * 8 * n_params} B per record")
    assert len(kept) == 2 and len(kept) * 8 * n_params <= 2 * 8 * n_params


def test_thinned_and_diverged_runs_keep_their_last_checkpoints_weights(monkeypatch):
    tr = importlib.import_module("explorer.trainer")  # where the trainer looks the budget up

    # a budget of 3 snapshots; the run diverges a few epochs in, between kept checkpoints
    monkeypatch.setattr(tr, "weight_checkpoints",
                        lambda cks, nbytes: weight_checkpoints(cks, nbytes, budget=3 * nbytes))
    cfg = TrainConfig(n_samples=120, epochs=60, n_checkpoints=61, grid_size=10,
                      hidden=(16,) * 4, activation="identity", lr=1.0)
    rec = train(cfg)
    assert rec.diverged and rec.checkpoints[-1] < 30
    assert rec.weight_epochs == [0, rec.checkpoints[-1]]  # 0 is kept, the last always
    assert all(np.isfinite(W).all() for W, _ in rec.weights[-1])
    net_chart.network_chart(rec).to_dict()  # draws
    whole = train(cfg.replace(lr=0.1, epochs=30, n_checkpoints=31))
    assert whole.weight_epochs == [0, 15, 30]


# ------------------------------------------------------------------------------ features
def test_features_registry_and_matrix():
    assert FEATURES.names() == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]
    X = np.array([[0.5, -2.0], [3.0, 1.5]])
    names = tuple(FEATURES.names())
    np.testing.assert_array_equal(feature_matrix(names, X), ref_features(names, X))
    np.testing.assert_array_equal(feature_matrix(("x1", "x2"), X), X)


def test_features_config_round_trip_and_validation():
    cfg = TrainConfig(features=["x2sq", "x1", "sinx2"])  # any order: stored in registry order
    assert cfg.features == ("x1", "x2sq", "sinx2")
    assert cfg == TrainConfig(features=("sinx2", "x2sq", "x1"))
    q = cfg.to_query()
    assert q == {"features": "x1-x2sq-sinx2"}
    back, errors = TrainConfig.from_query(q)
    assert back == cfg and not errors
    assert TrainConfig().to_query() == {}  # the default (x1, x2) is not written
    for bad in ("", "x1-x3", "x1-x1", "x1--x2", "sin"):
        got, errors = TrainConfig.from_query({"features": bad})
        assert got.features == ("x1", "x2") and errors and errors[0].startswith("features:")
    for bad in ((), ("x1", "x1"), ("nope",), "x1", (1, 2)):
        with pytest.raises(ValueError, match="features"):
            TrainConfig(features=bad)
    assert FIELDS["features"].default == ("x1", "x2")


def test_feature_config_changes_the_network_and_the_record():
    cfg = TrainConfig(**{**SMALL, "features": ("x1", "x2", "x1sq", "x2sq", "x1x2")})
    rec = train(cfg)
    assert rec.weights[0][0][0].shape == (5, 5)  # fan-in = number of features
    assert rec.config.features == cfg.features
    assert cfg.macs_per_sample() == (5 + 1) * 5 + (5 + 1) * 4 + (4 + 1)
    assert rec.boundary().shape[0] == 20 * 20  # the grid stays on the plane


def test_squares_separate_circles_without_a_hidden_layer():
    base = dict(dataset="circles", noise=0.1, hidden=(), epochs=200)
    for seed in (0, 1):
        with_sq = train(TrainConfig(**base, seed=seed, features=("x1", "x2", "x1sq", "x2sq")))
        plain = train(TrainConfig(**base, seed=seed))
        acc_sq, acc_plain = with_sq.final()["train_acc"], plain.final()["train_acc"]
        print(f"seed {seed}: circles, no hidden layer: (x1, x2, x1², x2²) {acc_sq:.3f}, "
              f"(x1, x2) {acc_plain:.3f}")
        assert acc_sq >= 0.95 and acc_plain <= 0.65


# ------------------------------------------------------------------------------ page
def diagram(at):
    """(spec, bytes of its data sets) of the page's network diagram (None if absent)."""
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        if any(lay.get("mark", {}).get("type") == "image" for lay in spec.get("layer", [])):
            return spec, b"".join(bytes(d.data.data) for d in c.proto.datasets)
    return None


def test_playground_renders_the_diagram():
    at = pagetest.run(pagetest.page_file("playground"), {"epochs": "30", "hidden": "6-3"}, 120)
    pagetest.no_errors(at)
    found = diagram(at)
    assert found is not None
    spec, data = found
    title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    assert "Epoch 30" in title
    assert data.count(b"data:image/png;base64,") >= 2 + 6 + 3 + 1  # every unit's thumbnail


def test_playground_feature_widget_sets_the_url_and_the_diagram():
    at = pagetest.run(pagetest.page_file("playground"),
                      {"epochs": "20", "features": "x1sq-x2sq", "lang": "zh"}, 120)
    pagetest.no_errors(at)
    ms = [m for m in at.multiselect if m.label == "输入特征"]
    assert ms and list(ms[0].value) == ["x1sq", "x2sq"]
    _, data = diagram(at)
    assert "x₁²".encode() in data and "x₂²".encode() in data and "x₁·x₂".encode() not in data
    ms[0].set_value(["x1", "x1x2"]).run()
    pagetest.no_errors(at)
    assert pagetest.query_params(at).get("features") == "x1-x1x2"
    _, data = diagram(at)
    assert "x₁·x₂".encode() in data and "x₁²".encode() not in data
