"""The refresh of the widgets' values after a streamed run (``state.widget_key``, ``shell.run_page``).

After runs of a fragment alone the browser may show a widget at its first option, so the run
that ends a stream sends every widget's value anew (``set_value`` in the widget's message). Two
races around it, each checked here on the messages a script run produces (no browser, no timing):

- a change the user makes while that run is on its way reaches the server after it, while the
  browser shows the value the run sent: the next run must send the user's value back;
- a refresh run interrupted before it drew every widget must be repeated by the next run.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from explorer.app import state

    st.session_state["_run"] = st.session_state.get("_run", 0) + 1
    if st.session_state.pop("refresh_now", False):
        st.session_state["_ae_refresh_run"] = st.session_state["_run"]
    else:
        st.session_state["_ae_refresh_run"] = None
    key = state.widget_key("demo.lr")
    if key not in st.session_state:
        st.session_state[key] = 3
    st.slider("lr", 0, 10, key=key)


def _sent(at: AppTest) -> tuple[int, int | None]:
    """(the script's value, the value sent to the browser with the widget or None)."""
    proto = at.slider[0].proto
    return at.slider[0].value, (int(proto.value[0]) if proto.set_value else None)


def test_a_refresh_sends_the_value_and_a_crossing_change_is_sent_back():
    at = AppTest.from_function(_script).run().run()  # (the first run seeds the value)
    assert _sent(at) == (3, None)  # a plain run sends no value
    at.session_state["refresh_now"] = True
    at.run()
    assert _sent(at) == (3, 3)  # the refresh: the value sent with the widget
    # the user's change, made before the refresh reached the browser, arrives now: the browser
    # shows 3 (the refresh's value), the server has 7: 7 is sent back
    at.slider[0].set_value(7).run()
    assert _sent(at) == (7, 7)
    at.run()  # once: later runs send nothing
    assert _sent(at) == (7, None)
    at.slider[0].set_value(5).run()  # an ordinary change later: nothing sent
    assert _sent(at) == (5, None)


def _shell_script() -> None:
    import streamlit as st
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    from explorer.app import shell
    from explorer.app.state import REFRESH

    how = st.session_state.get("how")

    class Page:
        def run(self) -> None:
            st.session_state["saw"] = st.session_state.get(REFRESH, False)
            if how == "stop":
                raise StopException()
            if how == "interrupt":
                raise RerunException(None)  # (caught below: only its effect on REFRESH counts)

    st.session_state[REFRESH] = st.session_state.get("set", False) or st.session_state.get(
        REFRESH, False)
    try:
        shell.run_page(Page())
    except (StopException, RerunException):
        pass
    st.session_state["after"] = st.session_state.get(REFRESH, False)


def test_a_refresh_lasts_until_a_run_of_the_page_ends():
    at = AppTest.from_function(_shell_script)
    for how, after in (("interrupt", True), ("stop", False), ("done", False)):
        at.session_state["how"] = how
        at.session_state["set"] = True
        at.run()
        assert at.session_state["saw"] is True
        assert at.session_state["after"] is after, how
