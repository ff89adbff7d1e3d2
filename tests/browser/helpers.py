"""Helpers for driving the Streamlit app in Chromium (Playwright, sync API).

Written against Streamlit 1.67's DOM:

* ``[data-testid=stApp]`` carries ``data-test-script-state`` (``initial`` until the first run
  starts, then ``running`` / ``rerunRequested`` / ``notRunning``) and
  ``data-test-connection-state`` (``CONNECTED`` once the websocket is up).
* While a rerun is in flight the previous elements stay in the DOM with ``data-stale="true"``.
* Widgets are react-aria components: a selectbox is an ``<input role=combobox>`` whose options
  appear in a virtualised ``[data-testid=stSelectboxVirtualDropdown]`` portal; a slider thumb is a
  visually hidden ``<input type=range>``; a number input is ``[data-testid=stNumberInputField]``.
* Altair / Vega-Lite charts (``[data-testid=stVegaLiteChart]``) draw as SVG (``svg.marks``) by
  default, asynchronously after the element mounts.

A widget change does not start the rerun synchronously (about 100 ms later), so waiting for
``notRunning`` right after a click returns immediately with the old content. A small observer
script (installed by the ``page`` fixture, or lazily here) counts runs; the widget helpers wait
until the run count has gone up and the app has settled again (see :func:`expect_rerun`).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from explorer.app.streams import LIVE_KEY

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"

# Counts transitions of stApp's script state into "running" (window.__aeRuns) and remembers
# when the state last changed (window.__aeStateSince). Idempotent; safe as an init script.
OBSERVER_JS = """
(() => {
  if (window.__aeObserver) return;
  window.__aeRuns = 0;
  window.__aeStateSince = performance.now();
  const note = (oldValue, newValue) => {
    if (oldValue === newValue) return;
    window.__aeStateSince = performance.now();
    if (newValue === 'running' && oldValue !== 'running') window.__aeRuns += 1;
  };
  window.__aeObserver = new MutationObserver((records) => {
    for (const r of records) {
      if (r.attributeName === 'data-test-script-state') {
        note(r.oldValue, r.target.getAttribute('data-test-script-state'));
      }
    }
  });
  window.__aeObserver.observe(document, {
    subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ['data-test-script-state'],
  });
  const app = document.querySelector('[data-testid=stApp]');
  if (app && app.getAttribute('data-test-script-state') === 'running') window.__aeRuns += 1;
})();
"""

_SETTLED_JS = """
([minRuns, quietMs]) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if ((window.__aeRuns || 0) < minRuns) return false;
  if (performance.now() - (window.__aeStateSince || 0) < quietMs) return false;
  if (document.querySelector(
      '[data-stale=true], [data-testid=stStatusWidgetRunningIcon],'
      + ' [data-testid=stStatusWidgetRunningManIcon], [data-testid=stAppSkeleton],'
      + ' [data-testid=stSkeleton], [data-testid=stSpinner]')) return false;
  return !!document.querySelector('[data-testid=stMain] [data-testid=stElementContainer]');
}
"""

# Every drawn chart: [kind, width, height, payload]. For SVG the payload describes the drawing
# order-free: one line per leaf element (its attributes, text and the transforms of its
# ancestors), sorted, because Vega keeps existing scene items and appends new ones when a chart
# is updated in place, so the same drawing can come out in a different element order. A title
# is described by its full text (the group's aria-label): Vega may shorten it with "…" or not
# depending on when the web font finished loading (see truncated_chart_texts). For canvas the
# payload is the PNG.
_CHARTS_JS = """
() => {
  const SKIP = new Set(['id', 'clip-path', 'aria-labelledby', 'aria-describedby']);
  const describe = (svg) => {
    const lines = [];
    const walk = (el, chain) => {
      const t = el.getAttribute('transform');
      const here = t ? chain + ';' + t : chain;
      if (el.tagName === 'text' || el.children.length === 0) {
        const attrs = Array.from(el.attributes).filter((a) => !SKIP.has(a.name))
          .map((a) => a.name + '=' + a.value.replace(/url\\(#[^)]*\\)/g, 'url(#)')).sort();
        let text = el.tagName === 'text' ? el.textContent : '';
        const title = text && el.closest('[aria-roledescription=title][aria-label]');
        if (title) text = title.getAttribute('aria-label');
        lines.push(el.tagName + '|' + here + '|' + attrs.join(',') + '|' + text);
      } else {
        for (const k of el.children) walk(k, here);
      }
    };
    walk(svg, '');
    return lines.sort().join('\\n');
  };
  return Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]')).map((el) => {
    const c = el.querySelector('canvas.marks, canvas');
    if (c) {
      let data = '';
      try { data = c.toDataURL('image/png'); } catch (e) { data = 'tainted'; }
      return ['canvas', c.width, c.height, data];
    }
    const s = el.querySelector('svg.marks');
    if (s) {
      const w = parseFloat(s.getAttribute('width')) || s.getBoundingClientRect().width;
      const h = parseFloat(s.getAttribute('height')) || s.getBoundingClientRect().height;
      return ['svg', w, h, describe(s)];
    }
    return ['none', 0, 0, ''];
  });
}
"""

# Texts Vega shortened with "…" because they did not fit (titles, labels): cut-off text.
_TRUNCATED_JS = """
() => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks text'))
  .filter((t) => t.textContent.endsWith('\u2026') && t.getAttribute('opacity') !== '0')
  .map((t) => {
    const g = t.closest('[aria-label]');
    return t.textContent + (g ? ' (' + g.getAttribute('aria-label') + ')' : '');
  })
