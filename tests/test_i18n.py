"""English and 简体中文: every text table is complete, and no page shows English in Chinese.

(a) Every ``explorer/texts/*.py`` table has the same keys in ``en`` and ``zh``, no empty values,
    the same ``{placeholders}``, and Chinese values contain Chinese characters unless they are
    formulas, numbers or proper names (:data:`NO_CJK_OK`). The other bilingual tables (field
    help, option labels, navigation, upload messages, presets, data sets) are checked too.
(b) Every page is run with ``lang=zh`` through AppTest (default view plus a few other states)
    and every visible string is collected: titles, headers, markdown, captions, HTML text,
    alert bodies, labels / help / options of every widget, expander labels, table column names
    and text cells, and from every Vega-Lite spec the chart titles and subtitles, axis, legend
    and tooltip titles and the category values shown on axes, legends and text marks. None may
    contain English: no run of two or more ASCII words, and no word of the app's own English
    vocabulary (every word of the English tables), except formulas, activation names, proper
    names and units in :data:`ALLOWED_PHRASES` / :data:`ALLOWED_WORDS`.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.message import Message
from pagetest import placeholders
from streamlit.testing.v1 import AppTest

import explorer.texts as texts_pkg
from explorer import ACTIVATIONS, DATASETS, FIELDS
from explorer.initialisers import INITIALISERS
from explorer.optimisers import OPTIMISERS
from explorer.presets import PRESETS
from explorer.texts.common import FIELD_HELP_ZH, OPTION_ZH
from explorer.texts.nav import PAGES, TITLES
from explorer.upload import MESSAGES, example_csv

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
CJK = re.compile(r"[\u4e00-\u9fff]")
TABLES = sorted(m.name for m in pkgutil.iter_modules(texts_pkg.__path__) if m.name != "nav")

#: zh values that need no Chinese characters: formulas, symbols, proper names
NO_CJK_OK = {
    ("charts", "grad.norm"), ("common", "field.elu_alpha"), ("compare", "chart.layer"),
    ("gallery", "param.elu_alpha"), ("gallery", "overlay_f"), ("gallery", "legend.f"),
    ("gallery", "legend.df"), ("gallery", "legend.zero"), ("gallery", "col.zero"),
    ("gallery", "col.relative"), ("zigzag", "axis.distance"), ("stats", "fmt.undefined"),
}

# ----------------------------------------------------------------------------- (a) tables



@pytest.mark.parametrize("name", TABLES)
def test_text_table_is_complete(name):
    table = importlib.import_module(f"explorer.texts.{name}").TEXT
    assert set(table) == {"en", "zh"}, name
    en, zh = table["en"], table["zh"]
    assert set(en) == set(zh), (f"{name}: only in en {sorted(set(en) - set(zh))}, "
                                f"only in zh {sorted(set(zh) - set(en))}")
    for key in en:
        assert isinstance(en[key], str) and en[key].strip(), f"{name}.en[{key!r}] is empty"
        assert isinstance(zh[key], str) and zh[key].strip(), f"{name}.zh[{key!r}] is empty"
        assert placeholders(en[key]) == placeholders(zh[key]), f"{name}[{key!r}]: placeholders differ"
        if (name, key) not in NO_CJK_OK:
            assert CJK.search(zh[key]), f"{name}.zh[{key!r}] has no Chinese: {zh[key]!r}"


def test_no_cjk_allowlist_is_current():
    """Every allowlisted key exists and really has no Chinese (the list cannot go stale)."""
    for name, key in NO_CJK_OK:
        value = importlib.import_module(f"explorer.texts.{name}").TEXT["zh"][key]
        assert not CJK.search(value), (name, key)


def test_other_bilingual_tables():
    assert set(FIELD_HELP_ZH) == set(FIELDS)
    assert all(CJK.search(v) for v in FIELD_HELP_ZH.values())
    names = {f"init.{n}" for n in INITIALISERS.names()} | {f"opt.{n}" for n in OPTIMISERS.names()}
    assert set(OPTION_ZH) == names
    assert set(TITLES["en"]) == set(TITLES["zh"]) == {n for n, _ in PAGES}
    assert all(CJK.search(v) for v in TITLES["zh"].values())
    assert set(MESSAGES["en"]) == set(MESSAGES["zh"])
    for key in MESSAGES["en"]:
        assert placeholders(MESSAGES["en"][key]) == placeholders(MESSAGES["zh"][key]), key
        assert CJK.search(MESSAGES["zh"][key]), key
    for p in PRESETS:
        assert CJK.search(p.title_zh) and CJK.search(p.description_zh), p.name
    for n in DATASETS.names():
        assert CJK.search(DATASETS[n].zh_label), n


# ----------------------------------------------------------------------------- (b) pages

#: shown as they are in Chinese too: activation names (the registry's labels), proper names,
#: units, file formats, code and URL parameter names
ALLOWED_PHRASES = sorted(
    {ACTIVATIONS[a].label for a in ACTIVATIONS.names()}
    | {"Language / 语言", "English", "scikit-learn", "np.where", "float64", "CS231n",
       "CIFAR-10", "GPT-2", "Xavier/Glorot", "He/Kaiming", "SGD + Nesterov"},
    key=len, reverse=True)
ALLOWED_WORDS = {
    # activations and their family names
    "sigmoid", "tanh", "relu", "leaky", "prelu", "elu", "selu", "gelu", "silu", "swish", "mish",
    "softplus", "maxout",
    # optimisers, initialisers, people, data sets, models
    "sgd", "adam", "nesterov", "xavier", "glorot", "he", "kaiming", "lecun", "krizhevsky",
    "xor", "pca", "cnn", "bert", "gpt", "iris",
    # maths, units, formats, code
    "exp", "log", "max", "min", "abs", "ln", "std", "url", "csv", "json", "png", "svg",
    "numpy", "float", "nan", "inf", "ms", "kb", "mb", "id",
    # URL parameter names quoted in help texts ("URL 参数：acts")
    "acts", "target", "epoch", "seeds", "sweep", "depth", "width", "hist", "map", "inputs",
    "out", "nlr", "steps", "view", "mean", "sd", "lang", "projector", "data", "protocol",
    "features",
    # model names
    "mlp",
}
ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
ASCII_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ \t]+[A-Za-z][A-Za-z'’-]*)+")


def english_vocabulary() -> set[str]:
    """Every word (3+ letters) of the app's English texts: tables, field help, registry labels,
    upload messages, navigation titles, presets. A leak is one of these in a Chinese page."""
    words: set[str] = set()

    def add(s: str) -> None:
        words.update(w.lower() for w in ASCII_WORD.findall(re.sub(r"\{[^}]*\}", " ", s))
                     if len(w) >= 3)

    for name in TABLES:
        for v in importlib.import_module(f"explorer.texts.{name}").TEXT["en"].values():
            add(v)
    for f in FIELDS.values():
        add(f.help)
    for reg in (INITIALISERS, OPTIMISERS, DATASETS):
        for n in reg.names():
            add(reg[n].label)
    for v in [*MESSAGES["en"].values(), *TITLES["en"].values()]:
        add(v)
    for p in PRESETS:
        add(p.title_en + " " + p.description_en)
    for n in ACTIVATIONS.names():
        add(ACTIVATIONS[n].notes)
    return words - ALLOWED_WORDS


VOCAB = english_vocabulary()


def english_in(text: str) -> list[str]:
    """The English found in one visible string (empty if none)."""
    s = text
    for phrase in ALLOWED_PHRASES:
        s = s.replace(phrase, " ")
    s = re.sub(r"https?://\S+", " ", s)
    s = re.sub(r"(?m)^- ?\w+:", " ", s)  # a notice line names the URL key ("- lr: ...")
    s = re.sub(r"\b\w+=[\w-]+", " ", s)  # URL code such as data=upload
    found = []
    for run in ASCII_RUN.findall(s):
        words = [w for w in ASCII_WORD.findall(run)]
        if sum(1 for w in words if len(w) >= 2 and w.lower() not in ALLOWED_WORDS) >= 2:
            found.append(run)
    found += [w for w in ASCII_WORD.findall(s)
              if len(w) >= 3 and w.lower() in VOCAB and not any(w in r for r in found)]
    return found


# --- collecting visible strings ---------------------------------------------------------
#: proto fields that are not visible text
HIDDEN_FIELDS = {"id", "form_id", "url", "icon", "spec", "data", "css", "key", "default",
                 "type", "element_hash", "page", "page_script_hash", "raw_value", "raw_values",
                 "format", "tag", "anchor", "selection_mode", "label_visibility",
                 "placeholder_type", "mime_type", "file_name", "deprecated_feature",
                 "width_config", "height_config", "text_alignment_config", "theme", "body_html"}
#: element types whose text is a formula or code
SKIP_TYPES = {"latex", "code", "json"}


def proto_strings(msg: Message) -> Iterator[str]:
    for fd, val in msg.ListFields():
        if fd.name in HIDDEN_FIELDS:
            continue
        items = val if fd.is_repeated else [val]
        for v in items:
            if fd.type == fd.TYPE_MESSAGE:
                yield from proto_strings(v)
            elif fd.type == fd.TYPE_STRING and v:
                yield v


def html_text(body: str) -> list[str]:
    """The text of an HTML snippet and its hover titles (no tags, styles or scripts)."""
    titles = re.findall(r"""title=['"]([^'"]*)['"]""", body)
    text = re.sub(r"<(style|script).*?</\1>", " ", body, flags=re.S)
    return [re.sub(r"<[^>]*>", " ", text), *titles]


def _datasets(node) -> dict[str, object]:
    from streamlit import dataframe_util

    out = {}
    for ds in node.proto.datasets:
        out[ds.name] = dataframe_util.convert_arrow_bytes_to_pandas_df(ds.data.data)
    return out


def spec_strings(spec: dict, frames: list) -> Iterator[str]:
    """Titles, axis/legend/tooltip titles and shown category values of a Vega-Lite spec."""

    def values(field: str) -> Iterator[str]:
        for df in frames:
            if field in df.columns and df[field].dtype == object:
                yield from (str(v) for v in df[field].dropna().unique()[:100])

    def title(t) -> Iterator[str]:
        if isinstance(t, str):
            yield t
        elif isinstance(t, list):
            yield from (x for x in t if isinstance(x, str))
        elif isinstance(t, dict):
            yield from title(t.get("text"))
            yield from title(t.get("subtitle"))

    def walk(node) -> Iterator[str]:
        if isinstance(node, list):
            for item in node:
                yield from walk(item)
            return
        if not isinstance(node, dict):
            return
        if "title" in node:
            yield from title(node["title"])
        mark = node.get("mark")
        if isinstance(mark, dict) and isinstance(mark.get("text"), str):
            yield mark["text"]
        for channel, enc in (node.get("encoding") or {}).items():
            for e in (enc if isinstance(enc, list) else [enc]):
                if not isinstance(e, dict):
                    continue
                yield from title(e.get("title"))
                guide = e.get("axis", e.get("legend", {}))
                shown = guide is not None and not (isinstance(guide, dict)
                                                    and (guide.get("labels") is False
                                                         or "labelExpr" in guide))
                if isinstance(guide, dict):
                    yield from title(guide.get("title"))
                positional = channel in ("x", "y", "row", "column")
                categorical = e.get("type") in ("nominal", "ordinal")
                if channel in ("text", "tooltip") or (shown and categorical and (
                        positional or channel in ("color", "shape", "strokeDash", "fill"))):
                    domain = (e.get("scale") or {}).get("domain")
                    if isinstance(domain, list) and channel not in ("text", "tooltip"):
                        yield from (d for d in domain if isinstance(d, str))
                    elif "field" in e and (categorical or channel == "text"):
                        yield from values(e["field"])
        for key, value in node.items():
            if key not in ("encoding", "title", "data", "datasets", "config", "transform"):
                yield from walk(value)

    yield from walk(spec)


def visible_strings(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of every visible string on the page."""
    out: list[tuple[str, str]] = []
    for node in at._tree:
        kind = getattr(node, "type", type(node).__name__)
        proto = getattr(node, "proto", None)
        if kind in SKIP_TYPES:
            continue
        if kind in ("arrow_vega_lite_chart", "vega_lite_chart"):
            spec = json.loads(node.proto.spec)
            frames = list(_datasets(node).values())
            out += [(kind, s) for s in spec_strings(spec, frames)]
        elif kind in ("arrow_data_frame", "dataframe", "table"):
            df = node.value
            out += [(kind, str(c)) for c in df.columns]
            for c in df.columns:
                if df[c].dtype == object:
                    out += [(kind, str(v)) for v in df[c].dropna().unique()[:100]]
        elif kind == "bidi_component":  # the live player: its shown texts come in its data
            data = json.loads(node.proto.json or "{}")
            out += [(kind, str(v)) for v in (data.get("labels") or {}).values()]
            out += [(kind, str(v)) for v in data.get("class_names") or []]
            out += [(kind, str(v)) for v in data.get("layer_names") or []]
        elif kind == "html":
            out += [(kind, s) for s in html_text(node.proto.body)]
        elif isinstance(proto, Message):
            out += [(kind, s) for s in proto_strings(proto)]
    return out


