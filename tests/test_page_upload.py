"""Own data on the Playground (AppTest with its file-uploader support): a good CSV trains and
shows the charts; every fault gets its own message (English and Chinese); the URL says
``data=upload``; the built-in data widgets are hidden while they do not apply."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.upload import MAX_BYTES, MAX_CLASSES, MAX_ROWS, example_csv, message

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "playground.py")
SMALL = {"epochs": "20", "n_checkpoints": "5"}
#: boundary, loss, accuracy, gradient histograms and the network diagram
PLAYGROUND_CHARTS = 5
DATA_WIDGETS = ("play.dataset", "play.n_samples", "play.noise", "play.n_classes")


def qp(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def widget_keys(at: AppTest) -> set[str]:
    out = set()
    for node in at._tree:
        key = getattr(node, "key", None)
        if isinstance(key, str):
            out.add(key)
    return out


def upload(data: bytes, query: dict[str, str] | None = None, name: str = "data.csv",
           lang: str = "en") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({"data": "upload", **SMALL, **(query or {})})
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    at.file_uploader(key="play.csv").set_value((name, data, "text/csv"))
    return at.run()


def csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def blobs(n: int = 120, k: int = 2, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    centres = np.stack([np.cos(2 * np.pi * y / k), np.sin(2 * np.pi * y / k)], axis=1) * 3
    X = centres + rng.normal(size=(n, 2))
    return pd.DataFrame({"a": X[:, 0].round(4), "b": X[:, 1].round(4),
                         "kind": [f"c{v}" for v in y]})


# ----------------------------------------------------------------------------- the good case
def test_waiting_for_a_file():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["data"] = "upload"
    at.run()
    assert not at.exception
    assert not at.get("vega_lite_chart")
    assert any("Upload a CSV file" in i.value for i in at.info)
    assert any("upload the file again" in i.value for i in at.info)  # arrived by a link
    assert not widget_keys(at) & set(DATA_WIDGETS)
    assert qp(at) == {"data": "upload"}


def test_a_good_csv_trains_and_shows_charts():
    at = upload(example_csv(), {"activation": "tanh"})
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    charts = at.get("vega_lite_chart")
    assert len(charts) == PLAYGROUND_CHARTS
    assert '"x"' in charts[0].proto.spec and '"label"' not in charts[0].proto.spec.split(
        '"encoding"')[0]  # axis titles are the file's column names
    assert any("150 training and 50 test points, 2 classes" in c.value for c in at.caption)
    assert any(m.value.startswith("**Summary.**") for m in at.markdown)
    assert qp(at) == {"data": "upload", "activation": "tanh", **SMALL}
    # the built-in data widgets do not apply and are hidden; split and seed still apply
    keys = widget_keys(at)
    assert not keys & set(DATA_WIDGETS)
    assert {"play.test_fraction", "play.seed", "play.csv.x", "play.csv.y",
            "play.csv.label"} <= keys


def test_the_columns_can_be_chosen():
    frame = blobs(k=3)
    frame.insert(0, "id", range(len(frame)))
    at = upload(csv(frame))
    assert not at.error
    # the first two numeric columns that are not row numbers (issue 26: a saved index is never
    # guessed as a feature)
    assert at.selectbox(key="play.csv.x").value == "a"
    assert any("UTF-8" in c.value for c in at.caption)  # the encoding used is named
    at.selectbox(key="play.csv.x").set_value("b")
    at.selectbox(key="play.csv.y").set_value("a")
    at.run()
    assert not at.exception and not at.error
    assert any("3 classes" in c.value for c in at.caption)
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert '"title": "b"' in spec.replace('"title":"b"', '"title": "b"') or '"b"' in spec


def test_downloaded_history_matches_the_summary():
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stores: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            stores.append(self)

    original = app_test_module.MemoryMediaFileStorage
    app_test_module.MemoryMediaFileStorage = Recording
    try:
        at = upload(example_csv())
    finally:
        app_test_module.MemoryMediaFileStorage = original
    button = next(b for b in at.get("download_button") if b.key == "play.dl.history")
    file_id = button.proto.url.rsplit("/", 1)[1].split(".")[0]
    data = next(s._files_by_id[file_id].content for s in stores if file_id in s._files_by_id)
    hist = pd.read_csv(io.BytesIO(data))
    last = hist.iloc[-1]
    summary = next(m.value for m in at.markdown if m.value.startswith("**Summary.**"))
    assert f"train accuracy {100 * last['train_acc']:.0f}%" in summary
    assert f"test accuracy {100 * last['test_acc']:.0f}%" in summary


def test_back_to_builtin_data():
    at = upload(example_csv())
    at.button_group(key="play.source").set_value("builtin")
    at.run()
    assert not at.exception
    assert "data" not in qp(at)
    assert set(DATA_WIDGETS[:2]) <= widget_keys(at)
    assert len(at.get("vega_lite_chart")) == PLAYGROUND_CHARTS


def test_junk_data_value_in_the_url():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({"data": "ftp", **SMALL})
    at.run()
    assert not at.exception
    assert any("- data: 'ftp'" in w.value for w in at.warning)
    assert "data" not in qp(at)
    assert len(at.get("vega_lite_chart")) == PLAYGROUND_CHARTS


# ----------------------------------------------------------------------------- the faults
def _too_many_rows() -> bytes:
    return csv(blobs(n=MAX_ROWS + 1))


def _too_large() -> bytes:
    line = b"1.0,2.0,a," + b"x" * 1000 + b"\n"
    return b"x,y,label,note\n" + line * (MAX_BYTES // len(line) + 2)


FAULTS = {
    # name: (file bytes, message key, a fragment of the English message)
    "empty": (b"", "empty", "The file is empty."),
    "blank": (b"  \n\n", "empty", "The file is empty."),
    "header_only": (b"x,y,label\n", "no_rows", "header line but no data rows"),
    "non_numeric": (b"x,y,label\n1,2,a\n3,4,b\nabc,def,a\n", "too_few_numeric",
                    "at least 2 numeric feature columns"),
    "missing": (csv(blobs()) + b",1.5,c1\n", "missing_values", "missing values"),
    "single_class": (csv(blobs().assign(kind="same")), "single_class", "only one class"),
    "too_many_classes": (csv(blobs(n=240, k=MAX_CLASSES + 2)), "too_many_classes",
                         f"at most {MAX_CLASSES} classes"),
    "too_many_rows": (_too_many_rows(), "too_many_rows", f"the limit is {MAX_ROWS}"),
    "too_large": (_too_large(), "too_large", "the limit is 5 MB"),
    "binary": (b"PK\x03\x04\x00\x00\x08\x00" * 20, "not_text", "could not be read as text"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_gives_its_message(fault):
    data, _key, fragment = FAULTS[fault]
    at = upload(data)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert errors, f"{fault}: no error shown"
    assert any(fragment in e for e in errors), (fault, errors)
    assert not at.get("vega_lite_chart")  # nothing trained on a bad file
    assert qp(at)["data"] == "upload"


@pytest.mark.parametrize("fault", ["empty", "missing", "single_class", "too_many_rows"])
def test_faults_in_chinese(fault):
    data, key, _fragment = FAULTS[fault]
    at = upload(data, lang="zh")
    errors = [e.value for e in at.error]
    start = message(key, "zh", **{k: "§" for k in ("n", "max", "col", "cls", "columns", "row",
                                                       "size_mb", "limit_mb")}).split("§")[0]
    assert any(e.startswith(start) for e in errors), (start, errors)


def test_too_much_work_cuts_the_epochs_with_a_notice():
    at = upload(csv(blobs(n=4000)), {"epochs": "2000", "hidden": "64-64-64",
                                     "n_checkpoints": "3", "batch_size": "4000"})
    assert not at.exception
    assert any("too much work" in w.value for w in at.warning)
    assert at.get("vega_lite_chart")


def test_a_chosen_feature_column_with_text():
    frame = blobs()
    frame.insert(0, "note", frame["a"].astype(str))
    frame.loc[7, "note"] = "n/a?"
    at = upload(csv(frame))
    assert not at.error  # the guess takes the numeric columns
    at.selectbox(key="play.csv.x").set_value("note")
    at.run()
    errors = [e.value for e in at.error]
    assert any("'note' must contain only numbers, but row 9 contains 'n/a?'" in e
               for e in errors), errors
    assert not at.get("vega_lite_chart")
