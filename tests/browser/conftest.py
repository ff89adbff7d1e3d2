"""Fixtures for browser tests: a live Streamlit server and Playwright on Debian's Chromium.

* ``app_server`` (session): runs ``streamlit run streamlit_app.py`` from the repo root (or from
  ``$AE_APP_DIR``) on a free loopback port and yields its base URL. One server per xdist worker.
* ``browser`` (session): headless Chromium from ``/usr/bin/chromium`` (or ``$AE_CHROMIUM``).
* ``module_context`` (module): one browser context per test module, so its HTTP cache
  keeps the app's static files between the module's tests.
* ``page`` (function): that context's page, 1600x1000, reset between tests (about:blank,
  storage and cookies cleared, default viewport); when the test fails, a screenshot
  ``FAILED-<test>.png`` is saved to tests/browser/artifacts/ (tests also save screenshots of
  their own there on success, e.g. one per page in test_pages.py: the folder is git-ignored).
* ``fresh_server`` (function): a server of its own that no session has visited yet.
* The harness self-tests (test_harness_smoke.py) serve ``tests/browser/harness_app/``.

Every test under tests/browser/ gets the ``browser`` marker. Without a Chromium binary (or the
playwright package) they are skipped, unless ``AE_REQUIRE_BROWSER=1`` (set by .ci/run), in which
case that is an error.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
BROWSER_DIR = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1600, "height": 1000}
SERVER_START_TIMEOUT = 60.0


def find_chromium() -> str | None:
    """Path of the Chromium binary to drive, or None."""
    override = os.environ.get("AE_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-test.txt)"
    if find_chromium() is None:
        return "no Chromium binary found (apt-get install chromium, or set AE_CHROMIUM)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_items = [i for i in items if BROWSER_DIR in Path(str(i.path)).resolve().parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    reason = _skip_reason() if browser_items else None
    if reason is None:
        return
    if os.environ.get("AE_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"browser tests required (AE_REQUIRE_BROWSER=1) but {reason}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {reason}"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.read().decode("utf-8", "replace").strip()
    except OSError:
        return None


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server's whole process group; escalate to SIGKILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def app_dir() -> Path:
    """Directory holding the streamlit_app.py to serve ($AE_APP_DIR overrides the repo root)."""
    d = Path(os.environ.get("AE_APP_DIR") or REPO_ROOT).resolve()
    if not (d / "streamlit_app.py").is_file():
        pytest.fail(f"no streamlit_app.py in {d}", pytrace=False)
    return d


@contextlib.contextmanager
def serve(app_dir: Path, log_path: Path, port: int | None = None) -> Iterator[tuple[str, int]]:
    """Run ``streamlit run streamlit_app.py`` in ``app_dir``; yield (base URL, server pid).

    A free loopback port is chosen unless ``port`` is given. The server's whole process group
    is stopped on exit.
    """
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        PYTHONUNBUFFERED="1",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        PYTHONPATH=os.pathsep.join(
            p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
    )
    last_error = ""
    for _attempt in range(3 if port is None else 1):  # a free port can be taken meanwhile
        chosen = port or _free_port()
        url = f"http://127.0.0.1:{chosen}"
        cmd = [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.headless", "true",
            "--server.port", str(chosen),
            # a loopback address also stops Streamlit looking up the machine's external IP
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
        ]  # fmt: skip
        with open(log_path, "ab") as log:
            log.write(f"\n=== {' '.join(cmd)} (cwd {app_dir})\n".encode())
            log.flush()
            proc = subprocess.Popen(
                cmd,
                cwd=app_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group, so teardown can kill it all
            )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    last_error = f"streamlit exited with code {proc.returncode}"
                    break
                if _health(url) == "ok":
                    break
                time.sleep(0.25)
            else:
                last_error = f"no 'ok' from {url}/_stcore/health within {SERVER_START_TIMEOUT}s"
            if proc.poll() is None and _health(url) == "ok":
                yield url, proc.pid
                return
        finally:
            _stop(proc)
    pytest.fail(f"{last_error}; server log:\n{_tail(log_path)}", pytrace=False)


def _worker_id(request: pytest.FixtureRequest) -> str:
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


@pytest.fixture(scope="session")
def app_server(app_dir: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Start ``streamlit run streamlit_app.py`` and yield its base URL (no trailing slash)."""
    with serve(app_dir, ARTIFACTS_DIR / f"streamlit-{_worker_id(request)}.log") as (url, _pid):
        yield url


