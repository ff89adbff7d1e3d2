"""The player's reports to the page (explorer/live/component.py ``new_report``): a report stays
new until the page has put it into its view, so a run that another rerun interrupts half-way
cannot use it up (the next run would read the slider's stale value from the browser and show,
and link, another epoch than the player stands at)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from explorer.live import component as live

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
