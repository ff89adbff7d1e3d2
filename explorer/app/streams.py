"""Streamed runs: a training in a background job whose partial records reach the live player
a few times a second (:func:`stream` for one run, :func:`stream_group` for Compare's
columns), and the player's frames between two snapshots (:func:`prefix_frame`)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from ..config import TrainConfig
from ..labs.budget import BOUNDARY
from ..live import frames, jobs
from ..record import RunRecord
from ..slots import Cancelled, QueueFull
from ..train import iter_train, train
from . import runs
from .state import REFRESH

__all__ = ["LIVE_KEY", "POLL", "RETRY", "browser_session", "finished_since", "live_fragment",
           "prefix_frame", "refused", "stream", "stream_group"]


# ---------------------------------------------------------------------------- streamed runs
#: seconds between the fragment reruns that send a training's partial record
POLL = 0.25
#: seconds after a full queue refused a streamed run before the page asks again
RETRY = 2.0
#: the key of the container a streamed run's fragment draws in (CSS class ``st-key-ae-live``):
#: gone once the page's own run drew the finished run (browser tests wait for that)
LIVE_KEY = "ae-live"


def live_fragment(box: Any, live: Callable[[], None],
                  skip: Callable[[], bool] = lambda: False) -> None:
    """Run ``live`` now and every ``POLL`` s (unless ``skip()``) in a fragment in ``box``, in
    the container ``LIVE_KEY``, and stop the script (the fragment reruns the page when it is
    done)."""
    def marked() -> None:
        with st.container(key=LIVE_KEY):
            if not skip():
                live()

    with box:
        st.fragment(marked, run_every=POLL)()
    st.stop()


@runs.shared_cache(runs.PAGE_CACHE_BYTES, 64)
def _prefix_frame(key: tuple[tuple[str, str], ...], epoch: int) -> dict[str, Any]:
    cfg = runs.cfg_from_key(key)
    prefix_cfg = cfg.prefix(epoch).replace(n_checkpoints=2)  # (changes from epoch on dropped)
    with runs.training_slot(runs.job_work(prefix_cfg), runs.job_bytes(prefix_cfg)):
        rec = train(prefix_cfg)
    return frames.extra_frame(rec, epoch)


def prefix_frame(cfg: TrainConfig, epoch: int) -> dict[str, Any]:
    """The frame at ``epoch`` (between two snapshots): the same run, trained to ``epoch``."""
    # keyed by the prefix run: a run continued with a new rate at e shares its frames to e
    try:
        return _prefix_frame(runs.cfg_key(cfg.prefix(int(epoch))), int(epoch))
    except (Cancelled, QueueFull) as exc:  # the session left / the server is busy
        runs.stop_for(exc)
        raise


def browser_session() -> bool:
    """True in a web browser's session: only a browser reruns a fragment on its timer, so
    only there does a training run in the background. AppTest has no request headers; raw
    websocket clients (scripts/load_test.py) send no browser User-Agent: both get the
    synchronous training of :func:`train_live`."""
    try:
        agent = st.context.headers.get("User-Agent", "")
    except Exception:
        return False
    return "Mozilla/" in agent


def start_job(key: Any, sized: TrainConfig | Sequence[TrainConfig], draws: Any,
              source: Callable[[], Any]) -> tuple[jobs.Job | None, str | None]:
    """A page's streamed training as a background job, and the session's id: its slot sized
    by the configs ``sized`` (``runs.slot_for``: earliest deadline first; its bytes held
    while the job keeps its record), paused between epochs for a job with an earlier
    deadline, cancelled when the session is gone, one per session. No job if the table of
    jobs is full (the page then trains in its script run)."""
    sid = runs.session_id()
    slot = runs.slot_for(sized, sid, lambda: jobs.get(key) is None, draws)
    cfg = sized if isinstance(sized, TrainConfig) else sized[0]
    return jobs.start(key, cfg, slot, pause=runs.yield_slot, session=sid,
                      session_alive=runs.is_active, one_per_session=True, source=source), sid


def stream(cfg: TrainConfig, box: Any, show: Callable[[RunRecord, dict[int, dict]], None],
           holds: Callable[[jobs.Job], bool], tr: Callable[..., str]) -> None:
    """Nothing if ``cfg`` is already trained (or this is no browser); otherwise train it in a
    background job, show its partial records in ``box`` (``show(partial_record, frame_cache)``
    a few times a second, in a fragment) and stop the script: the fragment reruns the whole
    page once the record is complete and cached. ``holds(job)``: the finished run's player
    still plays it, so the fragment keeps showing it."""
    if runs.trained(cfg) or not browser_session():
        return
    ckey = runs.cfg_key(cfg)
    spec = runs.player_frames(cfg)
    job, sid = start_job(ckey, cfg, True, lambda: iter_train(cfg, every=1, frames=spec))
    if job is None:
        return

    def live() -> None:
        if job.done:
            complete = job.error is None and job.latest is not None and job.latest.complete
            if complete:
                runs.store_trained(cfg, job.latest)
                if holds(job):  # the same player plays the finished run to its end
                    show(job.latest, job.frames)
                    return
            jobs.pop(ckey, job)
            # the fragment's runs drew none of the page's widgets: the page's run sends
            # their values anew (see state.widget_key: the browser would show some at
            # their first option)
            st.session_state[REFRESH] = True
            st.rerun(scope="app")
        rec = job.latest
        if rec is None or not rec.checkpoints:
            queue = job.queue
            st.caption(runs.queue_note(tr, *queue) if queue is not None else
                       tr("training_progress", epoch=0, total=cfg.epochs))
            return
        show(rec, job.frames)  # each snapshot encoded once per job

    live_fragment(box, live, lambda: refused(job, sid, tr))


def refused(job: jobs.Job, sid: Any, tr: Callable[..., str]) -> bool:
    """A poll of ``job`` by the page of session ``sid``: its heartbeat (``jobs.reap``), and
    True while the page says that a full queue refused the job (then it asks again: a new
    job, after ``RETRY`` s)."""
    job.touch(sid)
    if job.done and isinstance(job.error, QueueFull):
        runs.busy(tr, job.error)
        return (finished_since(job) or 0.0) < RETRY
    return False


def finished_since(job: jobs.Job) -> float | None:
    """Seconds since ``job`` finished (None while it runs)."""
    return None if job.finished is None else time.monotonic() - job.finished


def stream_group(cfgs: Sequence[TrainConfig], box: Any,
                 show: Callable[[list[RunRecord], dict], None],
                 holds: Callable[[jobs.Job], bool], tr: Callable[..., str]) -> None:
    """Compare's columns live, as :func:`stream` for one run: nothing if their records
    (with dense frames, ``records(cfgs, dense=True)``) were trained already, in a session
    that is no browser's, or if they do not fit one training group (``budget.stack_groups``:
    they then train group by group, synchronously); otherwise train them all at once in a
    background job (``group_train.iter_group``: every column advances together), show their
    partial records in ``box`` (``show(records, frame_cache)`` every ``POLL`` s, in a
    fragment) and stop the script: the fragment reruns the page once they are complete and
    cached (``holds(job)``: the finished runs' player still plays them, it keeps them)."""
    from ..labs.budget import stack_groups
    from ..live.group_train import iter_group

    cfgs = list(cfgs)
    keys = tuple(runs.cfg_key(c) for c in cfgs)
    gkey = ("group", keys, True)
    if (gkey in runs.DONE or gkey in _FAILED or not browser_session()
            or len(stack_groups(cfgs)) != 1):
        return
    spec = runs.player_frames(cfgs[0], network=False)  # (Compare's frames: boundaries only)
    job, sid = start_job(gkey, cfgs, BOUNDARY, lambda: iter_group(cfgs, spec))
    if job is None:
        return

    def live() -> None:
        if job.done:
            recs = job.latest
            if job.error is None and recs is not None and all(r.complete for r in recs):
                runs.PRIMED[gkey] = [frames.seal(r) for r in recs]
                runs.train_group_cached(keys, True)
                runs.PRIMED.pop(gkey, None)
                runs.mark_done(gkey)
                if holds(job):
                    show(recs, job.frames)
                    return
            elif job.error is not None:  # the page's own training reports it
                _FAILED[gkey] = None
                while len(_FAILED) > runs.CACHE_ENTRIES:
                    _FAILED.popitem(last=False)
            jobs.pop(gkey, job)
            st.session_state[REFRESH] = True  # (see stream)
            st.rerun(scope="app")
        if job.latest is None:
            queue = job.queue
            st.caption(runs.queue_note(tr, *queue) if queue is not None else
                       tr("waiting_other") if runs.others_training() else
                       tr("training_progress", epoch=0, total=cfgs[0].epochs))
            return
        show(job.latest, job.frames)

    live_fragment(box, live, lambda: refused(job, sid, tr))


_FAILED: OrderedDict[tuple, None] = OrderedDict()