@pytest.fixture
def fresh_server(app_dir: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A server of its own that no session has visited yet (for first-visitor behaviour)."""
    log = ARTIFACTS_DIR / f"streamlit-fresh-{_worker_id(request)}.log"
    with serve(app_dir, log) as (url, _pid):
        yield url


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a Playwright-downloaded build)."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def warm_app(app_server: str, browser) -> str:
    """Visit the home page once per server before any test does.

    Streamlit treats an app with a ``pages/`` folder as a legacy (v1) multipage app until some
    session has run the main script, which calls ``st.navigation``. Until then a deep link such
    as ``/playground`` runs the page file on its own (no page config, file-name navigation).
    ``test_pages.py::test_deep_link_is_the_first_visit`` checks that case on a server of its own; every other test gets a
    server that has seen one visit to ``/`` (which also imports the engine before the clock of
    the first test starts).
    """
    from .helpers import OBSERVER_JS, load

    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.add_init_script(OBSERVER_JS)
    try:
        load(context.new_page(), app_server + "/", timeout=120000)
    finally:
        context.close()
    return app_server


@pytest.fixture(scope="module")
def module_context(browser):
    """One browser context per test module (and xdist worker): its HTTP cache keeps
    Streamlit's static files (and V8 their compiled code), so the module's page loads after
    the first skip downloading and compiling ~the app's JavaScript again (about half of a
    light page's browser CPU). The ``page`` fixture hands out its page, reset between tests."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(30000)
    context.set_default_navigation_timeout(60000)
    from .helpers import OBSERVER_JS

    context.add_init_script(OBSERVER_JS)
    try:
        yield context
    finally:
        context.close()


def _reset(context, pg) -> None:
    """Leave the page as a new one would be: no other tabs, the app's local/session storage
    cleared (Streamlit keeps e.g. the sidebar width there), cookies gone, on about:blank (the
    app's session disconnects, its animations stop), the default viewport, the mouse in the
    corner."""
    for other in context.pages:
        if other is not pg:
            other.close()
    if pg.is_closed():
        return
    try:
        if pg.url.startswith("http"):
            pg.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); }"
                        " catch (e) {} }")
        pg.goto("about:blank")
    except Exception:  # a crashed or hung page: the next test gets a new one
        pg.close()
        return
    context.clear_cookies()
    pg.set_viewport_size(VIEWPORT)
    pg.mouse.move(0, 0)  # (no hover left over from the last test)


@pytest.fixture
def page(module_context, request: pytest.FixtureRequest):
    """The module's page (1600x1000, see :func:`module_context`), as a new page would be: on
    about:blank, storage and cookies cleared, default viewport; saves a screenshot if the
    test fails. Every test starts with a navigation, which starts a new Streamlit session, so
    nothing of one test's session reaches the next; a test that needs another visitor opens a
    context of its own.

    Tests that also use ``app_server`` get it warmed up (see :func:`warm_app`).
    """
    from .helpers import save_screenshot

    if "app_server" in request.fixturenames:
        request.getfixturevalue("warm_app")

    pages = [p for p in module_context.pages if not p.is_closed()]
    pg = pages[0] if pages else module_context.new_page()
    try:
        yield pg
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed and not pg.is_closed():
            try:
                path = save_screenshot(pg, f"FAILED-{request.node.name}")
                print(f"screenshot of the failure: {path}")
            except Exception as e:  # best effort
                print(f"could not save a failure screenshot: {e}")
        _reset(module_context, pg)
