"""The live player's network figure in a real browser (issue 10 item 3, "it follows the
animation"): while the player replays a run, every sampled animation frame shows the network
(scrolled into the window) of the frame's epoch (the figure's canvas carries that epoch), and the zero-init preset's
network is drawn with every drawn hidden unit dead (counted by drawNetwork)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from explorer.config import TrainConfig
from explorer.network_view import MAX_UNITS

from .helpers import load
from .test_live import ROOT_JS, button, state, wait_state
from .test_pages import LOAD_TIMEOUT

#: hidden units the diagram draws for the default net (each layer up to MAX_UNITS)
DRAWN = sum(min(w, MAX_UNITS) for w in TrainConfig().hidden)

pytestmark = pytest.mark.browser

# Sample on every animation frame for `ms`: the network canvas's epoch against the player's.
FOLLOW_JS = f"""async (ms) => {{
  const root = ({ROOT_JS})();
  const c = root.querySelector('figure.net canvas');
  let frames = 0, mismatched = 0, epochs = new Set();
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {{
    await new Promise((r) => requestAnimationFrame(r));
    frames += 1;
    epochs.add(c.dataset.netEpoch);
    if (c.dataset.epoch !== root.dataset.epoch || c.dataset.netEpoch !== root.dataset.epoch)
      mismatched += 1;
  }}
  return {{frames, mismatched, epochs: epochs.size}};
}}"""

NET_JS = f"""() => {{ const c = ({ROOT_JS})().querySelector('figure.net canvas');
  return {{...c.dataset, shown: getComputedStyle(c.parentElement).display}}; }}"""


def test_network_follows_the_replay(app_server: str, page: Page, browser):
    load(page, f"{app_server}/playground?epochs=60&n_checkpoints=30&seed=23",
         timeout=LOAD_TIMEOUT)
    wait_state(page, "s.complete === '1'")
    page.locator(".player-root select").select_option("10")
    # (while it plays, the player draws only the charts in the window: bring the figure in)
    page.locator(".player-root figure.net canvas").scroll_into_view_if_needed()
    button(page, "replay").dispatch_event("click")  # (a click would scroll back to it)
    wait_state(page, "s.playing === '1'")
    got = page.evaluate(FOLLOW_JS, 2000)
    print(f"network figure during replay: {got}")
    assert got["frames"] > 0 and got["mismatched"] == 0
    assert got["epochs"] >= 2  # it did animate
    net = page.evaluate(NET_JS)
    assert net["shown"] != "none" and int(net["units"]) == 2 + DRAWN + 1


def test_zero_init_network_is_drawn_dead(app_server: str, page: Page, browser):
    load(page, f"{app_server}/playground?init=zeros&epochs=30&n_checkpoints=4&seed=3",
         timeout=LOAD_TIMEOUT)
    wait_state(page, "s.complete === '1'")
    net = page.evaluate(NET_JS)
    assert int(state(page)["epoch"]) == 30 and net["epoch"] == "30"
    assert int(net["dead"]) == DRAWN  # zero init: every drawn hidden unit is dead
