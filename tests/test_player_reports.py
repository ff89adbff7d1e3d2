"""The player's reports to the page (explorer/app/player.py ``new_report``): a report stays
new until the page has put it into its view, so a run that another rerun interrupts half-way
cannot use it up (the next run would read the slider's stale value from the browser and show,
and link, another epoch than the player stands at)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from explorer.app import player as live

    got = live.new_report("player")
    st.session_state.setdefault("log", []).append(got)
    if st.session_state.get("finish", True):  # False: the run stops before its view is built
        live.report_applied("player")


def report(epoch: int, n: int, playing: bool = False) -> dict:
    return {"epoch": {"epoch": epoch, "run": "r", "n": n, "playing": playing}}


def test_a_report_survives_an_interrupted_run_and_is_used_once():
    at = AppTest.from_function(_script)
    at.session_state["player"] = report(40, 1)
    at.session_state["finish"] = False  # interrupted before the slider follows
    at.run(timeout=60)
    at.session_state["finish"] = True
    at.run(timeout=60)  # the next run still sees the report
    at.run(timeout=60)  # applied: no longer new
    assert not at.exception
    assert at.session_state["log"] == [40, 40, None]


def test_every_new_mark_is_a_new_report_even_of_the_same_epoch():
    at = AppTest.from_function(_script)
    at.session_state["player"] = report(40, 1)
    at.run(timeout=60)
    at.session_state["player"] = report(40, 2)
    at.run(timeout=60)
    at.session_state["player"] = report(55, 3, playing=True)  # playing: the view keeps its epoch
    at.run(timeout=60)
    at.session_state["player"] = report(55, 4)
    at.run(timeout=60)
    assert at.session_state["log"] == [40, 40, None, 55]


# ------------------------------------------------------------------ the player's fragment
def _fragment_script():
    """A page whose player is mounted by ``mount_player``; its first run stands for a rerun
    of the player's fragment alone (the page's ``new_report`` does not run); a rerun it asks
    for is a full one, in which the page takes the report."""
    import streamlit as st

    from explorer.app import player as live

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    if st.session_state["runs"] > 5:  # (a rerun loop would stop here, and fail the test)
        st.stop()
    if st.session_state["runs"] > 1:
        live.new_report("player")
        live.report_applied("player")

    def prepare(need: int) -> bool:  # epoch 7's frame is prepared (once: the trigger's run)
        if need != 7 or st.session_state.get("prepared"):
            return False
        st.session_state["prepared"] = True
        return True

    payload = {"run": "r", "seek": {"epoch": 40, "nonce": 1}, "frames": []}
    live.mount_player(payload, "player", on_need=prepare)


def _fragment_run(value: dict) -> AppTest:
    at = AppTest.from_function(_fragment_script)
    at.session_state["player"] = value
    at.run(timeout=60)
    assert not at.exception
    return at


@pytest.mark.parametrize(("value", "full_rerun", "moving"), [
    (report(70, 1, playing=True)["epoch"], False, "r"),  # plays: nothing on the page follows
    (report(40, 2)["epoch"], False, None),  # stands still where the page is already
    (report(70, 3)["epoch"], True, None),  # paused elsewhere: the page follows
    ({**report(40, 4)["epoch"], "run": "other"}, True, None),  # another run's report
])
def test_only_a_report_the_page_must_follow_reruns_the_page(value, full_rerun, moving):
    at = _fragment_run({"epoch": value})
    assert at.session_state["runs"] == (2 if full_rerun else 1)
    assert at.session_state["player.seen"] == (value["run"], value["n"])  # taken once
    assert at.session_state["player.moving"] == moving


def test_a_frame_the_player_needs_reruns_the_page_once_prepared():
    for need, runs in ((7, 2), (9, 1)):  # prepared: the page reruns; declined: it does not
        at = AppTest.from_function(_fragment_script)
        at.session_state["player"] = {"need": need}
        at.run(timeout=60)
        assert not at.exception
        assert at.session_state["runs"] == runs, need
