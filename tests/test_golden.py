"""The runs the pages show give the numbers recorded before the redesign (to 1e-12).

See ``tests/golden/outputs.py`` for what is recorded and when it may be regenerated."""

from __future__ import annotations

import numpy as np
import pytest
import shared_runs

from tests.golden import outputs

TOL = 1e-12


@pytest.fixture(scope="module")
def now() -> dict[str, np.ndarray]:
    """Computed once per session (shared by the xdist workers: tests/shared_runs.py)."""
    return shared_runs.memo(f"{__name__}.now", outputs.compute)


@pytest.fixture(scope="module")
def golden() -> dict[str, np.ndarray]:
    return outputs.load()


def test_same_outputs_recorded(now, golden):
    assert sorted(now) == sorted(golden)
    assert any(k.startswith("playground.") for k in golden)
    assert any(k.startswith("compare.maxout.") for k in golden)
    assert sum(k.endswith(".boundary") for k in golden) >= 6


@pytest.mark.parametrize("prefix", ["playground.", "compare.", "lesson."])
def test_same_numbers(now, golden, prefix):
    keys = [k for k in golden if k.startswith(prefix)]
    assert keys
    off = []
    for k in keys:
        a, b = now[k], golden[k]
        if b.dtype.kind in "US":
            if not np.array_equal(a, b):
                off.append(f"{k}: {a!r} != {b!r}")
            continue
        if a.shape != b.shape:
            off.append(f"{k}: shape {a.shape} != {b.shape}")
            continue
        same_nan = np.isnan(a) == np.isnan(b)
        close = np.isclose(a, b, rtol=TOL, atol=TOL) | (np.isnan(a) & np.isnan(b))
        if not (same_nan.all() and close.all()):
            worst = np.nanmax(np.abs(a - b)) if a.size else 0.0
            off.append(f"{k}: max |diff| {worst:.3g}")
    assert not off, "\n".join(off[:20])
