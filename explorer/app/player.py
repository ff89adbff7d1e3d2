"""The live player (Custom Components v2: ``player.js`` / ``player.css``) and its state in the
session, for the Playground (one run) and Compare (one transport for every column).

``mount(payload, key)`` draws the player and returns what the browser reported: the epoch
shown when paused, and an epoch it needs a frame of (``Step +1 epoch`` between snapshots).
A new config trains in a background job while a fragment re-sends the growing partial record
to the player a few times a second (``streams.stream``); the browser animates the frames as
they arrive.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ..config import FIELDS, TrainConfig, check_value, format_value, parse_value
from ..live import frames, jobs
from ..live.assets import player_css, player_js
from ..record import RunRecord
from ..texts.live import TEXT
from . import runs, state, streams
from .sidebar import apply_preset

_COMPONENT = st.components.v2.component(
    "activation_explorer_player", css=player_css(), js=player_js())
#: seconds a finished streamed run's player may go on playing before the page redraws it
HOLD = 20.0
#: prefix runs (Step +1 epoch between snapshots) kept per session and run
EXTRA_FRAMES = 64


def labels(lang: str) -> dict[str, str]:
    return dict(TEXT.get(lang, TEXT["en"]))


def _noop() -> None:
    pass


def mount(payload: dict[str, Any], key: str) -> tuple[int | None, int | None]:
    """Draw the player; return (epoch reported when paused, epoch whose frame it needs).

    The dense frames' chunks this session's player was sent before go without their bytes
    (``only_new``): a rerun of a streamed run sends its new frames only, a rerun of the page
    none. If the player lacks one (its store dropped the run), it asks for all again."""
    res = _COMPONENT(key=key, data=only_new(payload, key), on_epoch_change=_noop,
                     on_need_change=_noop, on_resync_change=_noop, width="stretch",
                     height="content")
    if res.get("resync") is not None and st.session_state.pop(f"{key}.sent", None):
        # the player's fragment sends every chunk (in a run of the page: the page does)
        ctx = get_script_run_ctx()
        st.rerun(scope="fragment" if ctx is not None and ctx.fragment_ids_this_run else "app")
    return whole(res.get("epoch")), whole(res.get("need"))


#: chunk marks kept per player (beyond: forgotten, so the next payload sends all again)
SENT_MAX = 4096


def only_new(payload: dict[str, Any], key: str) -> dict[str, Any]:
    """``payload`` with the bytes of every dense chunk sent to the player ``key`` before
    left out (its ``i`` and ``n`` stay: the player checks it has it). Marks what it sends.

    A training run's last chunk keeps its bytes: the browser draws only the newest of two
    payloads that come close together (the player never sees the other), and a streamed
    run's growing tail is sent again on every poll until it grows; without its bytes the
    player had to ask for all again (a live run stood still for seconds)."""
    sent = st.session_state.setdefault(f"{key}.sent", {})
    if len(sent) > SENT_MAX:
        sent.clear()

    def strip(p: dict[str, Any]) -> dict[str, Any]:
        d = p.get("dense")
        if not d:
            return p
        chunks = []
        tail = None if p.get("complete") else d["chunks"][-1]["i"]
        for c in d["chunks"]:
            mark = (p["run"], c["i"], c["n"])
            if mark in sent and c["i"] != tail:
                chunks.append({"i": c["i"], "n": c["n"]})
            else:
                sent[mark] = True
                chunks.append(c)
        return {**p, "dense": {**d, "chunks": chunks}}

    if payload.get("group"):
        return {**payload, "runs": [strip(p) for p in payload["runs"]]}
    return strip(payload)


def whole(value: Any) -> int | None:
    """An epoch from a player message as an int, or None unless it is a whole number in
    0..epochs' bound (a crafted message may send NaN, 1e999, a string, a bool or a list)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not 0 <= value <= FIELDS["epochs"].hi or value != int(value):  # (NaN: not in range)
        return None
    return int(value)


