"""Work and memory of a page that trains several models at once (Vanishing, Dead ReLUs).

``config.MAX_WORK`` bounds one run; a lab page trains up to one run per activation (12), each
with its snapshots (boundary grid, histograms, unit maps). This module counts a page's total
cost, and :func:`fit` reduces the settings that cost the most (the boundary grid these pages do
not draw, then the snapshots, then the epochs, at last the number of points) until every
allowed link fits:

* work: multiply-adds (one forward pass of one sample is ``macs_per_sample`` plus
  ``ELEM_WORK[activation]`` per unit for its activation value): per epoch a forward and a
  backward pass on the training points (3×) plus the loss and accuracy on every point (1×),
  ``EPOCH_WORK`` (the epoch's bookkeeping), and per update ``update_work``: ``STEP_WORK`` per
  layer plus ``ACT_STEP_WORK[activation]`` per hidden layer (numpy's per-call overhead: what
  dominates with tiny batches) plus ``OPT_WORK[optimizer]`` per weight (the optimiser's step);
  per snapshot a forward pass on the grid and a full-set gradient (3×) plus ``SNAPSHOT_WORK``
  (its statistics). A stacked training (``train_many``) costs about the sum of its models,
  except that one batched call per layer serves the whole stack (its models after the first do
  not pay ``STEP_WORK``, :func:`step_work`) and that copies of one model (only the learning
  rate or initialisation differ) share the rest of the fixed part too (``COPY_SHARE``,
  :func:`page_work`, which trains the stacks as the pages do: :func:`stack_groups`, then
  ``train_many``'s stacks).
  Every page that trains (Vanishing, Dead ReLUs, Compare, Playground, Zig-zag) stays within
  ``PAGE_WORK`` (Compare with its seed sweep within ``compare.COMPARE_WORK``);
  ``SECONDS_PER_WORK`` converts to CPU seconds, and both stay within ``LINK_WORK_SHARE`` of
  ``LINK_SECONDS``, the wall time a lecture's heaviest link may take;
* memory: what the records keep (per snapshot: the grid as float32 + int8, a fixed set of
  histogram and table rows per layer, the unit maps) plus the temporary arrays of one training
  stack (about 8 float64 arrays of points × units for the full-set gradient, 4 for the grid).

:func:`stack_groups` splits a page's models into stacks whose temporary arrays fit
``STACK_MEMORY`` (a stacked training holds them for all its models at once).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..activations import ACTIVATIONS
from ..config import FIELDS, TrainConfig
from ..datasets import DATASETS

#: multiply-adds one page may cost (its trainings together; activation values and per-update
#: overhead counted as multiply-adds, see below): about 2.5 s of one core of the 2-core
#: reference machine (``SECONDS_PER_WORK``)
PAGE_WORK = 2.5e10
#: key of ``Fit.reduced`` when only the first models fit (the page trains fewer networks)
MODELS = "models"
#: a page that draws the decision boundary / replays snapshots keeps at least these
DRAWN_GRID, DRAWN_CHECKPOINTS = 40, 11
#: bytes a page's records may keep plus the temporary arrays of one stack
PAGE_MEMORY = 200 * 2**20
#: temporary bytes of one training stack
STACK_MEMORY = 80 * 2**20
#: bytes kept per layer per snapshot (histogram bins, table rows, their DataFrame overhead)
LAYER_SNAPSHOT_BYTES = 32 * 1024
#: float64 arrays of (points × units) alive during a full-set gradient / a grid forward pass
POINT_ARRAYS, GRID_ARRAYS = 8, 4
# The coefficients below were fitted (least squares on the relative error) on ~800 trainings
# of the 2-core reference machine: batch 1/8/32/full, widths 4-128, depth 1-6, every
# activation and optimiser, stacks of 5, 6 and 13 activations, 100-snapshot runs; counted
# with them the median run's CPU is the count, most are within 0.7-1.3x of it, the worst
# (batch 32 on wide layers, tiny networks) up to ~1.9x; the heavy pages' stacks within 1.3x.
#: the fixed cost of one update of one layer (the output layer too) of one model, in
#: multiply-adds (the matmuls' and buffers' per-call overhead: ~6.5 µs)
STEP_WORK = 6.5e4
#: the fixed cost of one update of one hidden layer for its activation's kernels (forward and
#: backward), in multiply-adds: GELU's and SiLU's several numpy calls cost as much as ~17 µs
ACT_STEP_WORK = {"sigmoid": 4.0e4, "tanh": 1.0e4, "relu": 1.5e4, "leaky_relu": 1.0e4,
                 "prelu": 8.5e4, "elu": 6.0e4, "selu": 6.0e4, "gelu": 1.7e5, "silu": 1.0e5,
                 "mish": 8.0e4, "softplus": 3.5e4, "identity": 5.0e3, "maxout": 1.0e4}
#: the cost of one activation (and derivative) value of one unit (Maxout: of one piece) for
#: one sample, in multiply-adds: GELU (erf) ~120, Mish and softplus (exp, log1p, tanh) ~200; for
#: narrow layers this dominates
ELEM_WORK = {"sigmoid": 50.0, "tanh": 25.0, "relu": 20.0, "leaky_relu": 25.0, "prelu": 50.0,
             "elu": 65.0, "selu": 65.0, "gelu": 120.0, "silu": 80.0, "mish": 210.0,
             "softplus": 150.0, "identity": 20.0, "maxout": 20.0}
#: the optimiser's step, per weight per update, in multiply-adds (Adam: a dozen array passes)
OPT_WORK = {"sgd": 15.0, "momentum": 15.0, "nesterov": 30.0, "adam": 60.0}
#: fixed work of one epoch of one model (history row, unit states), in multiply-adds (~40 µs)
EPOCH_WORK = 4.0e5
#: fixed work of one snapshot of one model (histograms, tables, unit maps): ~0.4 ms
SNAPSHOT_WORK = 4.0e6
#: the live player's dense frames (``explorer.frame_stream``): fixed work of a frame (its bytes, the diagram's
#: numbers: ~0.2 ms), bytes of the thumbnails at most (``live.frames.NET_FRAME_BUDGET``), and
#: the encoded chunks' size relative to the rows at most (delta + zlib: ~0.25-0.35 measured;
#: base64 4/3 of it). Measured (CPU time, frames on / off, same process): the default run's
#: frames cost ~0.75x its training, the model counts ~0.9x; a 6-layer sigmoid net ~1.06x
#: against ~1.1x
FRAME_WORK = 2.0e6
#: fixed work of a boundary-only frame (Compare's: its bytes, ~0.05 ms)
FRAME_GRID_WORK = 5.0e5
FRAME_THUMB_BYTES = 4000
FRAME_ENCODED_SHARE = 0.6
#: a second, third ... copy of a model in one stack (same activations and shapes, only the
#: learning rate or the initialisation differ) adds this share of the first one's fixed work
#: beyond ``STEP_WORK`` (measured: 0.02-0.35 of a whole run for batch 1 and 32, 16- and
#: 64-unit layers)
COPY_SHARE = 0.4
#: one counted multiply-add is about this much CPU on the 2-core reference machine. Checked
#: again on the 2-core machine of issue 14 (``python -m explorer.bench --work-model``): single
#: runs took 0.8-0.9x of their count, stacks of 2-11 activations 0.75-1.0x (0.4-0.6x while
#: every model of a stack paid ``STEP_WORK``; wide layers at batch 32 ~0.5x), and the heaviest
#: links of every page, drawing included, about 1x of the server's CPU
#: (``scripts/load_test.py --scenarios heavy`` prints it per link)
SECONDS_PER_WORK = 1.0e-10
#: the wall time the heaviest link of any page must stay under in a lecture (issue 14)
LINK_SECONDS = 10.0
#: the share of ``LINK_SECONDS`` a page's counted work may take on the reference machine: the
#: rest is for drawing the page (not counted), the websocket and a slower host
LINK_WORK_SHARE = 0.6
GRID_MIN = int(FIELDS["grid_size"].lo)
CHECKPOINTS_MIN = int(FIELDS["n_checkpoints"].lo)


def _units(cfg: TrainConfig) -> int:
    """Hidden units, Maxout's k pieces each counted (what the temporary arrays hold)."""
    return sum(u * (cfg.maxout_k if ACTIVATIONS[a].pieces else 1)
               for u, a in zip(cfg.hidden, cfg.hidden_activations(), strict=True))


