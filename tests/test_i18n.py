"""English and 简体中文: every text table is complete, and no page shows English in Chinese.

(a) Every ``explorer/texts/*.py`` table has the same keys in ``en`` and ``zh``, no empty values,
    the same ``{placeholders}``, and Chinese values contain Chinese characters unless they are
    formulas, numbers or proper names (:data:`NO_CJK_OK`). The other bilingual tables (field
    help, option labels, navigation, upload messages, presets, data sets) are checked too.
(b) Every page is run with ``lang=zh`` through AppTest (default view plus a few other states,
    the activations with a translated label among them) and every visible string is
    collected: titles, headers, markdown, captions, HTML text, alert bodies, labels / help /
    options of every widget, expander labels, table column names and text cells, and from
    every Vega-Lite spec the chart titles and subtitles, axis, legend and tooltip titles (a
    field's own name where a tooltip or axis has none) and the category values shown on
    axes, legends, tooltips and text marks. None may contain a Latin word of two or more
    letters unless it is a proper name of the one list :data:`PROPER_NAMES`, a formula word
    or unit (:data:`FORMULA_WORDS`) or code the page quotes (a URL parameter name, a link).
(c) The same check on every Chinese table value and registry label, shown or not.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from google.protobuf.message import Message
from pagetest import placeholders
from streamlit.testing.v1 import AppTest

import explorer.texts as texts_pkg
from explorer import ACTIVATIONS, DATASETS, FIELDS
from explorer.config import run_label
from explorer.features import FEATURES
from explorer.initialisers import INITIALISERS
from explorer.lesson import N_STEPS
from explorer.optimisers import OPTIMISERS
from explorer.presets import PRESETS
from explorer.texts import LANGS
from explorer.texts.activations import TEXT as ACTIVATION_TEXT
from explorer.texts.common import FIELD_HELP_ZH, OPTION_ZH
from explorer.texts.nav import PAGES, TITLES
from explorer.upload import example_csv

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
    ("charts", "sum.sep"), ("charts", "sum.end"), ("common", "list_sep"), ("activations", "label.silu"),
    ("lesson", "chart.fast_mark"),
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
    # presets and data sets: every registry entry has its texts (the tables are checked above)
    for p in PRESETS:
        assert CJK.search(p.title("zh")) and CJK.search(p.description("zh")), p.name
    for n in DATASETS.names():
        assert CJK.search(DATASETS[n].label_for("zh")), n
        assert CJK.search(DATASETS[n].description_for("zh")), n


# ----------------------------------------------------------------------------- (b) pages

#: THE list of proper names shown as they are in Chinese (matched as written, case included).
#: Every other Latin word in a Chinese page is a leak unless it is a formula, a number or
#: unit, or a URL parameter name where the page names one (see :func:`english_in`).
PROPER_NAMES = sorted([
    # activation families: the functions' own names, written so in Chinese texts too
    # (their descriptive parts -- "approx.", "linear", "Identity" -- are translated)
    "Leaky ReLU", "ReLU", "PReLU", "ELU", "SELU", "GELU", "SiLU", "Swish", "Mish",
    "Softplus", "Maxout", "Sigmoid",
    # optimisers and initialisers named after the algorithm or their authors
    "SGD", "Adam", "Nesterov", "Xavier", "Glorot", "He", "Kaiming", "LeCun",
    # a cited author, a course, a data set, models, software, a dtype, file formats
    "Krizhevsky", "CS231n", "CIFAR-10", "BERT", "GPT-2", "scikit-learn", "NumPy", "float64",
    "CSV", "JSON", "PNG", "SVG", "URL", "UTF-8",
    # the language switch: bilingual on purpose, each language named in its own script
    "Language / 语言", "English",
    # a key named as printed on the keyboard (the player's keys: 空格, ←, →, Home)
    "Home",
], key=len, reverse=True)
#: function names inside formulas ("ln(1+e^z)", "max |f′|", "log₁₀ 损失") and units
FORMULA_WORDS = {"tanh", "sigmoid", "softplus", "exp", "ln", "log", "log10", "max", "min",
                 "sin", "cos", "sech", "argmax", "NaN", "inf", "ns", "ms", "KB", "MB"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*")
#: what a page quotes as code rather than as text: a URL parameter list after "URL 参数：",
#: ``key=value``, the key and echoed value of a bad-link notice line ("- lr: 'abc' ...")
URL_NAMES = re.compile(r"URL ?参数[：:]\s*[a-z_][a-z0-9_]*(?:\s*[,，、/]\s*[a-z_][a-z0-9_]*)*")
CODE = [URL_NAMES,
        re.compile(r"(?m)^- ?[a-z_][a-z0-9_]*: (?:'[^'\n]*')?"),  # notice line: key, echoed value
        re.compile(r"[\w.-]+=[\w.-]+"),                            # URL code such as data=upload
        re.compile(r"\]\([^)]*\)"),                                # a markdown link's target
        re.compile(r"https?://\S+"),
        re.compile(r"(?<![\w.])\.[a-z0-9]{2,5}\b"),                # a file extension: .xlsx
        re.compile(r"\{[a-z_]+\}"),                                # a placeholder the player fills
        re.compile(r"\b[A-Za-z]_\{?\w+\}?"),                       # a subscripted symbol: g_out, a_j
        re.compile(r"\d+(?:\.\d+)?[eE][-+]?\d+")]                  # 3.1e-2


def english_in(text: str) -> list[str]:
    """The Latin words in one visible Chinese string that are not allowed (empty if none):
    every word of two or more letters unless a proper name of :data:`PROPER_NAMES`, a formula
    word or unit of :data:`FORMULA_WORDS`, or code (:data:`CODE`); single letters are symbols."""
    s = text
    for pattern in CODE:
        s = pattern.sub(" ", s)
    for name in PROPER_NAMES:
        s = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", " ", s)
    return [w for w in LATIN_WORD.findall(s)
            if sum(c.isalpha() for c in w) >= 2 and w not in FORMULA_WORDS]


# --- collecting visible strings ---------------------------------------------------------
#: proto fields that are not visible text
HIDDEN_FIELDS = {"id", "form_id", "url", "icon", "spec", "data", "css", "key", "default",
                 "type", "element_hash", "page", "page_script_hash", "raw_value", "raw_values",
                 "format", "tag", "anchor", "selection_mode", "label_visibility",
                 "placeholder_type", "mime_type", "file_name", "deprecated_feature",
                 "width_config", "height_config", "text_alignment_config", "theme", "body_html"}
#: element types whose text is a formula or code
SKIP_TYPES = {"latex", "code", "json"}


def is_text(column: pd.Series) -> bool:
    """A column of strings (pandas 3 gives them their own dtype, older ones ``object``)."""
    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


def proto_strings(msg: Message, skip: set[str] = frozenset()) -> Iterator[str]:
    for fd, val in msg.ListFields():
        if fd.name in HIDDEN_FIELDS or fd.name in skip:
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
            if field in df.columns and is_text(df[field]):
                yield from (str(v) for v in df[field].dropna().unique()[:100])

    def title(t) -> Iterator[str]:
        if isinstance(t, str):
            yield t
        elif isinstance(t, list):
            yield from (x for x in t if isinstance(x, str))
        elif isinstance(t, dict):
            yield from title(t.get("text"))
            yield from title(t.get("subtitle"))

    def titled(e: dict) -> bool:
        guide = e.get("axis", e.get("legend", {}))
        return "title" in e or (isinstance(guide, dict) and "title" in guide)

    def walk(node, shared: frozenset = frozenset()) -> Iterator[str]:
        """``shared``: channels a sibling layer titles (Vega-Lite's layered axis or legend
        then shows that title, not a field name)."""
        if isinstance(node, list):
            for item in node:
                yield from walk(item, shared)
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
                # no title given: Vega-Lite shows the field's own name as a tooltip's key,
                # and as an axis or legend title unless the scale is the identity or a
                # sibling layer titles the channel
                identity = "scale" in e and e["scale"] is None
                guided = (guide is not None and not identity and channel not in shared
                          and channel in ("x", "y", "color", "shape", "strokeDash", "size",
                                          "opacity"))
                if "field" in e and not titled(e) and (channel == "tooltip" or guided):
                    yield str(e["field"])
                positional = channel in ("x", "y", "row", "column")
                categorical = e.get("type") in ("nominal", "ordinal")
                if channel in ("text", "tooltip") or (shown and categorical and not identity and (
                        positional or channel in ("color", "shape", "strokeDash", "fill"))):
                    domain = (e.get("scale") or {}).get("domain")
                    if isinstance(domain, list) and channel not in ("text", "tooltip"):
                        yield from (d for d in domain if isinstance(d, str))
                    elif "field" in e and (categorical or channel == "text"):
                        yield from values(e["field"])
        layers = node.get("layer")
        inner = shared | frozenset(
            ch for lay in (layers if isinstance(layers, list) else [])
            if isinstance(lay, dict) for ch, enc in (lay.get("encoding") or {}).items()
            for e in (enc if isinstance(enc, list) else [enc])
            if isinstance(e, dict) and titled(e))
        for key, value in node.items():
            if key not in ("encoding", "title", "data", "datasets", "config", "transform"):
                yield from walk(value, inner if key == "layer" else shared)

    yield from walk(spec)


def _player_strings(kind: str, data: dict) -> list[tuple[str, str]]:
    """The texts a player's data makes it show (labels, classes, layers, features, network)."""
    out: list[tuple[str, str]] = []
    out += [(kind, str(v)) for v in (data.get("labels") or {}).values()]
    out += [(kind, str(v)) for v in data.get("class_names") or []]
    out += [(kind, str(v)) for v in data.get("layer_names") or []]
    out += [(kind, str(v)) for v in data.get("features") or []]
    net = data.get("net") or {}  # the network figure: layer heads, unit tooltips
    for lay in net.get("layers") or []:
        out += [(kind, str(lay.get(k, ""))) for k in ("head", "sub")]
        out += [(kind, str(v)) for k in ("names", "what", "labels")
                for v in lay.get(k) or []]
    out += [(kind, str(v)) for v in (net.get("text") or {}).values()]
    return out


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
                if is_text(df[c]):
                    out += [(kind, str(v)) for v in df[c].dropna().unique()[:100]]
        elif kind == "bidi_component":  # the live player: its shown texts come in its data
            group = json.loads(node.proto.json or "{}")
            out += [(kind, str(v)) for v in (group.get("labels") or {}).values()]
            for data in group.get("runs") or [group]:  # Compare's player: one per column
                out += [(kind, str(data["title"]))] if "title" in data else []
                out += _player_strings(kind, data)
        elif kind == "html":
            out += [(kind, s) for s in html_text(node.proto.body)]
        elif isinstance(proto, Message):  # (a text box's content is input: URL syntax)
            out += [(kind, s) for s in proto_strings(proto, skip={"value"} if kind == "text_input"
                                                      else set())]
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
    # the activations whose labels are translated, and the linear model, on every page
    ("playground", {"activation": "gelu", **SMALL}),
    ("playground", {"layer_activations": "identity-silu", "hidden": "4-4", **SMALL}),
    ("playground", {"hidden": "none", **SMALL}),
    # real data sets: translated class names and principal-component axes
    ("playground", {"dataset": "iris", **SMALL}),
    ("compare", {"dataset": "breast_cancer", **SMALL}),
    ("compare", {"acts": "relu-gelu-silu-identity", **SMALL}),
    ("compare", {"acts": "relu-gelu-identity", "sweep": "1", "seeds": "2", **SMALL}),
    ("gallery", {"acts": "gelu-silu-identity"}),
    ("vanishing", {"acts": "gelu-silu-identity", "hist": "identity"}),
    ("dead_relu", {"acts": "gelu-identity-silu", "map": "gelu", **SMALL}),
    # every step of the lesson
    *[("lesson", {"step": str(n)}) for n in range(1, N_STEPS + 1)],
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
    """The checker itself: every Latin word that is not a proper name, formula or code is
    found, the reported leaks among them; formulas, names and quoted code are not."""
    assert english_in("GELU (tanh approx.)") == ["approx"]
    assert english_in("Identity (linear)") == ["Identity", "linear"]
    assert english_in("Linear (no hidden layer)")
    assert english_in("训练 train accuracy 95%") == ["train", "accuracy"]
    assert english_in("数据集 moons") == ["moons"]
    assert english_in("Zeros") == ["Zeros"]
    assert english_in("小学习率 vs 大学习率") == ["vs"]
    assert english_in("Negative slope：取值 0 到 1")
    assert english_in("ReLUs") and english_in("Hendrycks")  # whole words only
    assert english_in("URL 参数：number of seeds")  # only identifiers count as parameter names
    for ok in ["ReLU 与 Leaky ReLU", "GELU（tanh 近似）", "恒等（线性）", "SiLU（Swish）",
               "‖g‖ = 3.1e-2", "log10|g| ≥", "E[x xᵀ] 的曲率", "SGD + Nesterov 动量",
               "Xavier/Glorot（均匀）", "f′ = 0", "URL 参数：acts", "URL 参数：seeds、sweep",
               "隐藏层 1", "P(类别 1)", "x·δ", "‖g_out‖", "第 {epoch} / {total} 轮",
               "- lr: 'abc' 无效", "(data=upload)", "[打开](/compare?acts=relu&lang=zh)",
               "Language / 语言", "ln(1+e^z)", "1.28 ns"]:
        assert not english_in(ok), (ok, english_in(ok))