def _unseen_report(key: str) -> dict[str, Any] | None:
    """The player's last report if the page has not yet taken it (see ``new_report``)."""
    state = st.session_state.get(key)
    value = state.get("epoch") if hasattr(state, "get") else None
    if not isinstance(value, dict) or whole(value.get("epoch")) is None:
        return None
    if st.session_state.get(f"{key}.seen") == (value.get("run"), value.get("n")):
        return None
    return value


def mount_player(payload: dict[str, Any], key: str,
                 on_need: Callable[[int], bool] | None = None) -> None:
    """Draw the player in a fragment of its own (call it after the page took the player's
    report: ``new_report`` ... ``report_applied``).

    The player reports when it starts playing: the page has nothing to follow then (its view
    keeps its epoch), so that report reruns only this fragment, which marks the run as moving
    and draws the same player again. A full rerun of the page at that moment would rebuild
    every chart and table below while the animation runs, and on a slow machine it cost the
    replay a third of its frames (browser trace: React's commit of the page's elements). So
    does a report of standing still at the epoch the page shows already (``payload["seek"]``:
    a replay that ends where it started). Any other report (pause, step, reset, an end
    elsewhere) reruns the whole page, which follows it; so does a frame the player needs
    (``Step +1 epoch`` between snapshots) once ``on_need(epoch)`` prepared it and returned
    True."""

    def body(payload: dict[str, Any]) -> None:
        report = _unseen_report(key)
        if report is not None:
            seek = payload.get("seek") or {}
            in_view = (report.get("run") == payload.get("run")
                       and report["epoch"] == seek.get("epoch"))
            if not (report.get("playing") or in_view):
                st.rerun(scope="app")  # (a fragment rerun: the page's view follows the report)
            new_report(key)  # the run moves or stands still (``paused_epoch``): nothing to redraw
            report_applied(key)
        _, need = mount(payload, key)
        if need is not None and on_need is not None and on_need(need):
            st.rerun(scope="app")

    st.fragment(body)(payload)


def extra_frames(cfg: TrainConfig, store_key: str, need: int | None) -> list[dict[str, Any]]:
    """Frames of epochs the player asked for (kept in the session for this run)."""
    store = st.session_state.setdefault(store_key, {})
    run = runs.cfg_key(cfg)
    if store.get("run") != run:
        store.clear()
        store["run"] = run
        store["frames"] = {}
    if need is not None and 1 <= need <= cfg.epochs and need not in store["frames"]:
        store["frames"][need] = streams.prefix_frame(cfg, need)
        while len(store["frames"]) > EXTRA_FRAMES:
            store["frames"].pop(next(iter(store["frames"])))
    return list(store["frames"].values())


def plays_on(key: str, cfg: TrainConfig | Sequence[TrainConfig], job: jobs.Job) -> bool:
    """True while the player of a finished streamed run (or Compare's runs ``cfg``, a list)
    still plays it (its last report says so) and for at most ``HOLD`` seconds after the run
    finished: until then the fragment keeps the player it drew. The page's own run then draws
    the player anew (a new element), once it stands still at the end, so the animation never
    stutters when training completes."""
    state = st.session_state.get(key)
    value = state.get("epoch") if hasattr(state, "get") else None
    run = (frames.run_id(cfg) if isinstance(cfg, TrainConfig)
           else frames.group_run([frames.run_id(c) for c in cfg]))
    if not (isinstance(value, dict) and value.get("playing") and value.get("run") == run):
        return False
    since = streams.finished_since(job)
    return since is not None and since < HOLD


def train_streaming(cfg: TrainConfig, box: Any,
                    make_payload: Callable[[RunRecord, dict[int, dict]], dict],
                    key: str, tr: Callable[..., str]) -> RunRecord | None:
    """Nothing if ``cfg`` is already trained; otherwise train it in the background, stream its
    partial records to the player in ``box`` and stop the script (``streams.stream``: the
    fragment reruns the whole page once the record is complete and cached).

    ``make_payload(partial_record, frame_cache)`` builds the player's data."""
    streams.stream(cfg, box, lambda rec, cache: mount(make_payload(rec, cache), key),
                functools.partial(plays_on, key, cfg), tr)
    return None


