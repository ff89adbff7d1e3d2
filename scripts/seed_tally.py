"""Issue 25: how often step 11 (Leaky ReLU) and every lecture preset hold over seeds 0-19, on
the default data and two other data settings. Prints "holds on k of n" (and how many seeds
diverged / failed) per verdict and data setting.

    python scripts/seed_tally.py [--seeds 20] [--data default] [--skip step11 sigmoid_vanishes]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explorer import train_many  # noqa: E402
from explorer.lesson import step  # noqa: E402
from explorer.presets import DIVERGED, FAILS, HOLDS, PRESETS  # noqa: E402

DATA = {"default": {}, "n300 noise0.3": {"n_samples": 300, "noise": 0.3},
        "n600 noise0.1": {"n_samples": 600, "noise": 0.1}}


def line(name: str, data: str, statuses: list[str]) -> str:
    n = len(statuses)
    return (f"{name:24s} {data:14s} holds on {statuses.count(HOLDS):2d} of {n}"
            f"  (fails {statuses.count(FAILS)}, diverged {statuses.count(DIVERGED)})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--data", nargs="*", default=list(DATA), choices=list(DATA))
    ap.add_argument("--skip", nargs="*", default=[], help="step11 and/or preset names")
    args = ap.parse_args()
    seeds = range(args.seeds)
    s11 = step(11)
    for data in args.data:
        ch = DATA[data]
        if "step11" not in args.skip:
            cfgs = [c.replace(**ch) for seed in seeds for c in s11.configs(seed)]
            recs = train_many(cfgs)
            statuses = []
            for i, seed in enumerate(seeds):
                r = s11.compute(seed, recs[2 * i:2 * i + 2])
                statuses.append(DIVERGED if r["diverged"] else HOLDS if s11.holds(r)
                                else FAILS)
            print(line("step 11 leaky", data, statuses), flush=True)
        for p in PRESETS:
            if p.name in args.skip:
                continue
            recs = train_many([p.config().replace(seed=seed, **ch) for seed in seeds])
            print(line(f"preset {p.name}", data, [p.status(r) for r in recs]), flush=True)


if __name__ == "__main__":
    main()