#: an activation or optimiser missing from the tables costs as much as the dearest one
_ELEM_MAX, _ACT_STEP_MAX, _OPT_MAX = (max(ELEM_WORK.values()), max(ACT_STEP_WORK.values()),
                                      max(OPT_WORK.values()))


def update_work(cfg: TrainConfig) -> float:
    """The fixed cost of one update: ``STEP_WORK`` per layer, ``ACT_STEP_WORK`` per hidden
    layer's activation, and the optimiser's step over every weight (``OPT_WORK``)."""
    acts = cfg.hidden_activations()
    return (STEP_WORK * (len(cfg.hidden) + 1)
            + sum(ACT_STEP_WORK.get(a, _ACT_STEP_MAX) for a in acts)
            + OPT_WORK.get(cfg.optimizer, _OPT_MAX) * cfg.macs_per_sample())


def epoch_work(cfg: TrainConfig) -> float:
    """Multiply-adds of one epoch: training (forward + backward), the per-epoch loss, the
    epoch's bookkeeping, and the fixed cost of each update (:func:`update_work`: what dominates
    with tiny batches)."""
    updates = cfg.layer_steps() / cfg.epochs / (len(cfg.hidden) + 1)
    return (sample_work(cfg) * (3 * cfg.n_train() + cfg.n_total()) + EPOCH_WORK
            + update_work(cfg) * updates)