def new_report(key: str) -> int | None:
    """The epoch the player paused at since the last script run (None if nothing new).

    The player reports ``{"epoch": e, "run": id, "n": mark, "playing": bool}`` when it
    starts playing, pauses, steps, resets or ends; the mark makes every report new, even of
    the same epoch in another run. A report of playing returns None (the view keeps its
    epoch) and marks the run as moving (see ``paused_epoch``).

    A report stays new until the page calls :func:`report_applied` (once its slider, view and
    URL follow it): a run that another rerun interrupts before that point would otherwise
    have used the report up, and the next run would read the slider's stale value from the
    browser and show (and link) another epoch than the player's."""
    value = _unseen_report(key)
    if value is None:
        return None
    st.session_state[f"{key}.applying"] = (value.get("run"), value.get("n"))
    st.session_state[f"{key}.moving"] = value.get("run") if value.get("playing") else None
    if value.get("playing"):
        return None
    return int(value["epoch"])


def report_applied(key: str) -> None:
    """The report :func:`new_report` returned in this run is in the page's view: used up."""
    mark = st.session_state.pop(f"{key}.applying", None)
    if mark is not None:
        st.session_state[f"{key}.seen"] = mark


def paused_epoch(key: str, cfg: TrainConfig) -> int | None:
    """The epoch the player stands still at in the run of ``cfg`` (None while it plays, or
    if the page's last view was another run)."""
    view = st.session_state.get(f"{key}.view")
    run = frames.run_id(cfg)
    if view is None or view["run"] != run or st.session_state.get(f"{key}.moving") == run:
        return None
    return int(view["shown"])


def url_lr() -> float | None:
    """The run's first rate as the URL gives it (read before the sidebar rewrites ``lr``):
    with ``lr_changes`` the rate widget shows the newest rate, the URL keeps the first."""
    raw = st.query_params.get("lr")
    if raw is None:
        return FIELDS["lr"].default
    try:
        return check_value(FIELDS["lr"], parse_value(FIELDS["lr"], raw))
    except ValueError:  # noticed by the sidebar ("replaced by its default"): the default it is
        return FIELDS["lr"].default


def lr_config(key: str, side: TrainConfig, first_lr: float | None = None) -> TrainConfig:
    """The config to run from the sidebar's ``side``: the learning-rate widget changed while
    the player stood at epoch e (0 < e < epochs) of the run shown, the rest unchanged: that
    run with the new rate from e on (``TrainConfig.with_lr_from``; it equals the run shown up
    to e, so the player continues from there). Changed at epoch 0, at the end or while
    playing: a new run with that rate throughout.

    The widget shows the newest rate; the config keeps the run's first rate in ``lr`` and the
    changes in ``lr_changes`` (both in the URL; ``first_lr``: the URL's ``lr``, from
    ``url_lr``). Call ``forget_lr`` when a preset or a loaded config sets the widgets."""
    ss = st.session_state
    skey, rkey = f"{key}.lr", f"{key}.resume"
    prev = ss.get(skey)
    widget_lr = side.lr
    cfg = side
    if prev is None and side.lr_changes and first_lr is not None:
        cfg = side.replace(lr=first_lr)  # a link with changes: the widget shows the newest
    if prev is not None:
        old = prev["cfg"]
        if widget_lr == prev["widget"]:  # the widget did not move: the run keeps its lr
            try:
                cfg = side.replace(lr=old.lr)
            except ValueError:
                cfg = side
        else:
            e = paused_epoch(key, old)
            rest_same = side.replace(lr=old.lr, lr_changes=old.lr_changes) == old
            if rest_same and e is not None and 0 < e < old.epochs:
                cfg = old.with_lr_from(e, widget_lr)
                # the run shown (cached: the page just drew it) stands in for the new run's
                # first e epochs while that trains, and its frame at e (Step +1 epoch)
                head = runs.cached(old)
                extra = ([streams.prefix_frame(old, e)] if head is not None and
                         e not in head.checkpoints else [])
                ss[rkey] = {"run": frames.run_id(cfg), "epoch": e, "from": old, "head": head,
                            "extra": extra}
            else:
                cfg = side.replace(lr_changes=())
    ss[skey] = {"cfg": cfg, "widget": widget_lr}
    state.set_query("lr", None if cfg.lr == FIELDS["lr"].default else
                 format_value(FIELDS["lr"], cfg.lr))
    state.set_query("lr_changes", format_value(FIELDS["lr_changes"], cfg.lr_changes)
                 if cfg.lr_changes else None)
    return cfg