"""

_ALL_DRAWN_JS = """
() => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]')).every((el) => {
  const c = el.querySelector('canvas');
  if (c) return c.width > 0 && c.height > 0;
  const s = el.querySelector('svg.marks');
  if (!s) return false;
  const w = parseFloat(s.getAttribute('width')) || s.getBoundingClientRect().width;
  const h = parseFloat(s.getAttribute('height')) || s.getBoundingClientRect().height;
  return w > 0 && h > 0;
})
"""

_SET_RANGE_JS = """
(el, v) => {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  setter.call(el, String(v));
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return el.value;
}
"""


# --------------------------------------------------------------------------- waiting


def install_observer(page: Page) -> None:
    """Install the run-counting observer in the current document (no-op if present)."""
    page.evaluate(OBSERVER_JS)


def run_count(page: Page) -> int:
    """How many script runs the observer has seen start in this document."""
    install_observer(page)
    return int(page.evaluate("window.__aeRuns || 0"))


def wait_for_app(
    page: Page, timeout: float = 60000, *, min_runs: int = 0, quiet_ms: int = 250
) -> None:
    """Wait until the app is connected, not running, has rendered and has been quiet.

    "Settled" means: websocket CONNECTED, script state ``notRunning`` for at least ``quiet_ms``,
    no stale elements, no running status widget, skeleton or spinner, and at least one element
    in the main area. With ``min_runs`` also wait until that many runs have started (used by
    :func:`expect_rerun`).
    """
    install_observer(page)
    page.wait_for_function(_SETTLED_JS, arg=[min_runs, quiet_ms], timeout=timeout, polling=100)


@contextlib.contextmanager
def expect_rerun(
    page: Page, timeout: float = 60000, *, start_timeout: float = 10000
) -> Iterator[None]:
    """Context manager: the body triggers a rerun; on exit wait for it to finish and settle.

    If no run is seen starting within ``start_timeout`` ms (a change Streamlit ignored, or a
    run too quick to observe) it still waits for the app to be settled instead of failing.
    """
    before = run_count(page)
    yield
    try:
        wait_for_app(page, timeout=start_timeout, min_runs=before + 1)
    except PlaywrightTimeoutError:  # fall back to a plain settle wait
        pass
    wait_for_app(page, timeout=timeout)


def load(page: Page, url: str, timeout: float = 60000) -> None:
    """Navigate to ``url`` and wait for the app's first run to settle."""
    page.goto(url, timeout=timeout)
    wait_for_app(page, timeout=timeout)


# --------------------------------------------------------------------------- checks


