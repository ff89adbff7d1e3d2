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


def test_copies_in_one_stack_share_their_fixed_work():
    a = SMALL.replace(batch_size=1)
    b = a.replace(lr=0.3)  # the learning-rate search: the same computation, another rate
    shared = budget.run_work(a) + budget.run_work(b) - (1 - budget.COPY_SHARE) * \
        budget.fixed_work(b)
    assert budget.page_work([a, b]) == pytest.approx(shared)
    assert budget.page_work([a, b]) < budget.run_work(a) + budget.run_work(b)
    # another activation, another seed (another data set: its own stack): nothing shared
    for other in (a.replace(activation="tanh"), a.replace(seed=1), a.replace(n_samples=300)):
        assert budget.page_work([a, other]) == budget.run_work(a) + budget.run_work(other)
    # the fixed work is part of the run's work and the whole of it for no weights' work
    assert 0 < budget.fixed_work(a) < budget.run_work(a)
    assert math.isclose(budget.page_work([a]), budget.run_work(a))