def forget_lr(key: str) -> None:
    """The widgets were set from outside (a preset, a loaded config): take them as they are."""
    st.session_state.pop(f"{key}.lr", None)


def set_widgets(key: str, page: str, base: TrainConfig, changes: dict[str, Any],
                show: list[str]) -> None:
    """``sidebar.apply_preset`` for the page of the player ``key`` (an on_click callback): the
    widgets' new rate starts a new run, never a change of the run shown."""
    apply_preset(page, base, changes, show)
    forget_lr(key)


def resume(key: str, cfg: TrainConfig) -> tuple[int, TrainConfig] | None:
    """(epoch, the run it continues) if ``cfg`` continues the run shown with a new rate."""
    r = st.session_state.get(f"{key}.resume")
    if r is None or r["run"] != frames.run_id(cfg):
        return None
    return int(r["epoch"]), r["from"]


def resume_view(key: str, cfg: TrainConfig) -> dict[str, Any]:
    """Payload options (``frames.payload``) for the streamed run of ``cfg``: a run that
    continues the one shown with a new rate stands at the change's epoch (paused, the frames
    to there from the run it continues); any other new run plays from epoch 0."""
    r = st.session_state.get(f"{key}.resume")
    if r is None or r["run"] != frames.run_id(cfg) or r.get("head") is None:
        # the seek mark the page sends once the run is cached (shown_epoch keeps it for a
        # new run): the player, playing on, never jumps when the streamed run completes
        state = st.session_state.get(f"{key}.view")
        return {"autoplay": True, "seek": 0, "seek_nonce": state["seek"] if state else 1}
    return {"autoplay": False, "head": r["head"], "head_epoch": int(r["epoch"]),
            "seek": int(r["epoch"]), "seek_nonce": resume_nonce(key), "extra": r["extra"]}


def lr_caption(cfg: TrainConfig, lang: str) -> str | None:
    """"learning rate 0.3 → 1 at epoch 120 → …" for a run with changes (None without)."""
    if not cfg.lr_changes:
        return None
    t = labels(lang)
    steps = "".join(t["lr_step"].format(lr=f"{x:g}", epoch=e) for e, x in cfg.lr_changes)
    return t["lr_plan"].format(lr=f"{cfg.lr:g}", steps=steps)


def resume_nonce(key: str) -> int:
    """The seek mark that puts the player at a continued run's first epoch: the same while
    the run streams and once it is cached (the player then keeps where it got to)."""
    state = st.session_state.get(f"{key}.view")
    return (state["seek"] if state else 1) + 1