def run(page: str, query: dict[str, str], upload: bytes | None = None) -> AppTest:
    """A fresh session of ``page`` opened with ``query`` (the home page through the app shell,
    which its page links need; the others as their own script, as a deep link runs them)."""
    script = APP if page == "home" else str(ROOT / "pages" / f"{page}.py")
    at = AppTest.from_file(script, default_timeout=120)
    at.query_params.update({"lang": "zh", **query})
    at.run()
    if upload is not None:
        at.file_uploader(key="play.csv").set_value(("data.csv", upload, "text/csv"))
        at.run()
    return at


SMALL = {"epochs": "20", "n_checkpoints": "5"}
VIEWS = [
    ("home", {}),
    ("playground", {}),
    ("playground", {"layer_activations": "sigmoid-relu", "hidden": "8-8", "projector": "1"}),
    ("playground", {"lr": "10", "activation": "sigmoid", **SMALL}),
    ("playground", {"dataset": "spiral", "n_classes": "3", "optimizer": "adam",
                    "lr": "0.01", **SMALL}),
    ("compare", {}),
    ("compare", {"sweep": "1", "seeds": "2", **SMALL}),
    ("gallery", {}),
    ("gallery", {"view": "overlay"}),
    ("vanishing", {}),
    ("zigzag", {}),
    ("zigzag", {"inputs": "positive"}),
    ("dead_relu", {}),
    ("dead_relu", {"init": "zeros"}),
    # notices for bad links are Chinese too
    ("playground", {"lr": "abc", "hidden": "0-5", "epoch": "abc", "show_test": "7",
                    "projector": "banana", "data": "junk", **SMALL}),
    ("compare", {"acts": "foo", "target": "abc", "dataset": "blobs", "n_samples": "40",
                 "n_classes": "6", "test_fraction": "0.1", **SMALL}),
    ("gallery", {"mean": "abc", "view": "x"}),
    ("zigzag", {"nlr": "abc", "steps": "x", "out": "y"}),
    ("vanishing", {"depth": "99", "epochs": "2000"}),
    ("dead_relu", {"map": "foo", "leaky_slope": "x"}),
]


