"""Exports: CSVs parse back to the record's numbers; settings JSON round-trips; bad files are
reported, never raised."""

import io
import json

import numpy as np
import pandas as pd
import pytest

from explorer import TrainConfig, train, train_many
from explorer.export import config_from_json, config_json, history_csv, layer_stats_csv


@pytest.fixture(scope="module")
def rec():
    return train(TrainConfig(epochs=12, n_checkpoints=5, hidden=(6, 5), activation="tanh"))


def test_history_csv_parses_back_to_the_record(rec):
    back = pd.read_csv(io.BytesIO(history_csv(rec)))
    assert list(back.columns) == list(rec.history.columns)
    np.testing.assert_allclose(back.to_numpy(float), rec.history.to_numpy(float), rtol=1e-9)


def test_layer_stats_csv_parses_back(rec):
    back = pd.read_csv(io.BytesIO(layer_stats_csv(rec)))
    assert len(back) == len(rec.layer_stats) == 5 * 3
    np.testing.assert_allclose(back["grad_norm"], rec.layer_stats["grad_norm"], rtol=1e-9)


def test_csv_of_several_runs_names_each_run():
    cfg = TrainConfig(epochs=3, n_checkpoints=2)
    recs = train_many([cfg.replace(activation=a) for a in ("sigmoid", "relu")])
    back = pd.read_csv(io.BytesIO(history_csv(recs)))
    assert sorted(back["activation"].unique()) == ["relu", "sigmoid"]
    assert len(back) == sum(len(r.history) for r in recs)


def test_config_json_round_trip_with_page_keys():
    cfg = TrainConfig(lr=0.5, hidden=(4, 4, 4), activation="maxout", maxout_k=3, seed=9)
    back, page, errors = config_from_json(config_json(cfg, {"epoch": "40"}))
    assert back == cfg and page == {"epoch": "40"} and errors == []


@pytest.mark.parametrize("payload, field", [
    ('{"config": {"hidden": null}}', "hidden"),
    ('{"config": {"layer_activations": 5}}', "layer_activations"),
    ('{"config": {"lr": null}}', "lr"),
    ('{"config": {"lr": -1}}', "lr"),
    ('{"config": {"epochs": [1, 2]}}', "epochs"),
    ('{"config": {"mystery": 1}}', "mystery"),
])
def test_bad_config_values_are_reported_and_keep_defaults(payload, field):
    cfg, _, errors = config_from_json(payload)
    assert any(e.startswith(field) for e in errors), errors
    assert cfg == TrainConfig()


@pytest.mark.parametrize("data", [b"{x", b"\xff\xfe\x00", b"[1, 2]", b'{"config": 3}',
                                  json.dumps({"config": {"a": "b" * 30000}}).encode()])
def test_broken_files_give_errors_not_exceptions(data):
    cfg, page, errors = config_from_json(data)
    assert errors and cfg == TrainConfig() and page == {}


def test_too_few_points_for_the_classes_is_a_config_error():
    with pytest.raises(ValueError, match=r"^n_samples\b"):
        TrainConfig(dataset="blobs", n_classes=6, n_samples=40, test_fraction=0.1)
    cfg, errors = TrainConfig.from_query({"dataset": "blobs", "n_classes": "6", "n_samples": "40",
                                          "test_fraction": "0.1"})
    assert errors and cfg.n_samples == TrainConfig().n_samples and cfg.n_classes == 6
