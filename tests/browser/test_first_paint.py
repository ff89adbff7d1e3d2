"""The first paint of a cold server shows the titled navigation, never Streamlit's raw ``pages/``
file names ("streamlit app", "dead relu", ...).

A server nobody has visited yet starts in Streamlit's legacy ``pages/`` folder mode, whose
navigation lists the files by name until ``st.navigation`` takes over. The app hides that
navigation (``client.showSidebarNavigation = false`` in .streamlit/config.toml, see
streamlit_app.py), so the first thing a visitor sees is the app's own navigation. A
MutationObserver installed before any script of the page runs records every text the sidebar
navigation ever shows, so a flash of one frame is caught too; a screenshot of the first paint
(the first moment the sidebar has content) is saved in tests/browser/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.texts.nav import PAGES, nav_title

from .helpers import ARTIFACTS_DIR, assert_no_exception, load

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
#: the names Streamlit's legacy mode derives from the files (underscores as spaces)
RAW_NAMES = sorted({"streamlit app"} | {p.stem.replace("_", " ")
                                        for p in (REPO_ROOT / "pages").glob("*.py")})

NAV_RECORDER_JS = r"""
(() => {
  window.__navTexts = [];
  window.__firstNavShot = null;
  const seen = new Set();
  const record = () => {
    document.querySelectorAll('[data-testid=stSidebarNav] a, [data-testid=stSidebarNavLink]')
      .forEach(a => {
        // the label is the last line (an icon's ligature name may come first)
        const lines = (a.innerText || '').split('\n').map(l => l.trim()).filter(Boolean);
        const t = lines.length ? lines[lines.length - 1] : '';
        if (t && !seen.has(t)) { seen.add(t); window.__navTexts.push(t); }
      });
  };
  new MutationObserver(record).observe(document, {childList: true, subtree: true,
                                                   characterData: true});
})();
"""


@pytest.mark.parametrize("path", ["/", "/dead_relu?lang=zh"])
def test_cold_server_first_paint_has_no_raw_file_names(fresh_server, browser, path):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    context.add_init_script(NAV_RECORDER_JS)
    page = context.new_page()
    try:
        page.goto(fresh_server + path)
        # the first paint with any sidebar content
        page.wait_for_selector("[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl]",
                               timeout=120_000)
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        name = "first-paint" + path.replace("/", "-").replace("?", "-").replace("=", "-")
        page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))
        load(page, page.url, timeout=120_000)
        assert_no_exception(page)
        texts = page.evaluate("window.__navTexts")
        lang = "zh" if "lang=zh" in path else "en"
        titles = {nav_title(n, lang) for n, _icon in PAGES}
        raw = [t for t in texts if t.lower() in RAW_NAMES and t not in titles]
        assert not raw, f"raw page file names shown in the sidebar navigation: {raw}"
        shown_titles = [t for t in texts if t in titles]
        assert len(shown_titles) == len(PAGES), (
            f"the titled navigation did not appear: saw {texts}")
    finally:
        context.close()