def _leaks(at: AppTest) -> list[str]:
    leaks = []
    for kind, text in visible_strings(at):
        found = english_in(text)
        if found:
            leaks.append(f"{kind}: {found} in {text[:160]!r}")
    return sorted(set(leaks))


@pytest.mark.parametrize(("page", "query"), VIEWS,
                         ids=[f"{p}-{'-'.join(q) or 'default'}" for p, q in VIEWS])
def test_page_in_chinese_has_no_english(page, query):
    at = run(page, query)
    assert not at.exception, [e.value for e in at.exception]
    strings = visible_strings(at)
    assert len(strings) > 10, strings  # the collector sees the page
    assert any(CJK.search(s) for _k, s in strings)
    leaks = _leaks(at)
    assert not leaks, f"{page} {query}: English shown in Chinese:\n" + "\n".join(leaks)


def test_upload_in_chinese_has_no_english():
    """Own data in Chinese (column names and class names come from the file: Chinese here)."""
    csv = (example_csv().decode().replace("x,y,label", "长度,宽度,品种")
           .replace("blue", "蓝").replace("red", "红"))
    at = run("playground", {"data": "upload", **SMALL}, upload=csv.encode())
    assert not at.exception
    assert at.get("vega_lite_chart")
    leaks = _leaks(at)
    assert not leaks, "\n".join(leaks)


