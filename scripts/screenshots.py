"""Regenerate the README's screenshots (docs/screenshots/*.png, 1600x1000).

Uses the browser tests' machinery: the server is started the way tests/browser/conftest.py
starts it (``streamlit run streamlit_app.py`` on a free loopback port, its own process group),
Chromium is Debian's (/usr/bin/chromium, never a Playwright download), and each shot is taken
once the app has settled (script state ``notRunning``) and every chart has drawn.

    python scripts/screenshots.py            # playground.png, compare.png
    python scripts/screenshots.py --lecture  # also the 中文 + projector-mode views
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT, find_chromium, serve  # noqa: E402
from tests.browser.helpers import OBSERVER_JS, load, wait_for_charts  # noqa: E402

OUT = REPO / "docs" / "screenshots"
#: file name -> URL path and query of the view
SHOTS = {
    "playground.png": "playground",
    "compare.png": "compare",
}
LECTURE_SHOTS = {
    "playground-zh-projector.png": "playground?lang=zh&projector=1",
    "compare-zh-projector.png": "compare?lang=zh&projector=1",
}


def take(shots: dict[str, str], out: Path = OUT) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no Chromium binary (apt-get install chromium, or set AE_CHROMIUM)")
    out.mkdir(parents=True, exist_ok=True)
    log = out.parent / "screenshots-server.log"
    written = []
    with serve(REPO, log) as (url, _pid), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            warm = browser.new_page(viewport=VIEWPORT)  # leaves legacy pages-folder mode
            load(warm, url + "/", timeout=120_000)
            warm.close()
            for name, path in shots.items():
                context = browser.new_context(viewport=VIEWPORT, locale="en-US")
                context.add_init_script(OBSERVER_JS)
                page = context.new_page()
                load(page, f"{url}/{path}", timeout=120_000)
                if not wait_for_charts(page, timeout=30_000):
                    raise SystemExit(f"{path}: charts did not draw")
                page.mouse.move(0, VIEWPORT["height"] - 1)  # no hover toolbar in the shot
                time.sleep(1.0)  # let fonts and the last transitions settle
                target = out / name
                page.screenshot(path=str(target))
                written.append(target)
                context.close()
        finally:
            browser.close()
    log.unlink(missing_ok=True)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lecture", action="store_true",
                        help="also the Chinese projector-mode views")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    args = parser.parse_args()
    shots = {**SHOTS, **(LECTURE_SHOTS if args.lecture else {})}
    for path in take(shots, args.out):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


if __name__ == "__main__":
    main()