def sample_work(cfg: TrainConfig) -> float:
    """One forward pass of one sample: its multiply-adds and its activation values."""
    elem = sum(u * (cfg.maxout_k if ACTIVATIONS[a].pieces else 1) * ELEM_WORK.get(a, _ELEM_MAX)
               for u, a in zip(cfg.hidden, cfg.hidden_activations(), strict=True))
    return float(cfg.macs_per_sample()) + elem


def snapshot_work(cfg: TrainConfig) -> float:
    """Multiply-adds of one snapshot: the boundary grid, the full-set gradient and the
    statistics (``SNAPSHOT_WORK``)."""
    return sample_work(cfg) * (cfg.grid_size ** 2 + 3 * cfg.n_train()) + SNAPSHOT_WORK


def n_snapshots(cfg: TrainConfig) -> int:
    return min(cfg.n_checkpoints, cfg.epochs + 1)


#: ``frames`` of the functions below: False (no dense frames), True (the Playground's: the
#: boundary and the network diagram) or BOUNDARY (Compare's: the boundary only)
BOUNDARY = "boundary"


def run_work(cfg: TrainConfig, frames: bool | str = False) -> float:
    """Multiply-adds of one run: its epochs and snapshots, and with ``frames`` the live
    player's dense frames (:func:`frame_work`)."""
    out = cfg.epochs * epoch_work(cfg) + n_snapshots(cfg) * snapshot_work(cfg)
    return out + (n_frames(cfg) * frame_work(cfg, frames) if frames else 0.0)


def n_frames(cfg: TrainConfig) -> int:
    """The live player's dense frames of a run (``frame_stream.dense_epochs``)."""
    from ..frame_stream import dense_epochs

    return len(dense_epochs(cfg.epochs))


def frame_points(cfg: TrainConfig, frames: bool | str = True) -> int:
    """Points of a dense frame's forward pass: the boundary grid, and for the diagram
    (``frames`` True) the thumbnail grid (``live.frames.thumb_size``²) and the training
    points."""
    if frames == BOUNDARY:
        return cfg.grid_size ** 2
    from ..live.frames import thumb_size

    return cfg.grid_size ** 2 + thumb_size(cfg, cfg.effective_classes()) ** 2 + cfg.n_train()