def test_upload_fault_in_chinese():
    at = run("playground", {"data": "upload"}, upload=b"x,y,label\n1,2,a\n")
    assert [e.value for e in at.error] and all(CJK.search(e.value) for e in at.error)


def test_detector_finds_english():
    """The checker itself: English runs and single vocabulary words are found; formulas,
    activation names and allowlisted names are not."""
    assert english_in("训练 train accuracy 95%")
    assert english_in("数据集 moons") or "moons" not in VOCAB
    assert english_in("Zeros")
    assert english_in("Negative slope：取值 0 到 1")
    for ok in ["ReLU 与 Leaky ReLU", "GELU (tanh approx.)", "‖g‖ = 3.1e-2", "log10|g| ≥",
               "E[x xᵀ] 的曲率", "SGD + Nesterov 动量", "Xavier/Glorot（均匀）", "f′ = 0",
               "URL 参数：acts", "隐藏层 1", "P(类别 1)", "x·δ"]:
        assert not english_in(ok), (ok, english_in(ok))


def test_english_pages_are_english():
    """The same collector on an English page finds English (so (b) is not vacuous)."""
    at = AppTest.from_file(str(ROOT / "pages" / "playground.py"), default_timeout=120)
    at.run()
    assert any(english_in(s) for _k, s in visible_strings(at))
