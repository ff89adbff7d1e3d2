"""Compare's player in a real browser: one transport for every column. Replay animates every
boundary and both curves at one epoch per frame (frames per second PRINTED, run with ``-s``);
Pause holds, the URL follows; +1 epoch moves every column exactly one epoch (the server trains
the prefixes), +1 snapshot to the next one, Reset to epoch 0 (the same picture a link with
``epoch=0`` shows); "Boundaries only, large" draws the row larger and hides the curves."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page

from explorer.texts.compare import TEXT as CMP

from .helpers import (
    assert_no_exception,
    load,
    set_number_input,
    set_toggle,
    wait_for_app,
    wait_for_player,
)
from .test_live import ROOT_JS, button, state, wait_state, wait_url_epoch
from .test_pages import LOAD_TIMEOUT

pytestmark = pytest.mark.browser

LINK = "acts=relu-tanh-sigmoid&epochs=200&n_checkpoints=41&seed=5"  # a snapshot every 5 epochs

# every boundary canvas's pixel hash, and the epochs every canvas of the player carries
HASHES_JS = """() => {
  const root = (ROOT_FN)();
  const h = (c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let x = 0; for (let i = 0; i < d.length; i += 8) x = (x * 31 + d[i] + 7 * d[i + 1]) | 0;
    return x; };
  const row = [...root.querySelectorAll('.row canvas')];
  return {hashes: row.map(h), widths: row.map((c) => c.getBoundingClientRect().width),
          epochs: [...root.querySelectorAll('canvas')].filter((c) => c.offsetParent)
                    .map((c) => c.dataset.epoch),
          curves: root.querySelector('.curves').style.display !== 'none'};
}""".replace("ROOT_FN", ROOT_JS)

# sample for `ms`: distinct pictures of the first boundary, and whether every drawn canvas
# always showed the root's epoch
SAMPLE_JS = """async (ms) => {
  const find = ROOT_FN;
  let last = null, distinct = 0, samples = 0, consistent = true, prev = -1, backwards = 0;
  const t0 = performance.now();
  return await new Promise((resolve) => {
    function f() {
      const root = find();
      const cs = [...root.querySelectorAll('canvas')].filter((c) => c.offsetParent);
      const c = root.querySelector('.row canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let x = 0; for (let i = 0; i < d.length; i += 12) x = (x * 31 + d[i]) | 0;
      samples += 1;
      if (x !== last) { distinct += 1; last = x; }
      if (cs.some((k) => k.dataset.epoch !== root.dataset.epoch)) consistent = false;
      const e = Number(root.dataset.epoch);
      if (e < prev) backwards += 1;
      prev = e;
      if (performance.now() - t0 < ms) requestAnimationFrame(f);
      else resolve({distinct, samples, consistent, backwards, ms: performance.now() - t0});
    }
    requestAnimationFrame(f);
  });
}""".replace("ROOT_FN", ROOT_JS)


def settled_view(page: Page) -> dict:
    """HASHES_JS once the page has settled and two reads 400 ms apart agree (a late layout,
    e.g. the scrollbar appearing as the page below fills in, redraws at another width)."""
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    last = page.evaluate(HASHES_JS)
    for _ in range(20):
        page.wait_for_timeout(400)
        now = page.evaluate(HASHES_JS)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the player kept changing: {last}")


def test_one_transport_for_every_column(app_server: str, page: Page, browser):
    load(page, f"{app_server}/compare?{LINK}", timeout=LOAD_TIMEOUT)
    wait_state(page, "s.complete === '1' && s.epoch === '200'")
    # a run trained here ends with a rerun of the page (streams: the run is stored): the clicks
    # below are on the page's own player (CI once lost a pause sent by the stream's player as
    # it was replaced: the URL never followed it)
    wait_for_player(page, timeout=LOAD_TIMEOUT)
    view = page.evaluate(HASHES_JS)
    assert len(view["hashes"]) == 3 and len(set(view["hashes"])) == 3  # three different nets
    assert set(view["epochs"]) == {"200"} and view["curves"]

    button(page, "replay").click()
    wait_state(page, "s.playing === '1'", timeout=30000)
    r = page.evaluate(SAMPLE_JS, 1500)
    fps = r["distinct"] / (r["ms"] / 1000)
    print(f"\ncompare replay, 3 columns: {r['distinct']} distinct frames in {r['ms']:.0f} ms = "
          f"{fps:.1f} fps ({r['samples']} animation frames, consistent={r['consistent']})")
    assert r["consistent"] and r["backwards"] == 0 and r["distinct"] >= 2
    page.locator(".player-root select").select_option("1")  # slow: 1 snapshot a second
    button(page, "play").click()  # "Pause" while playing
    wait_state(page, "s.playing === '0'")
    paused = int(state(page)["epoch"])
    if paused >= 195:  # (a machine too busy to pause in time: go back to the middle)
        button(page, "reset").click()
        for _ in range(10):
            button(page, "stepc").click()
        wait_state(page, "s.epoch === '50'")
        paused = 50
    wait_url_epoch(page, str(paused))
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    for _ in range(4):
        page.wait_for_timeout(300)
        assert int(state(page)["epoch"]) == paused and state(page)["playing"] == "0"
    at_pause = page.evaluate(HASHES_JS)

    # +1 epoch between snapshots: every column moves (the server trains the three prefixes)
    button(page, "step").click()
    wait_state(page, f"s.epoch === '{paused + 1}'", timeout=60000)
    stepped = page.evaluate(HASHES_JS)
    assert set(stepped["epochs"]) == {str(paused + 1)}
    assert all(a != b for a, b in zip(at_pause["hashes"], stepped["hashes"], strict=True))
    # +1 snapshot: the next snapshot after it (every epoch is a frame, so the pause may have
    # come between two snapshots: 61 + 1 -> 65)
    button(page, "stepc").click()
    nxt = (paused + 1) // 5 * 5 + 5
    wait_state(page, f"s.epoch === '{nxt}'", timeout=10000)

    # Reset: epoch 0, the picture a link to epoch 0 shows
    button(page, "reset").click()
    wait_state(page, "s.epoch === '0' && s.playing === '0'")
    wait_url_epoch(page, 0)
    reset = settled_view(page)
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        fresh = context.new_page()
        load(fresh, f"{app_server}/compare?{LINK}&epoch=0", timeout=LOAD_TIMEOUT)
        wait_state(fresh, "s.complete === '1' && s.epoch === '0'")
        again = settled_view(fresh)
        assert again["widths"] == reset["widths"]  # (the same layout: the same pixels)
        assert again["hashes"] == reset["hashes"]
    finally:
        context.close()

    # one row of boundaries, big: larger plots, no curves; in the URL
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    set_toggle(page, CMP["en"]["big"], True)
    wait_for_app(page, timeout=LOAD_TIMEOUT)
    page.wait_for_function(f"() => {{ const r = ({ROOT_JS})(); return r && r.querySelector("
                           f"'.curves').style.display === 'none'; }}", timeout=30000)
    big = page.evaluate(HASHES_JS)
    assert min(big["widths"]) > max(view["widths"]) and not big["curves"]
    assert dict(parse_qsl(urlsplit(page.url).query)).get("big") == "1"

    # another setting: new runs, played from epoch 0 to the end
    page.evaluate(f"""() => {{ window.__seen = new Set(); const f = () => {{
        const r = ({ROOT_JS})(); if (r) window.__seen.add(r.dataset.run + ':' + r.dataset.epoch);
        requestAnimationFrame(f); }}; f(); }}""")
    old_run = state(page)["run"]
    set_number_input(page, "Seed", 6, within=page.locator("[data-testid=stSidebar]"))
    wait_state(page, f"s.run !== '{old_run}' && s.playing === '0' && s.epoch === '200'",
               timeout=LOAD_TIMEOUT)
    new_run = state(page)["run"]
    # (the epoch marks are read on animation frames: the last one may come a frame later)
    page.wait_for_function(f"() => window.__seen.has('{new_run}:200')", timeout=10000)
    shown = sorted(int(x.split(":")[1]) for x in page.evaluate("() => [...window.__seen]")
                   if x.startswith(new_run))
    assert shown[0] == 0 and shown[-1] == 200 and len(shown) > 5, shown
    assert_no_exception(page)