def test_proper_names_are_few_and_used():
    """The one list of names shown untranslated stays short, and every entry is really shown
    somewhere in Chinese (the list cannot go stale)."""
    assert len(PROPER_NAMES) <= 40
    zh = "\n".join(chinese_strings())
    unused = [n for n in PROPER_NAMES if n not in zh]
    assert not unused, unused


def chinese_strings() -> list[str]:
    """Every Chinese text of the app that is not in a page script: the text tables and the
    registries' Chinese labels, notes and help."""
    out = []
    for name in TABLES:
        out += [re.sub(r"\{[^}]*\}", " ", v)
                for v in importlib.import_module(f"explorer.texts.{name}").TEXT["zh"].values()]
    out += list(FIELD_HELP_ZH.values()) + list(OPTION_ZH.values())
    out += list(TITLES["zh"].values())
    out += [FEATURES[n].label for n in FEATURES.names()]
    for n in ACTIVATIONS.names():
        act = ACTIVATIONS[n]
        out += [act.label_for("zh"), act.notes_for("zh")]
    out += list(LANGS.values())
    return out


def test_chinese_tables_have_no_english():
    """(c): every Chinese value of every table and registry, whether a view shows it or not."""
    leaks = sorted({f"{english_in(v)} in {v[:120]!r}" for v in chinese_strings()
                    if english_in(v)})
    assert not leaks, "\n".join(leaks)


