#!/usr/bin/env python
"""Is claim 4's cost measurement reproducible? (issue 25, item 7)

Starts ``--runs`` fresh Python processes (default 3), one after the other, each importing the
app's engine and running ``explorer.labs.cost.measure_cost`` exactly as the Gallery and the
Lesson do (a fresh process stands for a fresh server start). Prints each process's ratios to
ReLU (the median of the per-round ratios, with their quartiles), the order it computes, and
per activation the largest relative deviation of any run from the runs' median ratio; the
last line is machine-readable: ``COST_STABILITY runs=… max_rel_dev=… worst=…``.

    python scripts/cost_stability.py                      # the Lesson's and Gallery's acts
    python scripts/cost_stability.py --runs 5 --acts relu,leaky_relu,tanh,sigmoid
    python scripts/cost_stability.py --all                # every registered activation

Timings are printed, never asserted (the machine may be busy); the goal is a max relative
deviation within ±20 %.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ACTS = "relu,leaky_relu,tanh,sigmoid,gelu"
CHILD = """
import json, sys
from explorer.labs import cost
names = json.loads(sys.argv[1])
c = cost.measure_cost(names)
order = cost.order_text(cost.cost_order(c))
print(json.dumps({"rows": c[["name", "label", "ns_per_element", "relative", "rel_lo",
                            "rel_hi"]].to_dict("records"), "order": order}))
"""


def run_child(names: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(names)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="fresh processes (at least 3)")
    ap.add_argument("--acts", default=DEFAULT_ACTS, help="comma-separated activation names")
    ap.add_argument("--all", action="store_true", help="every registered activation")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.all:
        from explorer import ACTIVATIONS
        names = ACTIVATIONS.names()
    else:
        names = [a.strip() for a in args.acts.split(",") if a.strip()]
    runs = max(3, args.runs)
    from explorer.labs.cost import COST_BLOCK, COST_N, COST_ROUNDS, STATISTIC
    print(f"protocol: {COST_N} values in blocks of {COST_BLOCK}, {COST_ROUNDS} interleaved "
          f"rounds, {STATISTIC} of per-round ratios to ReLU, thread CPU time; {runs} fresh "
          "processes")
    results = []
    for i in range(runs):
        res = run_child(names)
        results.append(res)
        cells = "  ".join(f"{r['label']} {r['relative']:.2f}× [{r['rel_lo']:.2f}–{r['rel_hi']:.2f}]"
                          for r in res["rows"] if r["name"] != "relu")
        relu_ns = next((r["ns_per_element"] for r in res["rows"] if r["name"] == "relu"), None)
        print(f"run {i + 1}: {cells}" + (f"  (ReLU {relu_ns:.2f} ns/element)" if relu_ns else ""))
        print(f"        order: {res['order']}")
    worst, worst_name = 0.0, ""
    print("per activation: ratios over the runs, max relative deviation from their median")
    for name in names:
        if name == "relu":
            continue
        vals = [next(r["relative"] for r in res["rows"] if r["name"] == name)
                for res in results]
        mid = sorted(vals)[len(vals) // 2] if len(vals) % 2 else \
            0.5 * (sorted(vals)[len(vals) // 2 - 1] + sorted(vals)[len(vals) // 2])
        dev = max(abs(v / mid - 1.0) for v in vals)
        if dev > worst:
            worst, worst_name = dev, name
        print(f"  {name:12s} " + " ".join(f"{v:6.2f}" for v in vals)
              + f"   median {mid:6.2f}   max dev {100 * dev:5.1f} %")
    print(f"COST_STABILITY runs={runs} max_rel_dev={worst:.3f} worst={worst_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