def follow(key: str, run: str, last: int, slider: int, wanted: int, paused_at: int | None,
           cont: tuple[int, TrainConfig] | None = None) -> tuple[int, int, bool]:
    """(epoch the view shows, seek count, autoplay) of the player ``key`` showing ``run``
    (recorded to epoch ``last``) from the page's epoch ``slider`` (no widget since issue 25:
    a session value seeded from the URL, set again by the settings loader; the player's
    scrubber is the one epoch control), the URL and the player.

    First view in a session: the URL's epoch ``wanted`` (the player moves there). A new run:
    the player plays it from epoch 0, unless it continues the run shown with a new learning
    rate (``cont``, see ``lr_config``): then it stands at the epoch of the change. The player
    paused: its epoch. The slider moved: the slider's epoch (the player moves there).
    Otherwise the epoch shown before."""
    vkey = f"{key}.view"
    state = st.session_state.get(vkey)
    autoplay = False
    if state is None:
        state = {"run": run, "slider": slider, "shown": max(0, min(wanted, last)), "seek": 1}
    elif state["run"] != run and cont is not None:
        state = {"run": run, "slider": slider, "shown": min(cont[0], last),
                 "seek": resume_nonce(key)}
        st.session_state[f"{key}.moving"] = None
    elif state["run"] != run:
        state = {"run": run, "slider": slider, "shown": slider, "seek": state["seek"]}
        autoplay = True
        st.session_state[f"{key}.moving"] = run
    elif paused_at is not None:
        state = {**state, "slider": slider, "shown": max(0, min(paused_at, last))}
    elif slider != state["slider"]:
        state = {**state, "slider": slider, "shown": slider, "seek": state["seek"] + 1}
    st.session_state[vkey] = state
    return int(state["shown"]), int(state["seek"]), autoplay


def group_id(cfgs: Sequence[TrainConfig]) -> str:
    """The view's name for the runs of ``cfgs`` shown together (one run: its ``run_id``)."""
    return "|".join(frames.run_id(c) for c in cfgs)


def player_step(cfgs: Sequence[TrainConfig], stores: Sequence[str],
                done: Sequence[int]) -> Callable[[int], bool]:
    """The ``on_need`` of a live player of the runs ``cfgs`` (trained to ``done`` epochs, their
    extra frames kept in the session under ``stores``): Step +1 epoch between snapshots
    prepares every run's frame of epoch ``need`` (True: the page reruns and shows it). The
    player's fragment keeps it in the session, so it is a function of this module, not of
    the page (see :func:`labels`)."""
    return functools.partial(_player_step, tuple(cfgs), tuple(stores), tuple(done))


def _player_step(cfgs: Sequence[TrainConfig], stores: Sequence[str], done: Sequence[int],
                 need: int) -> bool:
    if not done or not 0 < need <= max(done):
        return False
    for cfg, store, epochs in zip(cfgs, stores, done, strict=True):
        if need <= epochs:
            extra_frames(cfg, store, need)
    return True


