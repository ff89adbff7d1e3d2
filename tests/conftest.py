"""Shared pytest setup: make the repo root importable so `import explorer` works uninstalled."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_views():
    """Each test starts without the built views of the ones before it (explorer/app/memo.py:
    a test that changes a constant a chart reads would otherwise get another test's chart)."""
    from explorer.app import memo

    memo.VIEWS.clear()
    yield