def assert_no_exception(page: Page) -> None:
    """Fail if the app shows a Streamlit exception box or any text containing "Traceback"."""
    exc = page.locator("[data-testid=stException]")
    if exc.count():
        texts = "\n---\n".join(t[:2000] for t in exc.all_inner_texts())
        raise AssertionError(f"app shows {exc.count()} exception(s):\n{texts}")
    tb = page.get_by_text("Traceback")
    if tb.count():
        texts = "\n---\n".join(t[:2000] for t in tb.all_inner_texts())
        raise AssertionError(f"app shows a traceback:\n{texts}")
    state = page.locator("[data-testid=stApp]").get_attribute("data-test-connection-state")
    assert state == "CONNECTED", f"app is not connected to the server (state {state!r})"


def _chart_rows(page: Page) -> list[list]:
    return page.evaluate(_CHARTS_JS)


def _drawn(row: list) -> bool:
    return row[0] != "none" and row[1] > 0 and row[2] > 0


def truncated_chart_texts(page: Page) -> list[str]:
    """Chart texts (titles, axis labels) that Vega cut short with "…" because they did not fit."""
    return page.evaluate(_TRUNCATED_JS)


def wait_for_player(page: Page, timeout: float = 120000) -> None:
    """If the page has a live player: wait until it has played its run to the end and the
    page's own run has drawn it (a new run streams to a player in a fragment, in the container
    ``streams.LIVE_KEY``; the page draws the rest once that player stands still), then for the
    app to settle."""
    page.wait_for_function("""(live) => {
      if (document.querySelector('.st-key-' + live)) return false;
      for (const h of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
        const r = h.shadowRoot && h.shadowRoot.querySelector('.player-root');
        if (r) return r.dataset.playing === '0' && r.dataset.complete === '1';
      }
      return true;
    }""", arg=LIVE_KEY, timeout=timeout, polling=100)
    wait_for_app(page, timeout=timeout)


def wait_for_charts(page: Page, timeout: float = 15000) -> bool:
    """Wait until every Vega-Lite chart on the page has drawn; False on timeout."""
    try:
        page.wait_for_function(_ALL_DRAWN_JS, timeout=timeout, polling=100)
        return True
    except PlaywrightTimeoutError:  # caller decides what a missing chart means
        return False


def fonts_ready(page: Page, timeout: float = 15000) -> None:
    """Wait until the document's web fonts have loaded (Vega lays titles out again then)."""
    page.wait_for_function(
        "() => document.fonts.status === 'loaded'", timeout=timeout, polling=100)


def stable_value(page: Page, expression: str, arg=None, *, interval_ms: int = 150,
                 reads: int = 3, timeout: float = 15000, differs_from=None):
    """Evaluate ``expression`` (a JS function, given ``arg``) until ``reads`` consecutive
    results ``interval_ms`` apart are equal and (if given) differ from ``differs_from``; return
    that result. Instead of a fixed sleep before measuring a layout that is still settling
    (web fonts, a resize the charts follow): waits as long as it moves, not a guessed time.
    On ``timeout`` (ms) the last result is returned (the caller's checks judge it)."""
    deadline = time.monotonic() + timeout / 1000
    last, same = None, 0
    while True:
        now = page.evaluate(expression, arg)
        if differs_from is not None and now == differs_from:
            same = 0
        elif now == last:
            same += 1
        else:
            same = 1
        last = now
        if same >= reads or time.monotonic() > deadline:
            return last
        page.wait_for_timeout(interval_ms)


def count_charts(page: Page, timeout: float = 15000) -> int:
    """Number of ``stVegaLiteChart`` elements with a drawn canvas/svg of nonzero size.

    Waits (up to ``timeout`` ms) for charts still being drawn before counting.
    """
    wait_for_charts(page, timeout=timeout)
    return sum(_drawn(r) for r in _chart_rows(page))


_ID_RE = re.compile(r'\s(?:id|clip-path|aria-labelledby|aria-describedby)="[^"]*"')
_URL_REF_RE = re.compile(r"url\(#[^)]*\)")


def _normalise(payload: str) -> str:
    # Vega numbers clip paths / gradients with a page-global counter: drop those ids so the
    # same drawing gives the same signature after a re-render.
    return _URL_REF_RE.sub("url(#)", _ID_RE.sub("", payload))