class PlayerSession:
    """The live player of one page and all its state in the session, under ``key``:
    ``.view`` (run shown, slider, epoch shown, seek mark), ``.moving`` (the run plays),
    ``.seen`` / ``.applying`` (the player's reports), ``.lr`` / ``.resume`` (a new learning
    rate from the epoch shown), ``.extra.<i>`` (frames of epochs between snapshots).

    A page uses it in this order::

        player = PlayerSession(PLAYER)           # before the sidebar (reads the URL's rate)
        cfg = player.config(sidebar_cfg)         # a new rate while paused: continue from there
        rec = player.record(cfg, tr, box, make)  # cached, or streamed to the player, or trained
        paused = player.report()                 # the epoch the player paused at (or None)
        shown, seek, autoplay = player.view(...) # after the page's epoch slider
        player.mount(payload, cfgs, done)        # draws it (Step +1 epoch prepares frames)
    """

    def __init__(self, key: str) -> None:
        self.key = key
        self.first_lr = url_lr()  # the run's first rate (the widget shows the newest)

    # -------------------------------------------------------------- settings
    def config(self, side: TrainConfig) -> TrainConfig:
        """The config to run from the sidebar's (see :func:`lr_config`)."""
        return lr_config(self.key, side, self.first_lr)

    def preset(self, page: str, base: TrainConfig, changes: dict[str, Any],
               show: list[str]) -> None:
        """An on_click callback: the widgets set to a preset (a new run, never a change of
        the run shown)."""
        set_widgets(self.key, page, base, changes, show)

    # -------------------------------------------------------------- the run
    def record(self, cfg: TrainConfig, tr: Any, box: Any,
               make_payload: Callable[..., dict], data: Any = None) -> RunRecord:
        """``cfg``'s record: on uploaded ``data`` trained at once; else cached, or trained in
        the background with its partial records streamed to the player in ``box`` (the
        script stops there until it is complete), or (no browser) trained here.
        ``make_payload(record, cache=..., **options)`` builds the player's data."""
        if data is not None:
            with st.spinner(tr("training_upload")):
                return runs.record(cfg, tr, data)
        resumed = resume_view(self.key, cfg)  # (a new rate: stands where it was)
        train_streaming(cfg, box, lambda r, cache: make_payload(r, cache=cache, **resumed),
                        self.key, tr)
        return runs.record(cfg, tr)

    def stream_group(self, cfgs: Sequence[TrainConfig], tr: Any, box: Any,
                     make_payload: Callable[..., dict]) -> None:
        """Compare's runs ``cfgs``: if they are not trained yet, train them all at once in the
        background and stream every column's partial record to the player in ``box`` (the
        script stops there until they are complete, ``streams.stream_group``).
        ``make_payload(records, caches=..., autoplay=..., seek=..., seek_nonce=...)`` builds
        the player's data; the run plays from epoch 0 as its frames arrive."""
        view = st.session_state.get(f"{self.key}.view")
        opts = {"autoplay": True, "seek": 0, "seek_nonce": view["seek"] if view else 1}
        streams.stream_group(cfgs, box, lambda recs, cache: mount(
            make_payload(recs, caches=cache, **opts), self.key),
            functools.partial(plays_on, self.key, list(cfgs)), tr)

    def caption(self, cfg: TrainConfig, lang: str) -> str | None:
        """The run's learning-rate plan (None without changes)."""
        return lr_caption(cfg, lang)

    # -------------------------------------------------------------- the view
    def report(self) -> int | None:
        """The epoch the player paused (or stepped) at since the last run (None if nothing
        new): the page's slider, view and URL follow it (see :func:`new_report`)."""
        return new_report(self.key)

    def view(self, cfgs: Sequence[TrainConfig], last: int, slider: int, wanted: int,
             paused_at: int | None) -> tuple[int, int, bool]:
        """(epoch shown, seek mark, autoplay) of the runs ``cfgs`` (recorded to ``last``), see
        :func:`follow`; the player's report is in the view from now on."""
        cont = resume(self.key, cfgs[0]) if len(cfgs) == 1 else None
        out = follow(self.key, group_id(cfgs), last, slider, wanted, paused_at, cont)
        report_applied(self.key)
        return out

    def shown(self, cfgs: Sequence[TrainConfig], default: int) -> int:
        """The epoch the view of the runs ``cfgs`` showed last (``default``: none yet, or
        another run's): the player's own epoch, between snapshots too."""
        view = st.session_state.get(f"{self.key}.view")
        return int(view["shown"]) if view and view["run"] == group_id(cfgs) else default

    def extras(self, cfgs: Sequence[TrainConfig], need: int | None = None,
               ) -> list[list[dict[str, Any]]]:
        """Each run's frames between snapshots (with epoch ``need``'s prepared now)."""
        return [extra_frames(c, self.store(i), need) for i, c in enumerate(cfgs)]

    def store(self, i: int) -> str:
        """The session key of run ``i``'s extra frames."""
        return f"{self.key}.extra.{i}"

    def mount(self, payload: dict[str, Any], cfgs: Sequence[TrainConfig] = (),
              done: Sequence[int] = ()) -> None:
        """Draw the player; Step +1 epoch between snapshots prepares the frame of every run of
        ``cfgs`` (trained to ``done`` epochs; none: no frames to prepare)."""
        step = player_step(cfgs, [self.store(i) for i in range(len(cfgs))], done) \
            if cfgs else None
        mount_player(payload, self.key, step)
