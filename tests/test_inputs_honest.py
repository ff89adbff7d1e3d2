"""Issue 26, items 4 and 8: uploads that never lie (labels, encodings, NA words, index and
empty columns, one size limit) and exact cache keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer import encoding, upload
from explorer.app import runs
from explorer.config import TrainConfig
from explorer.encoding import decode
from explorer.upload import (
    MAX_BYTES,
    guess_columns,
    message,
    parse_upload,
    read_csv_columns,
)


def rows(labels, n_per_class: int = 12, seed: int = 0) -> str:
    """x, y, label lines: class c centred at x = 10 c."""
    rng = np.random.default_rng(seed)
    out = []
    for c, label in enumerate(labels):
        for _ in range(n_per_class):
            out.append(f"{10.0 * c + rng.normal():.4f},{rng.normal():.4f},{label}")
    return "\n".join(out) + "\n"


def csv(labels, header="x,y,label", **kw) -> bytes:
    return (header + "\n" + rows(labels, **kw)).encode()


def classes(data: bytes, x="x", y="y", label="label") -> tuple[str, ...]:
    ds, errors = parse_upload(data, x, y, label)
    assert errors == [], errors
    return ds.class_names


# ----------------------------------------------------------------------------- labels
@pytest.mark.parametrize("labels", [
    ("1e20", "2e20", "1"),                                      # one float64 → int64 overflow
    ("9007199254740993", "9007199254740992", "1"),              # ids above 2^53
    ("inf", "-inf", "0"),
    ("9223372036854775807", "9223372036854775806", "5"),        # int64 near its maximum
    ("0.1", "0.10000000000000001", "7"),                        # equal as floats, not as text
])
def test_labels_that_are_not_small_exact_integers_are_read_as_written(labels):
    names = classes(csv(labels))
    assert len(names) == 3 and set(names) == set(labels)
    assert "-9223372036854775808" not in names


def test_small_integer_labels_stay_numbers_sorted_numerically():
    assert classes(csv(("10", "2", "-1"))) == ("-1", "2", "10")
    assert classes(csv(("1.0", "0.0"))) == ("0", "1")  # a float column saved by pandas


@pytest.mark.parametrize("word", ["NA", "None", "null", "N/A", "NaN", "nan", "#N/A"])
def test_na_words_are_class_names(word):
    assert set(classes(csv((word, "yes")))) == {word, "yes"}


def test_an_empty_label_is_still_a_missing_value():
    data = b"x,y,label\n" + rows(("a", "b")).encode() + b"1.5,2.5,\n"
    ds, errors = parse_upload(data, "x", "y", "label")
    assert ds is None and errors[0].startswith("1 row(s) have missing values in column(s) label")


def test_na_words_in_a_feature_are_missing_values():
    data = b"x,y,label\n" + rows(("a", "b")).encode() + b"NA,2.5,a\n"
    ds, errors = parse_upload(data, "x", "y", "label")
    assert ds is None and "missing values in column(s) x" in errors[0]


# ----------------------------------------------------------------------------- encodings
LATIN = "Länge,Größe,label\n" + rows(("rot", "grün"))


@pytest.mark.parametrize("text, codec, name", [
    (LATIN, "cp1252", "Windows-1252 (Latin-1)"),
    ("x,y,catégorie\n" + rows(("été", "hiver")), "cp1252", "Windows-1252 (Latin-1)"),
    ("长度,宽度,类别\n" + rows(("红色", "蓝色")), "gb18030", "GB18030"),
    ("長さ,幅,種類\n" + rows(("赤い", "青い")), "shift_jis", "Shift-JIS"),
    ("x,y,ラベル\n" + rows(("猫", "犬")), "shift_jis", "Shift-JIS"),
    ("長度,寬度,類別\n" + rows(("紅色", "藍色")), "big5", "Big5"),
    ("x,y,標籤\n" + rows(("貓", "狗")), "big5", "Big5"),
    (LATIN, "utf-8", "UTF-8"),
    (LATIN, "utf-8-sig", "UTF-8 (BOM)"),
    (LATIN, "utf-16-le", "UTF-16 LE"),
    (LATIN, "utf-16-be", "UTF-16 BE"),
])
def test_each_encoding_is_read_exactly_and_named(text, codec, name):
    data = text.encode(codec)
    if codec.startswith("utf-16"):
        data = ("\ufeff" + text).encode(codec)
    df, errors = read_csv_columns(data)
    assert errors == []
    assert df.attrs["encoding"] == name
    assert list(df.columns) == text.split("\n")[0].split(",")
    labels = {r.rsplit(",", 1)[1] for r in text.strip().split("\n")[1:]}
    assert set(df.iloc[:, 2]) == labels


def test_latin_text_is_never_read_as_chinese():
    """The old GB18030 fallback turned cp1252 'Länge,Größe' into 'L鋘ge,Gr鲞e'."""
    df, errors = read_csv_columns(LATIN.encode("cp1252"))
    assert list(df.columns)[:2] == ["Länge", "Größe"]
    assert "L鋘ge" not in decode(LATIN.encode("cp1252")).text


def test_an_ambiguous_file_is_refused_with_the_candidates():
    # two bytes that are a plausible Latin word part and a plausible Big5 character: the
    # plausibility rules alone cannot tell, the file is refused, naming both
    result = encoding.Decoded(None, problem="ambiguous", candidates=("GB18030", "Big5"))
    text = message("encoding_ambiguous", candidates=", ".join(result.candidates))
    assert "GB18030, Big5" in text and "UTF-8" in text


def test_mixed_up_bytes_are_refused_not_guessed():
    # Latin-1 letters run together with CJK bytes: plausible in no encoding
    data = ("x,y,label\n1,2,Länge\n3,4,".encode("cp1252") + "猫犬".encode("shift_jis")
            + b"\n5,6," + "標籤".encode("big5") + b"\n")
    df, errors = read_csv_columns(data)
    assert df is None and len(errors) == 1
    assert "encoding" in errors[0] and "UTF-8" in errors[0]


def test_binary_is_still_not_text():
    df, errors = read_csv_columns(b"x,y,label\n1,2,\x00\x01a\n")
    assert df is None and errors == [message("not_text")]


# ----------------------------------------------------------------------------- columns
def moons_frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    from sklearn.datasets import make_moons
    X, y = make_moons(n_samples=n, noise=0.2, random_state=seed)
    return pd.DataFrame({"x": X[:, 0], "y": X[:, 1], "label": np.where(y, "a", "b")})


def test_a_saved_row_index_is_never_guessed_as_a_feature():
    data = moons_frame().to_csv().encode()  # DataFrame.to_csv() writes the index first
    df, errors = read_csv_columns(data)
    assert errors == [] and list(df.columns)[0] == "Unnamed: 0"
    assert guess_columns(df) == ("x", "y", "label")


def test_a_named_row_number_column_is_not_guessed_either():
    frame = moons_frame()
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    df, _ = read_csv_columns(frame.to_csv(index=False).encode())
    assert guess_columns(df) == ("x", "y", "label")


def test_a_trailing_comma_never_makes_the_empty_column_the_label():
    body = moons_frame().to_csv(index=False).replace("\n", ",\n")
    df, errors = read_csv_columns(body.encode())
    assert errors == [] and guess_columns(df) == ("x", "y", "label")
    # trailing commas on the data rows only: dropped, the columns do not shift
    body = moons_frame().to_csv(index=False)
    head, rest = body.split("\n", 1)
    df, errors = read_csv_columns((head + "\n" + rest.replace("\n", ",\n")).encode())
    assert errors == [] and list(df.columns) == ["x", "y", "label"]
    assert guess_columns(df) == ("x", "y", "label")


def test_an_extra_value_past_the_header_is_a_ragged_line_not_dropped():
    data = b"x,y,label\n1,2,a\n3,4,b,5\n"
    assert read_csv_columns(data)[1] == [message("ragged", line=3, found=4, expected=3)]


# ----------------------------------------------------------------------------- size limit
def test_one_size_limit_in_one_unit():
    """Streamlit's uploader refuses files over server.maxUploadSize MB = 10^6 bytes each (in
    the browser); the parser's limit and its message say the same number."""
    import tomllib
    from pathlib import Path
    conf = tomllib.loads((Path(__file__).parents[1] / ".streamlit/config.toml").read_text())
    assert MAX_BYTES == conf["server"]["maxUploadSize"] * 1_000_000
    data = b"x,y,label\n" + b"1,2,a\n" * (MAX_BYTES // 6)
    assert len(data) > MAX_BYTES
    err = read_csv_columns(data)[1][0]
    assert f"the limit is {upload.MAX_MB} MB ({MAX_BYTES:,} bytes)" in err
    assert f"{len(data):,} bytes" in err
    ok = b"x,y,label\n" + b"1,2,a\n" * ((MAX_BYTES - 10) // 6)
    assert len(ok) <= MAX_BYTES and read_csv_columns(ok)[1] != [err]


# ----------------------------------------------------------------------------- cache keys
def test_configs_differing_in_the_7th_digit_get_their_own_records(monkeypatch):
    trained = []
    real = runs.train_many

    def counting(cfgs, *a, **k):
        trained.extend(cfgs)
        return real(cfgs, *a, **k)

    monkeypatch.setattr(runs, "train_many", counting)
    base = TrainConfig(seed=918_273, epochs=2, n_samples=60, hidden=(4,), n_checkpoints=2)
    a, b = base.replace(lr=0.1000001), base.replace(lr=0.1000002)
    assert runs.cfg_key(a) != runs.cfg_key(b)
    assert runs.cfg_from_key(runs.cfg_key(a)) == a
    ra = runs.train_one_cached(runs.cfg_key(a))
    rb = runs.train_one_cached(runs.cfg_key(b))
    assert (ra.config.lr, rb.config.lr) == (0.1000001, 0.1000002)
    assert len(trained) == 2
    again = runs.train_one_cached(runs.cfg_key(base.replace(lr=0.1000001)))
    assert len(trained) == 2 and again.config == a  # the same config: the same record
    changes = base.replace(lr_changes=((1, 0.30000000000000004),))
    assert runs.cfg_from_key(runs.cfg_key(changes)) == changes
    assert runs.cfg_key(changes) != runs.cfg_key(base.replace(lr_changes=((1, 0.3),)))


# ----------------------------------------------------------------------------- lasting notices
# (AppTest runs synchronously; its second run sees the URL the first one rewrote, like the
# browser's end-of-run rerun: tests/browser/test_notices.py checks the browser itself)
NOTICE_CASES = {
    "config": ({"seed": "777001", "epochs": "25", "dataset": "bogus"}, "- dataset: 'bogus'"),
    "view": ({"seed": "777002", "epochs": "25", "log_scale": "maybe"}, "- log_scale: 'maybe'"),
    "data": ({"seed": "777003", "epochs": "25", "data": "ftp"}, "- data: 'ftp'"),
    "lang": ({"seed": "777004", "epochs": "25", "lang": "xx"}, "- lang: 'xx'"),
}


@pytest.mark.parametrize("case", list(NOTICE_CASES))
def test_a_url_notice_lasts_until_the_setting_changes(case):
    from pagetest import page_file, run
    query, line = NOTICE_CASES[case]
    at = run(page_file("playground"), {**query, "n_checkpoints": "5"})
    assert not at.exception
    assert any(line in w.value for w in at.warning), [w.value for w in at.warning]
    at.run()  # the URL no longer holds the bad value
    assert not at.exception
    assert any(line in w.value for w in at.warning), [w.value for w in at.warning]
    at.run()
    assert sum(line in w.value for w in at.warning) == 1  # shown once, not once per run
    if case == "config":  # the user changes a setting: the notice is gone
        at.number_input(key="play.seed").set_value(777_010).run()
        assert not any(line in w.value for w in at.warning)


def test_a_junk_first_rate_with_changes_trains_at_the_default_until_the_change():
    from pagetest import page_file, run
    at = run(page_file("playground"), {"lr_changes": "1_3", "lr": "junk", "epochs": "20",
                                       "n_checkpoints": "5", "seed": "777005"})
    assert not at.exception
    assert any("- lr: 'junk'" in w.value for w in at.warning)
    qp = {k: at.query_params[k] for k in at.query_params}
    assert qp.get("lr") in (None, ["0.1"], "0.1") and "1_3" in str(qp.get("lr_changes"))
    at.run()
    assert any("- lr: 'junk'" in w.value for w in at.warning)


# ----------------------------------------------------------------------------- hostile files
@pytest.mark.parametrize("payload, says", [
    ('{"config": {"lr": ' + "9" * 4400 + "}}", "more than 30 digits"),
    ('{"config": ' + "[" * 9000 + "]" * 9000 + "}", "nested more than 20 levels"),
    ('{"config": {"seed": -' + "1" * 4400 + "}}", "more than 30 digits"),
])
def test_a_settings_file_with_huge_numbers_or_depth_gives_a_message(payload, says):
    from explorer.export import config_from_json
    cfg, page, errors = config_from_json(payload.encode())
    assert cfg == TrainConfig() and page == {} and len(errors) == 1 and says in errors[0]


def test_a_normal_settings_file_still_loads():
    from explorer.export import config_from_json, config_json
    cfg = TrainConfig(lr=0.05, lr_changes=((3, 0.5),), epochs=10, seed=12)
    back, _page, errors = config_from_json(config_json(cfg, {"acts": "relu-tanh"}).encode())
    assert errors == [] and back == cfg


@pytest.mark.parametrize("value", [float("inf"), float("nan"), -1, 2.5, 1e300, "7", True,
                                   [3], None, 10**400])
def test_a_crafted_player_epoch_is_ignored(value):
    from explorer.app.player import whole
    assert whole(value) is None
    assert whole(7) == 7 and whole(7.0) == 7 and whole(0) == 0


def test_the_websocket_limits_are_what_the_app_needs():
    """Messages to the browser: the largest page message measured is 3.8 MB; from the
    browser: short widget values and small player reports (uploads go over HTTP)."""
    import tomllib
    from pathlib import Path
    conf = tomllib.loads((Path(__file__).parents[1] / ".streamlit/config.toml").read_text())
    server = conf["server"]
    assert 4 <= server["maxMessageSize"] <= 32
    assert server["maxWidgetStateSize"] == 1