def test_activation_labels_in_chinese():
    """A label with a descriptive English part has its Chinese one; the pages ask for it."""
    for n in ACTIVATIONS.names():
        act = ACTIVATIONS[n]
        assert not english_in(act.label_for("zh")), n
        if english_in(act.label):
            assert CJK.search(act.label_for("zh")), n
    assert ACTIVATIONS["gelu"].label_for("zh") != ACTIVATIONS["gelu"].label
    assert ACTIVATIONS["identity"].label_for("en") == "Identity (linear)"
    assert run_label("Identity (linear) / GELU (tanh approx.)", "zh") == "恒等（线性） / GELU（tanh 近似）"
    assert run_label("SiLU / Swish / ReLU", "zh") == "SiLU（Swish） / ReLU"
    assert run_label("GELU (tanh approx.)", "en") == "GELU (tanh approx.)"


def test_untranslated_labels_are_caught_on_the_page(monkeypatch):
    """The reported leaks, end to end: with the Chinese labels of GELU and Identity taken away,
    the gallery in Chinese shows "GELU (tanh approx.)" and "Identity (linear)" and the page
    check fails on them; with them it passes."""
    query = {"acts": "gelu-identity"}
    assert not [x for x in _leaks(run("gallery", query)) if "approx" in x or "linear" in x]
    for n in ("gelu", "identity"):
        monkeypatch.delitem(ACTIVATION_TEXT["zh"], f"label.{n}")
    leaks = _leaks(run("gallery", query))
    assert any("'approx'" in x for x in leaks), leaks
    assert any("'Identity', 'linear'" in x for x in leaks), leaks


def test_english_pages_are_english():
    """The same collector on an English page finds English (so (b) is not vacuous)."""
    at = AppTest.from_file(str(ROOT / "pages" / "playground.py"), default_timeout=120)
    at.run()
    assert any(english_in(s) for _k, s in visible_strings(at))