def frame_work(cfg: TrainConfig, frames: bool | str = True) -> float:
    """Multiply-adds of one dense frame (``frame_stream.FrameRecorder``): one forward pass on
    its points (:func:`frame_points`) and ``FRAME_WORK`` for its bytes (and the diagram's
    numbers)."""
    return sample_work(cfg) * frame_points(cfg, frames) + (
        FRAME_GRID_WORK if frames == BOUNDARY else FRAME_WORK)


def frame_row_bytes(cfg: TrainConfig, frames: bool | str = True) -> float:
    """Bytes of one dense frame at most (``FrameLayout.row_bytes``): the grid (and the class
    byte per cell), the thumbnails (``FRAME_THUMB_BYTES``: what the player's budget allows)
    and the diagram's float16 numbers (at most 16 × 16 links a layer pair, four per unit)."""
    if frames == BOUNDARY:
        return 2.0 * cfg.grid_size ** 2
    drawn = [min(u, 16) for u in (2, *cfg.hidden, cfg.effective_classes())]
    links = sum(a * b for a, b in zip(drawn, drawn[1:], strict=False))
    floats = links + (cfg.maxout_k + 3) * sum(drawn) + len(drawn)
    return 2 * cfg.grid_size ** 2 + FRAME_THUMB_BYTES + 2 * floats + 2 * sum(drawn)


def kept_bytes(cfg: TrainConfig, frames: bool | str = False) -> float:
    """Bytes one finished record keeps (snapshots; the history is small); with ``frames``
    the dense frames too: each row, and its share of the encoded chunks (at most
    ``FRAME_ENCODED_SHARE`` of it)."""
    per = (len(cfg.hidden) + 1) * LAYER_SNAPSHOT_BYTES + 5 * cfg.grid_size ** 2 + 2 * _units(cfg)
    out = float(n_snapshots(cfg) * per + 64 * cfg.epochs)
    if frames:
        out += n_frames(cfg) * frame_row_bytes(cfg, frames) * (1.0 + FRAME_ENCODED_SHARE)
    return out


def stack_bytes(cfg: TrainConfig) -> float:
    """Temporary bytes one model adds to a training stack."""
    return 8.0 * _units(cfg) * (POINT_ARRAYS * cfg.n_total() + GRID_ARRAYS * cfg.grid_size ** 2)


def stack_groups(cfgs: Sequence[TrainConfig], limit: float | None = None) -> list[list[int]]:
    """Consecutive index groups whose temporary arrays fit ``limit`` (default
    ``STACK_MEMORY``; at least one model per group). Trained one group after the other, each
    model's record is the same."""
    limit = STACK_MEMORY if limit is None else limit
    groups: list[list[int]] = []
    used = math.inf
    for i, cfg in enumerate(cfgs):
        b = stack_bytes(cfg)
        if used + b > limit:
            groups.append([])
            used = 0.0
        groups[-1].append(i)
        used += b
    return groups


def step_work(cfg: TrainConfig) -> float:
    """The per-call overhead of a run's updates (``STEP_WORK`` per layer per update): one
    batched matmul per layer serves every model of a stack, so only its first model pays it."""
    return cfg.layer_steps() * STEP_WORK


def fixed_work(cfg: TrainConfig) -> float:
    """The part of ``run_work`` that does not grow with the weights or points: the per-update
    kernel calls (``STEP_WORK``, ``ACT_STEP_WORK``), ``EPOCH_WORK`` and ``SNAPSHOT_WORK``."""
    updates = cfg.layer_steps() / (len(cfg.hidden) + 1)
    per_update = update_work(cfg) - OPT_WORK.get(cfg.optimizer, _OPT_MAX) * cfg.macs_per_sample()
    return updates * per_update + cfg.epochs * EPOCH_WORK + n_snapshots(cfg) * SNAPSHOT_WORK


def _copy_key(cfg: TrainConfig) -> tuple:
    """Configs with equal keys train in one stack as copies of one computation (only the
    learning rate, initialisation or an activation's parameter differ: ``train.PER_MODEL``)."""
    from ..train import PER_MODEL

    same_kernels = PER_MODEL - {"activation", "layer_activations"}
    return tuple((k, v) for k, v in cfg.to_dict().items() if k not in same_kernels) + (
        cfg.hidden_activations(),)


