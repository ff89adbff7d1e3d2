"""The page work model's terms (labs.budget): per-activation values and per-update overhead,
the optimiser's step, the epoch and snapshot bookkeeping, copies sharing a stack. Work is
counted, never timed."""

from __future__ import annotations

import math

import pytest

from explorer.activations import ACTIVATIONS
from explorer.config import TrainConfig
from explorer.labs import budget
from explorer.optimisers import OPTIMISERS

SMALL = TrainConfig(hidden=(8, 8), epochs=10, n_checkpoints=5, grid_size=20)


def test_every_activation_and_optimiser_has_its_costs():
    # a new activation or optimiser needs measured costs (else it counts as the dearest)
    assert set(ACTIVATIONS.names()) <= set(budget.ELEM_WORK) == set(budget.ACT_STEP_WORK)
    assert set(OPTIMISERS.names()) <= set(budget.OPT_WORK)
    assert all(v >= 0 for t in (budget.ELEM_WORK, budget.ACT_STEP_WORK, budget.OPT_WORK)
               for v in t.values())


def test_an_update_costs_its_layers_activations_and_optimiser_step():
    for act in ("relu", "gelu", "maxout"):
        for opt in ("sgd", "adam"):
            c = SMALL.replace(activation=act, optimizer=opt)
            want = (budget.STEP_WORK * 3 + 2 * budget.ACT_STEP_WORK[act]
                    + budget.OPT_WORK[opt] * c.macs_per_sample())
            assert budget.update_work(c) == pytest.approx(want)
    # the exp-based kernels cost more per update than ReLU's
    assert budget.update_work(SMALL.replace(activation="gelu")) > budget.update_work(SMALL)


def test_smaller_batches_add_one_update_work_per_update():
    c = SMALL.replace(batch_size=SMALL.n_train())  # one update per epoch
    one = c.replace(batch_size=1)  # n_train updates per epoch
    extra = budget.epoch_work(one) - budget.epoch_work(c)
    assert extra == pytest.approx((c.n_train() - 1) * budget.update_work(c))


def test_an_epoch_and_a_snapshot_carry_their_fixed_work():
    c = SMALL.replace(batch_size=SMALL.n_train())
    data = budget.sample_work(c) * (3 * c.n_train() + c.n_total())
    assert budget.epoch_work(c) == pytest.approx(data + budget.EPOCH_WORK + budget.update_work(c))
    grid = budget.sample_work(c) * (c.grid_size ** 2 + 3 * c.n_train())
    assert budget.snapshot_work(c) == pytest.approx(grid + budget.SNAPSHOT_WORK)


def test_activation_values_are_counted_per_activation():
    units = sum(SMALL.hidden)
    for act in ("relu", "mish"):
        c = SMALL.replace(activation=act)
        assert budget.sample_work(c) == pytest.approx(
            c.macs_per_sample() + units * budget.ELEM_WORK[act])
    mx = SMALL.replace(activation="maxout", maxout_k=3)  # each of the k pieces
    assert budget.sample_work(mx) == pytest.approx(
        mx.macs_per_sample() + 3 * units * budget.ELEM_WORK["maxout"])


def test_a_stack_shares_its_step_work_and_copies_share_more():
    a = SMALL.replace(batch_size=1)
    t = a.replace(activation="tanh")  # another activation in the same stack
    b = a.replace(lr=0.3)  # the learning-rate search: the same computation, another rate
    # the layers' batched calls serve the whole stack: its second model pays no STEP_WORK
    assert budget.page_work([a, t]) == pytest.approx(
        budget.run_work(a) + budget.run_work(t) - budget.step_work(t))
    # a copy also pays only COPY_SHARE of the rest of its fixed work
    assert budget.page_work([a, b]) == pytest.approx(
        budget.run_work(a) + budget.run_work(b) - budget.step_work(b)
        - (1 - budget.COPY_SHARE) * (budget.fixed_work(b) - budget.step_work(b)))
    assert budget.page_work([a, b]) < budget.run_work(a) + budget.run_work(b) - \
        budget.step_work(b)
    # another seed, another data set, another batch size: its own stack, nothing shared
    for other in (a.replace(seed=1), a.replace(n_samples=300), a.replace(batch_size=2)):
        assert budget.page_work([a, other]) == budget.run_work(a) + budget.run_work(other)
    # the step work is part of the fixed work, which is part of the run's work
    assert budget.step_work(a) == a.layer_steps() * budget.STEP_WORK
    assert 0 < budget.step_work(a) < budget.fixed_work(a) < budget.run_work(a)
    assert math.isclose(budget.page_work([a]), budget.run_work(a))


def test_models_in_separate_memory_groups_share_nothing(monkeypatch):
    a = SMALL.replace(batch_size=1)
    t = a.replace(activation="tanh")
    stacked = budget.page_work([a, t])
    # one stack's temporary arrays no longer fit: two train_many calls (explorer.app.runs.records)
    monkeypatch.setattr(budget, "STACK_MEMORY", budget.stack_bytes(a) * 1.5)
    assert budget.stack_groups([a, t]) == [[0], [1]]
    assert budget.page_work([a, t]) == budget.run_work(a) + budget.run_work(t) > stacked


def test_the_counted_stacks_are_the_engines(monkeypatch):
    """``engine_stacks`` names the stacks ``train_many`` builds (counted by its trainer)."""
    import sys

    T = sys.modules["explorer.train"]  # (the package re-exports a function named train)
    built: list[int] = []
    original = T._Trainer.__init__

    def counting(self, cfgs, *args, **kwargs):
        cfgs = list(cfgs)
        built.append(len(cfgs))
        return original(self, cfgs, *args, **kwargs)

    monkeypatch.setattr(T._Trainer, "__init__", counting)
    tiny = SMALL.replace(epochs=2, n_checkpoints=2, grid_size=10)
    cases = [
        [tiny.replace(activation=a) for a in ("relu", "tanh", "sigmoid")],  # one stack
        [tiny, tiny.replace(seed=3), tiny.replace(activation="tanh")],  # two
        [tiny.replace(hidden=(64, 64), activation="relu", n_samples=600),  # Maxout apart
         tiny.replace(hidden=(64, 64), activation="maxout", maxout_k=5, n_samples=600)],
    ]
    for cfgs in cases:
        built.clear()
        T.train_many(cfgs)
        assert sorted(built) == sorted(len(s) for s in budget.engine_stacks(cfgs)), cfgs
    assert [len(budget.engine_stacks(c)) for c in cases] == [1, 2, 2]
