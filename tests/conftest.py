"""Shared pytest setup: make the repo root importable so `import explorer` works uninstalled,
and give the session a directory for runs shared across xdist workers (tests/shared_runs.py)."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:  # tests/shared_runs.py, tests/pagetest.py (rootdir-relative imports)
    sys.path.insert(0, TESTS)

import shared_runs  # noqa: E402

#: modules whose tests run on one xdist worker (``-n N``): a module fixture that cannot be
#: shared through tests/shared_runs.py (AppTest objects do not pickle) then runs once, not once
#: per worker. Every other test is scheduled as by xdist's default ``--dist load``.
ONE_WORKER_MODULES = ("tests/test_projector.py",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist load`` (what ``-n N`` means), except that the tests of ONE_WORKER_MODULES go
    to one worker together. (xdist's own ``loadgroup`` does not group under pytest 9.2: its
    ``item._nodeid`` suffix no longer reaches the controller.) An explicit other ``--dist``
    keeps xdist's scheduler."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER_MODULES else nodeid

    config.option.loadscopereorder = False  # keep the collection order (no reordering by size)
    return ModuleGroups(config, log)


def pytest_configure(config):
    """The controller (or a run without xdist) names the session; workers inherit the name
    through their environment, so they share one cache directory."""
    if hasattr(config, "workerinput") or os.environ.get(shared_runs.ENV):
        return
    os.environ[shared_runs.ENV] = uuid.uuid4().hex
    config._ae_owns_test_run = True


def pytest_unconfigure(config):
    if getattr(config, "_ae_owns_test_run", False):
        folder = shared_runs.cache_dir()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(shared_runs.ENV, None)


@pytest.fixture(autouse=True)
def _fresh_views():
    """Each test starts without the built views of the ones before it (explorer/app/memo.py:
    a test that changes a constant a chart reads would otherwise get another test's chart)."""
    from explorer.app import memo

    memo.VIEWS.clear()
    yield