def engine_stacks(cfgs: Sequence[TrainConfig]) -> list[list[int]]:
    """The stacks ``train_many(cfgs)`` trains, as index lists (same data, batches, optimiser
    and shapes; Maxout beside ordinary models only while padding is cheap)."""
    from ..train import group_key, split_stacks

    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(cfgs):
        groups.setdefault(group_key(c), []).append(i)
    return [s for idx in groups.values() for s in split_stacks(cfgs, idx)]


def stack_work(cfgs: Sequence[TrainConfig], frames: bool | str = False) -> float:
    """``run_work`` of every config trained by one ``train_many(cfgs)``, less what its stacks
    share: after a stack's first model, each pays no ``step_work`` (the layers' batched calls
    serve them all), and a copy of an earlier model (:func:`_copy_key`: only the learning rate,
    initialisation or an activation's parameter differ, e.g. the learning-rate search's runs of
    one activation) only ``COPY_SHARE`` of the rest of its :func:`fixed_work`."""
    cfgs = list(cfgs)
    total = 0.0
    for stack in engine_stacks(cfgs):
        seen: set[tuple] = set()
        for j, i in enumerate(stack):
            c = cfgs[i]
            w = run_work(c, frames)
            if j:
                w -= step_work(c)
            key = _copy_key(c)
            if key in seen:
                w -= (1.0 - COPY_SHARE) * (fixed_work(c) - step_work(c))
            seen.add(key)
            total += w
    return float(total)


def page_work(cfgs: Sequence[TrainConfig], frames: bool | str = False) -> float:
    """The work of training ``cfgs`` as the pages do: in the consecutive groups of
    :func:`stack_groups` (``explorer.app.runs.records``; the sweep's seeds and the learning-rate
    search likewise), each group one ``train_many`` (:func:`stack_work`)."""
    cfgs = list(cfgs)
    return float(sum(stack_work([cfgs[i] for i in g], frames) for g in stack_groups(cfgs)))


def page_memory(cfgs: Sequence[TrainConfig], frames: bool | str = False) -> float:
    """Kept bytes of every record plus the largest stack's temporary bytes (``frames``: the
    records keep the player's dense frames, and the recorder's forward pass has its own
    arrays, ``frame_stack_bytes``)."""
    peak = max((sum(stack_bytes(cfgs[i]) + (frame_stack_bytes(cfgs[i], frames) if frames else 0.0)
                    for i in g) for g in stack_groups(cfgs)), default=0.0)
    return float(sum(kept_bytes(c, frames) for c in cfgs) + peak)


def frame_stack_bytes(cfg: TrainConfig, frames: bool | str = True) -> float:
    """Temporary bytes the dense frame recorder adds per model: the path's arrays (about
    ``POINT_ARRAYS`` of points × units) for its points (:func:`frame_points`)."""
    return 8.0 * _units(cfg) * POINT_ARRAYS * frame_points(cfg, frames)


@dataclass
class Fit:
    """The configs a page trains and what was reduced: {field: (asked, used)}."""

    cfgs: list[TrainConfig]
    reduced: dict[str, tuple[int, int]] = field(default_factory=dict)
    frames: bool | str = False  # the records keep the player's dense frames

    @property
    def work(self) -> float:
        return page_work(self.cfgs, self.frames)

    @property
    def memory(self) -> float:
        return page_memory(self.cfgs, self.frames)


