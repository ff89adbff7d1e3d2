"""Tests for explorer.upload: a good CSV round-trips, every fault gets its own message."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
from pagetest import placeholders

from explorer import upload
from explorer.upload import (
    MAX_BYTES,
    MAX_CLASSES,
    MAX_ROWS,
    MESSAGES,
    example_csv,
    guess_columns,
    message,
    numeric_columns,
    parse_upload,
    read_csv_columns,
)


def to_csv(df: pd.DataFrame, sep: str = ",") -> bytes:
    return df.to_csv(index=False, sep=sep).encode("utf-8")


def table(n_per_class: int = 20, labels=("cat", "dog", "owl"), seed: int = 0) -> pd.DataFrame:
    """Class c is centred at x = 10 c, so the label order is visible in the features."""
    rng = np.random.default_rng(seed)
    rows = []
    for c, label in enumerate(labels):
        for _ in range(n_per_class):
            rows.append((10.0 * c + rng.normal(), rng.normal(), label))
    return pd.DataFrame(rows, columns=["length", "width", "species"])


def parse(data: bytes, x="length", y="width", label="species", **kw):
    return parse_upload(data, x, y, label, **kw)


def only_error(data: bytes, **kw) -> str:
    ds, errors = parse(data, **kw)
    assert ds is None
    assert len(errors) == 1, errors
    return errors[0]


# ----------------------------------------------------------------------------- good files


def test_good_csv_round_trips_to_a_dataset():
    ds, errors = parse(to_csv(table()), test_fraction=0.25, seed=3)
    assert errors == []
    assert ds is not None
    assert ds.name == "upload"
    assert ds.n_classes == 3
    assert ds.class_names == ("cat", "dog", "owl")
    assert ds.feature_names == ("length", "width")
    assert ds.n_train + ds.n_test == 60 and ds.n_test == 15
    assert set(ds.y_test.tolist()) == {0, 1, 2}
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0.0, atol=1e-9)
    # labels were encoded in sorted order: cat (x≈0) < dog (x≈10) < owl (x≈20)
    means = [ds.X_train[ds.y_train == c, 0].mean() for c in range(3)]
    assert means[0] < means[1] < means[2]


def test_upload_is_deterministic_in_the_seed():
    data = to_csv(table())
    a, _ = parse(data, seed=1)
    b, _ = parse(data, seed=1)
    c, _ = parse(data, seed=2)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.X_train, c.X_train)


def test_numeric_labels_are_sorted_numerically_and_named_as_written():
    df = table(labels=(10, 2, 1))
    ds, errors = parse(to_csv(df))
    assert errors == []
    assert ds.class_names == ("1", "2", "10")


def test_float_labels_with_integer_values_are_named_as_integers():
    df = table(labels=(0.0, 1.0))
    ds, errors = parse(to_csv(df))
    assert errors == [] and ds.class_names == ("0", "1")


def test_label_whitespace_is_ignored():
    df = table(labels=("a", "b"))
    text = to_csv(df).decode().replace(",a\n", ",a \n")
    ds, errors = parse(text.encode())
    assert errors == [] and ds.class_names == ("a", "b")


def test_semicolons_and_decimal_commas():
    data = to_csv(table(), sep=";").decode().replace(".", ",").encode()
    ds, errors = parse(data)
    assert errors == [] and ds.n_classes == 3


def test_utf8_bom_and_chinese_gb18030_files():
    df = table().rename(columns={"length": "长度", "width": "宽度", "species": "种类"})
    df["种类"] = df["种类"].map({"cat": "猫", "dog": "狗", "owl": "猫头鹰"})
    text = df.to_csv(index=False)
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gb18030")):
        ds, errors = parse(data, x="长度", y="宽度", label="种类")
        assert errors == []
        assert set(ds.class_names) == {"猫", "狗", "猫头鹰"}


def test_read_csv_columns_and_guesses():
    df, errors = read_csv_columns(to_csv(table()))
    assert errors == []
    assert list(df.columns) == ["length", "width", "species"]
    assert numeric_columns(df) == ["length", "width"]
    assert guess_columns(df) == ("length", "width", "species")


def test_example_csv_is_a_valid_upload():
    data = example_csv()
    df, errors = read_csv_columns(data)
    assert errors == []
    ds, errors = parse_upload(data, *guess_columns(df))
    assert errors == [] and ds.class_names == ("blue", "red")


# ----------------------------------------------------------------------------- faults


def test_empty_file():
    assert only_error(b"") == "The file is empty."
    assert only_error(b"  \n\n ") == "The file is empty."


def test_header_without_rows():
    assert only_error(b"length,width,species\n") == message("no_rows")


def test_binary_file_is_not_text():
    xlsx_like = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))
    assert only_error(xlsx_like) == message("not_text")
    assert "UTF-8" in message("not_text")


def test_undecodable_bytes_are_refused_as_an_unknown_encoding():
    # not UTF-8, and "ÿÿ" in no Latin word, no CJK character in GB18030 / Shift-JIS / Big5
    error = only_error(b"a,b,c\n1,2,\xff\xff\n")
    assert error == message("encoding_unknown",
                            tried="Windows-1252 (Latin-1), GB18030, Shift-JIS, Big5")


def test_pickle_is_never_unpickled():
    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('unpickled!')",))

    ds, errors = parse(pickle.dumps(Boom()))
    assert ds is None and errors  # an error message, not an exit


def test_ragged_rows_are_not_a_csv():
    data = b"length,width,species\n1,2,a\n3,4,b,extra\n"
    error = only_error(data)
    assert error == message("ragged", line=3, found=4, expected=3)
    assert "Line 3" in error


def test_too_few_columns():
    error = only_error(b"length,width\n1,2\n3,4\n")
    assert error == message("too_few_columns", n=2)


def test_fewer_than_two_numeric_columns():
    df = table()
    df["width"] = "wide"
    error = only_error(to_csv(df))
    assert error == message("too_few_numeric", n=1, columns="length")
    assert "at least 2 numeric" in error


def test_non_numeric_feature_column_names_column_and_value():
    df = table()
    df["width"] = df["width"].astype(object)
    df.loc[4, "width"] = "abc"
    df["other"] = 1.0  # keeps two numeric columns in the file
    error = only_error(to_csv(df))
    assert error == message("non_numeric", col="width", row=6, value="abc")
    assert "'width'" in error and "'abc'" in error and "row 6" in error


def test_infinite_value_counts_as_non_numeric():
    df = table()
    df["extra"] = 0.5
    df.loc[0, "length"] = np.inf
    error = only_error(to_csv(df))
    assert error == message("non_numeric", col="length", row=2, value="inf")


def test_missing_values_say_how_many_rows_and_which_columns():
    df = table()
    df.loc[3, "length"] = np.nan
    df.loc[7, "species"] = None
    df.loc[9, "length"] = np.nan
    error = only_error(to_csv(df))
    assert error == message("missing_values", n=3, columns="length, species", row=5)
    assert error.startswith("3 row(s)") and "length, species" in error


def test_constant_feature_column():
    df = table()
    df["width"] = 2.5
    assert only_error(to_csv(df)) == message("constant", col="width", value="2.5")


def test_single_class():
    df = table(labels=("cat",))
    error = only_error(to_csv(df))
    assert error == message("single_class", col="species", cls="cat")
    assert "only one class" in error


def test_too_many_classes():
    df = table(n_per_class=3, labels=tuple(f"c{i}" for i in range(MAX_CLASSES + 1)))
    error = only_error(to_csv(df))
    assert error == message("too_many_classes", col="species", n=MAX_CLASSES + 1, max=MAX_CLASSES)
    assert "at most 10 classes" in error


def test_exactly_max_classes_is_fine():
    df = table(n_per_class=8, labels=tuple(f"c{i}" for i in range(MAX_CLASSES)))
    ds, errors = parse(to_csv(df), test_fraction=0.25)
    assert errors == [] and ds.n_classes == MAX_CLASSES


def test_too_many_rows():
    n = MAX_ROWS + 1
    df = pd.DataFrame({"a": np.arange(n) % 7, "b": np.arange(n) % 5, "c": np.arange(n) % 2})
    error = only_error(to_csv(df), x="a", y="b", label="c")
    assert error == message("too_many_rows", n=n, max=MAX_ROWS)


def test_file_too_large_is_checked_before_parsing(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("read_csv must not be called for an oversized file")

    monkeypatch.setattr(upload.pd, "read_csv", no_parsing)
    data = b"a,b,c\n" + b"1,2,3\n" * (MAX_BYTES // 6 + 1)
    error = only_error(data)
    assert error == message("too_large", size_mb=f"{len(data) / 1e6:.2f}",
                            size=f"{len(data):,}", limit_mb=5, limit="5,000,000")
    assert "limit is 5 MB (5,000,000 bytes)" in error


def test_too_few_rows_per_class():
    df = pd.concat([table(labels=("cat", "dog")), table(n_per_class=2, labels=("owl",))])
    error = only_error(to_csv(df))
    assert error == message("too_few_per_class", cls="owl", count=2)
    assert "at least 2 training rows and 1 test row" in error


def test_too_few_test_rows_for_the_classes():
    df = table(n_per_class=3, labels=tuple("abcdefghij"))
    error = only_error(to_csv(df), test_fraction=0.1)
    assert error == message("too_few_test_rows", n=30, pct="10", n_test=3, k=10)


def test_same_column_chosen_twice():
    error = only_error(to_csv(table()), x="length", y="length")
    assert error == message("same_column", col="length")
    error = only_error(to_csv(table()), label="width")
    assert error == message("same_column", col="width")


def test_unknown_column():
    error = only_error(to_csv(table()), label="kind")
    assert error == message("missing_column", col="kind", columns="length, width, species")


def test_several_problems_are_reported_together():
    df = table()
    df["other"] = 1.0
    df["length"] = df["length"].astype(object)
    df.loc[0, "length"] = "n/a?"
    df.loc[1, "width"] = np.nan
    ds, errors = parse(to_csv(df))
    assert ds is None and len(errors) == 2
    assert any("'n/a?'" in e for e in errors) and any("missing values" in e for e in errors)


# ----------------------------------------------------------------------------- messages



def test_messages_exist_in_both_languages_with_the_same_placeholders():
    assert MESSAGES["en"].keys() == MESSAGES["zh"].keys()
    for key, en in MESSAGES["en"].items():
        assert placeholders(en) == placeholders(MESSAGES["zh"][key]), key


def test_messages_are_full_sentences():
    for key, en in MESSAGES["en"].items():
        assert en.endswith("."), key
        assert en[0].isupper() or en.startswith("{"), key
        assert MESSAGES["zh"][key].endswith("。"), key


def test_chinese_messages():
    ds, errors = parse(b"", lang="zh")
    assert ds is None and errors == ["文件是空的。"]
    error = only_error(to_csv(table()), x="width", y="width", lang="zh")
    assert error == MESSAGES["zh"]["same_column"].format(col="width")
