"""Export on every page that trains: the download panel's CSV files hold the numbers the page
shows, and its settings JSON loads back through the sidebar's settings loader (AppTest)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pagetest
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from explorer import TrainConfig
from explorer.charts.core import fmt_pct, fmt_sci
from explorer.config import FIELDS
from explorer.export import config_from_json

ROOT = Path(__file__).resolve().parent.parent
SMALL = {"epochs": "20", "n_checkpoints": "5"}
#: page file -> the page key its widgets and downloads use
PAGES = {"playground": "play", "compare": "compare", "vanishing": "vanishing",
         "dead_relu": "dead", "zigzag": "zigzag"}


class RecordingStorage(MemoryMediaFileStorage):
    """AppTest's in-memory media storage, kept reachable after the run (downloads live there)."""

    stores: list[RecordingStorage] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        RecordingStorage.stores.append(self)


@pytest.fixture(autouse=True)
def _record_media(monkeypatch):
    RecordingStorage.stores = []
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)


def download(at: AppTest, key: str) -> bytes:
    """The bytes behind the download button with widget key ``key``."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key)
                  or getattr(b, "key", None) == key)
    file_id = button.proto.url.rsplit("/", 1)[1].split(".")[0]
    for store in reversed(RecordingStorage.stores):
        if file_id in store._files_by_id:
            return store._files_by_id[file_id].content
    raise AssertionError(f"no media file for {key}")


def run_page(name: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    at.query_params.update(query or {})
    return at.run()


def qp(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def keys(at: AppTest) -> set[str]:
    return {b.key for b in at.get("download_button") if getattr(b, "key", None)}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_training_page_has_the_export_panel(name):
    page = PAGES[name]
    at = run_page(name, SMALL)
    assert not at.exception, [e.value for e in at.exception]
    assert {f"{page}.dl.history", f"{page}.dl.layers", f"{page}.dl.config"} <= keys(at)
    assert any(e.label == "Export" for e in at.expander)
    hist = pd.read_csv(io.BytesIO(download(at, f"{page}.dl.history")))
    assert list(hist.columns[-6:]) == ["epoch", "train_loss", "test_loss", "train_acc",
                                       "test_acc", "train_objective"]
    assert hist["epoch"].max() == 20
    layers = pd.read_csv(io.BytesIO(download(at, f"{page}.dl.layers")))
    assert {"epoch", "layer", "grad_norm", "dead_frac"} <= set(layers.columns)
    payload = json.loads(download(at, f"{page}.dl.config"))
    assert payload["app"] == "activation-explorer"
    assert payload["config"]["epochs"] == "20"
    assert not {"lang", "projector", "data"} & set(payload.get("page", {}))
    # the settings loader sits in the sidebar of the same page
    assert any(u.key == f"{page}.cfgfile" for u in at.get("file_uploader"))


def test_playground_csv_holds_the_numbers_shown():
    at = run_page("playground", SMALL)
    hist = pd.read_csv(io.BytesIO(download(at, "play.dl.history")))
    last = hist.iloc[-1]
    summary = next(m.value for m in at.markdown if m.value.startswith("**Summary.**"))
    assert f"Epoch {int(last['epoch'])}: train accuracy {fmt_pct(last['train_acc'])}, " \
           f"test accuracy {fmt_pct(last['test_acc'])}" in summary
    layers = pd.read_csv(io.BytesIO(download(at, "play.dl.layers")))
    final = layers[layers["epoch"] == layers["epoch"].max()].sort_values("layer")
    table = pagetest.page_dataframes(at)[0].value
    assert list(table["Gradient norm ‖g‖"]) == [fmt_sci(v) for v in final["grad_norm"]]
    assert list(table["Units"]) == list(final["units"])


def test_compare_csv_has_one_block_per_activation():
    at = run_page("compare", SMALL)
    hist = pd.read_csv(io.BytesIO(download(at, "compare.dl.history")))
    assert list(hist["label"].unique()) == ["Sigmoid", "tanh", "ReLU", "Leaky ReLU", "Maxout"]
    assert (hist.groupby("label")["epoch"].max() == 20).all()


def test_settings_json_round_trips_and_loads_back():
    query = {**SMALL, "activation": "tanh", "lr": "0.3", "hidden": "8-8", "epoch": "10"}
    at = run_page("playground", query)
    data = download(at, "play.dl.config")
    cfg, page_keys, errors = config_from_json(data)
    assert not errors
    assert cfg == TrainConfig(activation="tanh", lr=0.3, hidden=(8, 8), epochs=20,
                              n_checkpoints=5)
    assert page_keys == {"epoch": "10"}

    fresh = run_page("playground")  # another visitor with the default view
    assert "activation" not in qp(fresh)
    fresh.file_uploader(key="play.cfgfile").set_value(("s.json", data, "application/json"))
    fresh.run()
    assert not fresh.exception, [e.value for e in fresh.exception]
    assert qp(fresh) == query
    assert fresh.selectbox(key="play.activation").value == "tanh"
    assert fresh.text_input(key="play.hidden").value == "8-8"
    assert fresh.session_state["play.epoch"] == 10
    assert any("Loaded" in c.value or "loaded" in c.value for c in fresh.caption)
    before = [c.proto.spec for c in at.get("vega_lite_chart")]
    after = [c.proto.spec for c in fresh.get("vega_lite_chart")]
    assert before == after  # the same view


def test_loading_compare_settings_restores_page_keys():
    query = {**SMALL, "acts": "relu-tanh", "target": "80", "log": "1"}
    at = run_page("compare", query)
    data = download(at, "compare.dl.config")
    fresh = run_page("compare", {"acts": "sigmoid-relu-elu"})
    fresh.file_uploader(key="compare.cfgfile").set_value(("s.json", data, "application/json"))
    fresh.run()
    assert not fresh.exception
    assert qp(fresh) == query
    assert fresh.multiselect(key="compare.acts").value == ["relu", "tanh"]


def test_a_bad_settings_file_is_reported_not_raised():
    at = run_page("dead_relu", SMALL)
    bad = json.dumps({"config": {"lr": "banana", "epochs": "30", "colour": "red"}}).encode()
    at.file_uploader(key="dead.cfgfile").set_value(("bad.json", bad, "application/json"))
    at.run()
    assert not at.exception
    warnings = "\n".join(w.value for w in at.warning)
    assert "could not be used fully" in warnings and "lr" in warnings and "colour" in warnings
    assert qp(at).get("epochs") == "30"
    at.file_uploader(key="dead.cfgfile").set_value(("x.json", b"\x00\x01", "application/json"))
    at.run()
    assert not at.exception
    assert "not a JSON file" in "\n".join(w.value for w in at.warning)


def test_projector_mode_hides_export_and_loader():
    at = run_page("playground", {**SMALL, "projector": "1"})
    assert not keys(at) & {"play.dl.history", "play.dl.layers", "play.dl.config"}
    assert not any(u.key == "play.cfgfile" for u in at.get("file_uploader"))


def test_every_config_field_is_in_the_settings_file():
    at = run_page("vanishing", SMALL)
    payload = json.loads(download(at, "vanishing.dl.config"))
    assert set(payload["config"]) == set(FIELDS)
    assert re.fullmatch(r"[\w.-]+", payload["config"]["hidden"])