def _fewer_points(cfg: TrainConfig) -> int | None:
    """A smaller ``n_samples`` that still leaves every class enough test points (None: the
    data set has a fixed size, or no smaller valid size)."""
    if DATASETS[cfg.dataset].fixed_size is not None:
        return None
    n = max(int(FIELDS["n_samples"].lo), cfg.n_samples * 3 // 4)
    while n < cfg.n_samples:
        try:
            cfg.replace(n_samples=n)
            return n
        except ValueError:  # too few test points for the classes: try a larger one
            n += 10
    return None


def _set(cfgs: Sequence[TrainConfig], **changes: int) -> list[TrainConfig]:
    return [c.replace(**changes) for c in cfgs]


def fit(cfgs: Sequence[TrainConfig], work: float | None = None, memory: float | None = None,
        min_checkpoints: int = CHECKPOINTS_MIN, min_grid: int = GRID_MIN,
        frames: bool | str = False) -> Fit:
    """``cfgs`` (which share epochs, snapshots and grid) reduced until their page work is at
    most ``work`` (default ``PAGE_WORK``) and their memory at most ``memory`` (default
    ``PAGE_MEMORY``): first the grid (to ``min_grid``: a page that draws the decision
    boundary keeps a drawable one), then
    the snapshots (to ``min_checkpoints``), then the epochs (the most that fit), then the
    snapshots to the fewest, then the grid below ``min_grid``, at last the points.
    ``frames``: the runs record the live player's dense frames (counted too)."""
    work = PAGE_WORK if work is None else work
    memory = PAGE_MEMORY if memory is None else memory
    cfgs = list(cfgs)
    out = Fit(cfgs, frames=frames)

    def page_work(cs: Sequence[TrainConfig]) -> float:  # (this fit's count)
        return _page_work(cs, frames)

    def page_memory(cs: Sequence[TrainConfig]) -> float:
        return _page_memory(cs, frames)

    if not cfgs:
        return out
    first = cfgs[0]

    def over() -> bool:
        return page_work(cfgs) > work or page_memory(cfgs) > memory

    grid_lo = max(GRID_MIN, min(min_grid, first.grid_size))
    if over() and first.grid_size > grid_lo:
        cfgs = _set(cfgs, grid_size=grid_lo)
    # snapshots (each costs about an epoch): the most that fit, down to min_checkpoints
    lo = max(CHECKPOINTS_MIN, min(min_checkpoints, first.n_checkpoints))
    if over() and cfgs[0].n_checkpoints > lo:
        n = cfgs[0].n_checkpoints
        while n > lo and (page_work(_set(cfgs, n_checkpoints=n)) > work
                          or page_memory(_set(cfgs, n_checkpoints=n)) > memory):
            n = max(lo, n * 3 // 4)
        cfgs = _set(cfgs, n_checkpoints=n)
    # epochs: the most that fit the work with these snapshots
    if page_work(cfgs) > work:
        snaps = sum(n_snapshots(c) * snapshot_work(c) for c in cfgs)
        # (a frame an epoch, at most DENSE_MAX + 1: counted as a part of each epoch)
        per_epoch = sum(epoch_work(c) + (frame_work(c, frames) if frames else 0.0) for c in cfgs)
        epochs = int(max(1, min(cfgs[0].epochs, (work - snaps) // per_epoch)))
        cfgs = _set(cfgs, epochs=epochs)
    while page_work(cfgs) > work and cfgs[0].n_checkpoints > CHECKPOINTS_MIN:
        cfgs = _set(cfgs, n_checkpoints=max(CHECKPOINTS_MIN, cfgs[0].n_checkpoints // 2))
    # a drawn grid too (deep, wide Maxout: the grid's temporary arrays alone are too big)
    while over() and cfgs[0].grid_size > GRID_MIN:
        cfgs = _set(cfgs, grid_size=max(GRID_MIN, cfgs[0].grid_size * 3 // 4))
    # last: fewer points (many deep, wide networks on 2000 points: even 1 epoch is too much)
    while page_work(cfgs) > work or page_memory(cfgs) > memory:
        n = _fewer_points(cfgs[0])
        if n is None:
            break
        cfgs = _set(cfgs, n_samples=n)
    # a fixed-size data set leaves no fewer points: the first models that fit (at least one)
    asked_models = len(cfgs)
    while len(cfgs) > 1 and over():
        cfgs = cfgs[:-1]
    out.cfgs = cfgs
    for name in ("grid_size", "n_checkpoints", "epochs", "n_samples"):
        asked, used = getattr(first, name), getattr(cfgs[0], name)
        if used != asked:
            out.reduced[name] = (asked, used)
    if len(cfgs) < asked_models:
        out.reduced[MODELS] = (asked_models, len(cfgs))
    return out


_page_work, _page_memory = page_work, page_memory
