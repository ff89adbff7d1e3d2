"""Streamlit side of the live player (with ``explorer/ui.py`` the only Streamlit importers).

``mount(payload, key)`` draws the player (Custom Components v2: ``player.js`` / ``player.css``)
and returns what the browser reported: the epoch shown when paused, and an epoch it needs a
frame of (``Step +1 epoch`` between snapshots). ``train_streaming`` trains a new config in a
background job while a fragment re-sends the growing partial record to the player a few times
a second; the browser animates the frames as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from .. import ui
from ..config import TrainConfig
from ..record import RunRecord
from ..texts.live import TEXT
from . import frames, jobs

_DIR = Path(__file__).parent
_COMPONENT = st.components.v2.component(
    "activation_explorer_player",
    css=(_DIR / "player.css").read_text(encoding="utf-8"),
    js=(_DIR / "player.js").read_text(encoding="utf-8"),
)
#: seconds between the fragment reruns that send a training's partial record
POLL = 0.25
#: prefix runs (Step +1 epoch between snapshots) kept per session and run
EXTRA_FRAMES = 64


def labels(lang: str) -> dict[str, str]:
    return dict(TEXT.get(lang, TEXT["en"]))


def _noop() -> None:
    pass


def mount(payload: dict[str, Any], key: str) -> tuple[int | None, int | None]:
    """Draw the player; return (epoch reported when paused, epoch whose frame it needs)."""
    res = _COMPONENT(key=key, data=payload, on_epoch_change=_noop, on_need_change=_noop,
                     width="stretch", height="content")
    epoch, need = res.get("epoch"), res.get("need")
    return (int(epoch) if isinstance(epoch, (int, float)) else None,
            int(need) if isinstance(need, (int, float)) else None)


def reported_epoch(key: str) -> int | None:
    """The epoch the player last reported (read before the page builds its slider)."""
    state = st.session_state.get(key)
    epoch = state.get("epoch") if hasattr(state, "get") else None
    return int(epoch) if isinstance(epoch, (int, float)) else None


@st.cache_data(max_entries=64, show_spinner=False)
def _prefix_frame(key: tuple[tuple[str, str], ...], epoch: int) -> dict[str, Any]:
    from ..train import train

    cfg = ui._cfg_from_key(key)
    prefix_cfg = cfg.replace(epochs=epoch, n_checkpoints=2)
    with ui.training_slot(ui.job_work(prefix_cfg)):
        rec = train(prefix_cfg)
    return frames.extra_frame(rec, epoch)


def prefix_frame(cfg: TrainConfig, epoch: int) -> dict[str, Any]:
    """The frame at ``epoch`` (between two snapshots): the same run, trained to ``epoch``."""
    return _prefix_frame(ui.cfg_key(cfg), int(epoch))


def extra_frames(cfg: TrainConfig, store_key: str, need: int | None) -> list[dict[str, Any]]:
    """Frames of epochs the player asked for (kept in the session for this run)."""
    store = st.session_state.setdefault(store_key, {})
    run = ui.cfg_key(cfg)
    if store.get("run") != run:
        store.clear()
        store["run"] = run
        store["frames"] = {}
    if need is not None and 1 <= need <= cfg.epochs and need not in store["frames"]:
        store["frames"][need] = prefix_frame(cfg, need)
        while len(store["frames"]) > EXTRA_FRAMES:
            store["frames"].pop(next(iter(store["frames"])))
    return list(store["frames"].values())


def browser_session() -> bool:
    """True in a web browser's session: only a browser reruns a fragment on its timer, so
    only there does a training run in the background. AppTest has no request headers; raw
    websocket clients (scripts/load_test.py) send no browser User-Agent: both get the
    synchronous training of ``ui.train_live``."""
    try:
        agent = st.context.headers.get("User-Agent", "")
    except Exception:
        return False
    return "Mozilla/" in agent


def train_streaming(cfg: TrainConfig, box: Any,
                    make_payload: Callable[[RunRecord, dict[int, dict]], dict],
                    key: str, tr: Callable[..., str]) -> RunRecord | None:
    """The record of ``cfg`` if it is already trained; otherwise train it in the background,
    stream its partial records to the player in ``box`` and stop the script (the fragment
    reruns the whole page once the record is complete and cached).

    ``make_payload(partial_record, frame_cache)`` builds the player's data."""
    if ui.trained(cfg) or not browser_session():
        return None
    ckey = ui.cfg_key(cfg)
    job = jobs.start(ckey, cfg, ui.slot_for(cfg))  # small runs first (explorer/slots.py)

    def live() -> None:
        if job.done:
            if job.error is None and job.latest is not None and job.latest.complete:
                ui.store_trained(cfg, job.latest)
            jobs.pop(ckey)
            st.rerun(scope="app")
        rec = job.latest
        if rec is None or not rec.checkpoints:
            st.caption(tr("waiting_other") if ui.others_training() else
                       tr("training_progress", epoch=0, total=cfg.epochs))
            return
        mount(make_payload(rec, job.frames), key)  # each snapshot encoded once per job

    with box:
        st.fragment(live, run_every=POLL)()
    st.stop()
    return None


def new_report(key: str) -> int | None:
    """The epoch the player reported since the last script run (None if nothing new).

    The player reports ``{"epoch": e, "n": count}`` when it pauses, steps, resets or ends;
    the count makes every report new, even of the same epoch in another run."""
    state = st.session_state.get(key)
    value = state.get("epoch") if hasattr(state, "get") else None
    if not isinstance(value, dict) or not isinstance(value.get("epoch"), (int, float)):
        return None
    mark = (value.get("run"), value.get("n"))
    seen = f"{key}.seen"
    if st.session_state.get(seen) == mark:
        return None
    st.session_state[seen] = mark
    return int(value["epoch"])


def shown_epoch(key: str, rec: RunRecord, slider: int, wanted: int, paused_at: int | None,
                ) -> tuple[int, int, bool]:
    """(epoch the view shows, seek count, autoplay) from the slider, the URL and the player.

    First view in a session: the URL's epoch (the player moves there). A new run: the player
    plays it from epoch 0. The player paused: its epoch. The slider moved: the slider's epoch
    (the player moves there). Otherwise the epoch shown before."""
    vkey = f"{key}.view"
    run = frames.run_id(rec.config)
    state = st.session_state.get(vkey)
    last = rec.epochs_done
    autoplay = False
    if state is None:
        state = {"run": run, "slider": slider, "shown": max(0, min(wanted, last)), "seek": 1}
    elif state["run"] != run:
        state = {"run": run, "slider": slider, "shown": slider, "seek": state["seek"]}
        autoplay = True
    elif paused_at is not None:
        state = {**state, "slider": slider, "shown": max(0, min(paused_at, last))}
    elif slider != state["slider"]:
        state = {**state, "slider": slider, "shown": slider, "seek": state["seek"] + 1}
    st.session_state[vkey] = state
    return int(state["shown"]), int(state["seek"]), autoplay
