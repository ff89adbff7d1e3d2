"""Warm visits (issue 27): a page whose runs are cached builds nothing again for the next
visitor (no Altair chart, no player frame, no CSV: the built views are shared, explorer/app/
memo.py), and every shared cache keeps its byte bound for every entry. Work is counted, never
timed (scripts/load_test.py --scenarios visits prints the server's CPU per warm visit)."""

from __future__ import annotations

import pickle
import threading
from collections import Counter
from dataclasses import replace

import altair as alt
import pytest

from explorer import TrainConfig, train
from explorer.app import memo, runs
from explorer.charts import core
from tests.pagetest import no_errors, page_file, run
from tests.test_memory import _cached_bytes

PAGES = ["playground", "compare", "vanishing", "zigzag", "dead_relu", "gallery", "lesson"]


@pytest.fixture
def counted(monkeypatch):
    """Counts of the work a page run does: Altair charts turned into specs, player frames
    and export files (CSV) built."""
    import pandas as pd

    from explorer.live import frames

    counts: Counter[str] = Counter()

    def counting(name, fn):
        def wrapped(*args, **kwargs):
            counts[name] += 1
            return fn(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(alt.TopLevelMixin, "to_dict",
                        counting("altair", alt.TopLevelMixin.to_dict))
    monkeypatch.setattr(frames, "frame_at", counting("frame", frames.frame_at))
    # (below the functions the pages cache: a counting wrapper of those would be no key)
    monkeypatch.setattr(pd.DataFrame, "to_csv", counting("csv", pd.DataFrame.to_csv))
    return counts


@pytest.mark.parametrize("page", PAGES)
def test_a_warm_visit_builds_no_chart_frame_or_file(page, counted):
    memo.VIEWS.clear()
    first = run(page_file(page))  # trains (or finds the runs cached) and builds every view
    no_errors(first)
    built = dict(counted)
    assert built.get("altair", 0) >= 1, built  # the counter sees the page's charts
    counted.clear()
    second = run(page_file(page))  # the next visitor: a new session, the same link
    no_errors(second)
    assert counted["altair"] == 0 and counted["frame"] == 0 and counted["csv"] == 0, \
        (page, dict(counted))
    # and the page shows the same charts
    assert [c.proto.spec for c in second.get("vega_lite_chart")] == \
        [c.proto.spec for c in first.get("vega_lite_chart")]


def test_the_counter_sees_a_rebuild(counted):
    """Can fail: without the shared views, the second visit builds its charts again."""
    memo.VIEWS.clear()
    no_errors(run(page_file("playground")))
    memo.VIEWS.clear()
    counted.clear()
    no_errors(run(page_file("playground")))
    assert counted["altair"] >= 4 and counted["frame"] >= 1


# ----------------------------------------------------------------------------- the keys
@pytest.fixture(scope="module")
def rec():
    return train(TrainConfig(epochs=5, n_checkpoints=3, n_samples=100))


def test_a_record_is_keyed_by_its_run(rec):
    copy = pickle.loads(pickle.dumps(rec))  # what a shared cache hands each session
    assert memo.key_of(copy) == memo.key_of(rec)
    other = train(rec.config.replace(seed=1))
    assert memo.key_of(other) != memo.key_of(rec)
    assert memo.key_of([rec, 3, "x", 0.5]) == memo.key_of([copy, 3, "x", 0.5])
    assert memo.key_of({"a": 1.0}) != memo.key_of({"a": 1})  # 1.0 vs 1: kept apart


def test_partial_upload_and_unknown_arguments_are_built_not_cached(rec):
    partial = replace(rec, complete=False)
    upload = replace(rec, data=replace(rec.data, name="upload"))
    for arg in (partial, upload, object(), rec.history):
        with pytest.raises(memo.Uncacheable):
            memo.key_of(arg)
    y = 2
    with pytest.raises(memo.Uncacheable):  # a closure: its captured value is no key
        memo.key_of(lambda: y)
    calls = []

    def build(r, calls=calls):  # (a default, not a closure: keyed by its code)
        calls.append(r)
        return len(calls)

    assert memo.value(build, partial) == 1 and memo.value(build, partial) == 2  # uncached
    assert memo.value(build, rec) == 3 and memo.value(build, rec) == 3  # cached


def test_a_derived_argument_is_computed_only_on_a_miss(rec):
    calls = Counter()

    def table(r, calls=calls):
        calls["table"] += 1
        return r.history

    def rows(frame, calls=calls):
        calls["rows"] += 1
        return len(frame)

    memo.VIEWS.clear()
    for _ in range(3):
        assert memo.value(rows, memo.derived(table, rec)) == len(rec.history)
    assert calls == {"table": 1, "rows": 1}


def test_a_spec_is_the_altair_charts_and_shared(rec):
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    from explorer.app import display

    memo.VIEWS.clear()
    spec = display.spec(core.loss_chart, rec, width=300, height=200)
    # the chart as show_chart draws it: with its accessible name (issue 29)
    assert spec == _convert_altair_to_vega_lite_spec(
        display.described(core.loss_chart(rec, width=300, height=200)))
    assert spec["description"] == "Loss"
    assert display.spec(core.loss_chart, rec, width=300, height=200) is spec
    assert display.spec(core.loss_chart, rec, width=301, height=200) is not spec


# ----------------------------------------------------------------------------- the bounds
def test_the_view_cache_keeps_its_bounds_for_every_entry():
    cache = memo.BoundedCache(max_bytes=1_000_000, max_entries=5, max_entry=300_000)
    for i in range(20):
        assert cache.get_or_build(i, lambda i=i: bytes(100_000 + i)) == bytes(100_000 + i)
        assert cache.bytes <= 1_000_000 and len(cache) <= 5
    assert len(cache) == 5  # the entries bound is used
    big = cache.get_or_build("big", lambda: bytes(400_000))  # over max_entry: not kept
    assert len(big) == 400_000 and cache.refused == 1
    found, _ = cache.lookup("big")
    assert not found and cache.bytes <= 1_000_000
    found, _ = cache.lookup(19)  # the newest stays
    assert found


def test_one_build_per_key_while_sessions_arrive_together():
    cache = memo.BoundedCache(10**7, 10, 10**7)
    started, builds = threading.Event(), []

    def build():
        builds.append(1)
        started.wait(2)
        return "spec"

    threads = [threading.Thread(target=cache.get_or_build, args=("k", build))
               for _ in range(8)]
    for t in threads:
        t.start()
    started.set()
    for t in threads:
        t.join()
    assert len(builds) == 1 and cache.hits >= 1


def test_a_shared_cache_keeps_no_entry_over_its_bound():
    """A value over max_size is not stored in st.cache_data (Streamlit would keep it alone,
    over the bound), but in the bounded cache of large values, and served from there."""
    calls: list[int] = []

    @runs.shared_cache(max_bytes=300_000, max_entries=10)
    def link(n: int) -> bytes:
        calls.append(n)
        return bytes(n)

    link.clear()
    for n in (100_000, 200_000, 250_000):
        link(n)
        assert _cached_bytes("link") <= 300_000
    assert link(400_000) == bytes(400_000)  # over the bound
    assert _cached_bytes("link") <= 300_000  # not stored there...
    found, value = runs.LARGE.lookup((f"{link.__module__}.{link.__qualname__}", (400_000,), ()))
    assert found and value == bytes(400_000)  # ...but in the large-value cache
    link(400_000)
    assert calls.count(400_000) == 1  # served from it
    assert runs.LARGE.bytes <= runs.LARGE_CACHE_BYTES
    link.clear()
    assert len(runs.LARGE) == 0
