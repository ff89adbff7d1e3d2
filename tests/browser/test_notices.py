"""A link's "not valid, replaced by its default" notice stays on the page after a streamed run
ends (issue 26, item 5). The page rewrites the URL without the bad value, and the run's
end-of-run rerun used to see that clean URL and drop the notice; AppTest, which runs
synchronously, never saw the loss. One server; each case's seed is new, so its run streams."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .helpers import assert_no_exception, wait_for_app
from .test_pages import LOAD_TIMEOUT, url_of

pytestmark = pytest.mark.browser

#: words of the caption the page draws once the run is complete
TRAINED = "trained in"

CASES = {
    "config": ("seed=777101&epochs=25&dataset=bogus", "dataset: 'bogus'"),
    "view": ("seed=777102&epochs=25&log_scale=maybe", "log_scale: 'maybe'"),
    "data": ("seed=777103&epochs=25&data=ftp", "data: 'ftp'"),
    "lr": ("seed=777104&lr_changes=1_3&lr=junk&epochs=20", "lr: 'junk'"),
}


def alerts(page: Page) -> str:
    return "\n".join(page.locator("[data-testid=stAlert]").all_inner_texts())


@pytest.mark.parametrize("case", list(CASES))
def test_a_link_notice_outlasts_the_streamed_run(app_server, page: Page, case):
    query, line = CASES[case]
    page.goto(url_of(app_server, "playground", query), timeout=LOAD_TIMEOUT)
    # the streamed run ends with a rerun of the whole page, which draws the run's summary
    # caption ("... trained in 2.9 s"): wait for it and for quiet after it
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=TRAINED,
                           timeout=LOAD_TIMEOUT, polling=200)
    wait_for_app(page, timeout=LOAD_TIMEOUT, quiet_ms=1500)
    assert_no_exception(page)
    assert line in alerts(page), alerts(page)
    if case == "lr":  # the junk first rate: the default until the change at epoch 1
        assert "lr=junk" not in page.url and "lr_changes=1_3" in page.url