def chart_signatures(page: Page, timeout: float = 15000, settle_ms: int = 200) -> list[str]:
    """Per-chart content hashes (document order), once drawn and stable between two reads."""
    wait_for_charts(page, timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    previous = None
    while True:
        sigs = [
            hashlib.sha256(f"{r[0]}|{r[1]}x{r[2]}|{_normalise(r[3])}".encode()).hexdigest()[:16]
            for r in _chart_rows(page)
        ]
        if sigs == previous or time.monotonic() > deadline:
            return sigs
        previous = sigs
        page.wait_for_timeout(settle_ms)


def chart_signature(page: Page, timeout: float = 15000) -> str:
    """One string that changes when the drawn contents of any chart change."""
    return hashlib.sha256("|".join(chart_signatures(page, timeout)).encode()).hexdigest()


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG to tests/browser/artifacts/<name>.png and return its path.

    Streamlit scrolls inside ``<main data-testid=stMain>``, not the document, so Playwright's own
    ``full_page`` would only capture the viewport: for a full page the viewport is stretched to
    the scroll height of the main area / sidebar (at most 12000 px) and restored afterwards.
    """
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    if not safe.endswith(".png"):
        safe += ".png"
    path = ARTIFACTS_DIR / safe
    size = page.viewport_size
    height = 0
    if full_page and size:
        height = page.evaluate(
            """() => Math.max(0, ...Array.from(document.querySelectorAll(
                 '[data-testid=stMain], [data-testid=stSidebarContent]'))
                 .map((e) => e.scrollHeight))"""
        )
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 20, 12000)})
        try:
            wait_for_charts(page, timeout=5000)
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(size)
    else:
        page.screenshot(path=str(path), full_page=full_page)
    return path


# --------------------------------------------------------------------------- widgets


def _scope(page: Page, within: Locator | None) -> Locator | Page:
    return within if within is not None else page


def widget(page: Page, testid: str, label: str, within: Locator | None = None) -> Locator:
    """The ``[data-testid=<testid>]`` widget whose label is exactly ``label``.

    Matches the visible label text, or the inputs' ``aria-label`` (so collapsed / hidden labels
    work too), never a stale copy. Raises if there is no such widget or more than one.
    """
    root = _scope(page, within)
    # not a stale copy: a widget drawn with a new key (state.widget_key) sits next to its old,
    # stale self until the run ends
    fresh = f"[data-testid=stElementContainer]:not([data-stale=true]) [data-testid={testid}]"
    by_text = root.locator(fresh).filter(
        has=page.locator("[data-testid=stWidgetLabel]").get_by_text(label, exact=True)
    )
    by_aria = root.locator(fresh).filter(
        has=page.locator(f"[aria-label={_css_str(label)}]")
    )
    loc = by_text.or_(by_aria)
    try:
        loc.first.wait_for(state="attached", timeout=30000)
    except PlaywrightTimeoutError as e:
        raise AssertionError(f"no {testid} labelled {label!r} on the page") from e
    n = loc.count()
    if n != 1:
        raise AssertionError(f"{n} {testid} widgets labelled {label!r}; pass within=")
    return loc


def _css_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def select_option(page: Page, label: str, option_text: str, within: Locator | None = None) -> None:
    """Choose ``option_text`` in the ``st.selectbox`` labelled ``label`` and wait for the rerun."""
    box = widget(page, "stSelectbox", label, within)
    combo = box.locator("input[role=combobox]")
    if combo.input_value() == option_text:
        return
    dropdown = page.locator("[data-testid=stSelectboxVirtualDropdown]")
    with expect_rerun(page):
        combo.click()
        # The dropdown is virtualised: type to filter so the option is rendered.
        combo.fill(option_text)
        option = dropdown.get_by_role("option", name=option_text, exact=True)
        try:
            option.wait_for(state="visible", timeout=3000)
        except PlaywrightTimeoutError:  # filter did not match; try the unfiltered list
            combo.fill("")
            option.wait_for(state="visible", timeout=5000)
        option.click()
    expect(combo).to_have_value(option_text)


def set_number_input(page: Page, label: str, value: float, within: Locator | None = None) -> None:
    """Type ``value`` into the ``st.number_input`` labelled ``label``, commit, wait for rerun."""
    box = widget(page, "stNumberInput", label, within)
    field = box.locator("input[data-testid=stNumberInputField]")
    if _same_number(field.input_value(), value):
        return
    with expect_rerun(page):
        field.fill(str(value))
        field.press("Enter")
    current = field.input_value()
    assert _same_number(current, value), f"{label!r} shows {current!r}, wanted {value!r}"


def _same_number(text: str, value: float, tol: float = 1e-9) -> bool:
    try:
        x = float(text)
    except ValueError:
        return False
    return abs(x - float(value)) <= tol * max(1.0, abs(float(value)))


def set_slider(
    page: Page,
    label: str,
    value: float | str,
    within: Locator | None = None,
    *,
    thumb: int = 0,
) -> None:
    """Move the ``st.slider`` / ``st.select_slider`` labelled ``label`` to ``value``.

    A number is matched against the thumb's value, a string against its displayed text
    (``aria-valuetext``, i.e. a select_slider option or the formatted number). ``thumb`` picks
    the handle of a range slider. The hidden range input is set without committing, then one
    arrow key press towards the target commits the value the way a user would.
    """
    box = widget(page, "stSlider", label, within)
    thumb_input = box.locator("input[type=range]").nth(thumb)
    lo = float(thumb_input.get_attribute("min"))
    hi = float(thumb_input.get_attribute("max"))
    step = float(thumb_input.get_attribute("step") or 1)
    if isinstance(value, str):
        target = _find_slider_text(thumb_input, value, lo, hi, step)
    else:
        target = float(value)
    if not lo - 1e-9 <= target <= hi + 1e-9:
        raise AssertionError(f"{label!r}: {value!r} outside [{lo}, {hi}]")
    if _same_number(thumb_input.input_value(), target, tol=1e-6):
        return
    pre = target - step if target - step >= lo - 1e-9 else target + step
    key = "ArrowRight" if pre < target else "ArrowLeft"
    with expect_rerun(page):
        thumb_input.evaluate(_SET_RANGE_JS, _fmt(pre))
        thumb_input.focus()
        thumb_input.press(key)
    current = thumb_input.input_value()
    assert _same_number(current, target, tol=1e-6), f"{label!r} is at {current!r}, wanted {value!r}"
    if isinstance(value, str):
        got = thumb_input.get_attribute("aria-valuetext")
        assert got == value, f"{label!r} shows {got!r}, wanted {value!r}"


def _fmt(x: float) -> str:
    return repr(int(x)) if float(x).is_integer() else repr(round(x, 12))


def _find_slider_text(thumb_input: Locator, text: str, lo: float, hi: float, step: float) -> float:
    """Find the position whose aria-valuetext is ``text`` (uncommitted probing, then restore)."""
    original = thumb_input.input_value()
    n = int(round((hi - lo) / step))
    try:
        for i in range(n + 1):
            v = _fmt(lo + i * step)
            thumb_input.evaluate(_SET_RANGE_JS, v)
            if thumb_input.get_attribute("aria-valuetext") == text:
                return float(v)
    finally:
        thumb_input.evaluate(_SET_RANGE_JS, original)
    raise AssertionError(f"slider has no position showing {text!r}")


def set_text_input(page: Page, label: str, text: str, within: Locator | None = None) -> None:
    """Type ``text`` into the ``st.text_input`` labelled ``label``, commit, wait for the rerun."""
    box = widget(page, "stTextInput", label, within)
    field = box.locator("input")
    if field.input_value() == text:
        return
    with expect_rerun(page):
        field.fill(text)
        field.press("Enter")
    expect(field).to_have_value(text)


def set_toggle(page: Page, label: str, on: bool, within: Locator | None = None) -> None:
    """Switch the ``st.toggle`` / ``st.checkbox`` labelled ``label`` on or off."""
    box = widget(page, "stCheckbox", label, within)
    inp = box.locator("input[type=checkbox]")
    if inp.is_checked() == on:
        return
    with expect_rerun(page):
        box.locator("label").first.click()
    assert inp.is_checked() == on, f"{label!r} did not switch {'on' if on else 'off'}"


def expand(page: Page, label: str, within: Locator | None = None) -> Locator:
    """Open the ``st.expander`` whose summary reads ``label`` (no rerun); return it."""
    root = _scope(page, within)
    exp = root.locator("[data-testid=stExpander]").filter(
        has=page.locator("summary").get_by_text(label, exact=True)
    )
    exp.first.wait_for(state="attached")
    if exp.count() != 1:
        raise AssertionError(f"{exp.count()} expanders labelled {label!r}")
    details = exp.locator("details").first  # (its own: the tables' expanders sit inside some)
    if details.get_attribute("open") is None:
        exp.locator("summary").first.click()
        expect(details).to_have_attribute("open", re.compile(".*"))
    return exp


# Every input widget: [testid, label, value, in sidebar]. Labels come from textContent so widgets
# in collapsed expanders count too; the value is what the user sees (option text, number, ...).
_WIDGETS_JS = """
() => {
  const kinds = ['stSelectbox', 'stNumberInput', 'stTextInput', 'stSlider', 'stCheckbox',
                 'stMultiSelect', 'stButtonGroup', 'stRadio', 'stTextArea'];
  const out = [];
  for (const kind of kinds) {
    for (const el of document.querySelectorAll(`[data-testid=${kind}]`)) {
      const lab = el.querySelector('[data-testid=stWidgetLabel]');
      let label = lab ? lab.textContent.trim() : '';
      let value;
      if (kind === 'stSelectbox') {
        const i = el.querySelector('input[role=combobox]');
        value = i ? i.value : '';
        if (!label && i) label = i.getAttribute('aria-label') || '';
      } else if (kind === 'stNumberInput' || kind === 'stTextInput') {
        const i = el.querySelector('input'); value = i ? i.value : '';
        if (!label && i) label = i.getAttribute('aria-label') || '';
      } else if (kind === 'stTextArea') {
        const i = el.querySelector('textarea'); value = i ? i.value : '';
      } else if (kind === 'stSlider') {
        value = Array.from(el.querySelectorAll('input[type=range]'))
          .map((i) => i.getAttribute('aria-valuetext') || i.value).join(' – ');
      } else if (kind === 'stCheckbox') {
        const i = el.querySelector('input[type=checkbox]'); value = i ? String(i.checked) : '';
        if (!label) label = el.textContent.trim();
      } else if (kind === 'stMultiSelect') {
        value = Array.from(el.querySelectorAll('[data-baseweb=tag], [data-testid=stMultiSelectTag]'))
          .map((t) => t.textContent.trim()).join(', ');
      } else if (kind === 'stButtonGroup') {
        value = Array.from(el.querySelectorAll('button[aria-checked=true], button[kind$=Active]'))
          .map((b) => b.textContent.trim()).join(', ');
      } else if (kind === 'stRadio') {
        const i = el.querySelector('input[type=radio]:checked');
        value = i ? (i.closest('label') || i).textContent.trim() : '';
      }
      out.push([kind, label, value, !!el.closest('[data-testid=stSidebar]')]);
    }
  }
  return out;
}
"""


def widget_values(page: Page) -> dict[str, str]:
    """Every input widget's visible value, keyed ``"<testid>:<label>"`` (``#n`` if repeated)."""
    out: dict[str, str] = {}
    for kind, label, value, sidebar in page.evaluate(_WIDGETS_JS):
        key = f"{'sidebar/' if sidebar else ''}{kind}:{label}"
        n, k = 1, key
        while k in out:
            n += 1
            k = f"{key}#{n}"
        out[k] = value
    return out


def main_text(page: Page) -> str:
    """The visible text of the main area (for pages without charts)."""
    return page.locator("[data-testid=stMain]").inner_text()


def page_heading(page: Page) -> str:
    """Text of the page's first ``h1`` (``st.title``)."""
    h1 = page.locator("[data-testid=stMain] h1").first
    h1.wait_for(state="attached", timeout=10000)
    return h1.inner_text().strip()


def alerts(page: Page, kind: str = "Warning") -> list[str]:
    """Texts of the ``st.warning`` (or ``"Error"``, ``"Info"``, ...) boxes on the page."""
    return page.locator(f"[data-testid=stAlertContent{kind}]").all_inner_texts()
