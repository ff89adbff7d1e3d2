"""Print, for every Lesson step, "holds on k of n" over many seeds and a few data settings.

    python scripts/lesson_seeds.py                     # steps 1-14, seeds 0-19, 3 data settings
    python scripts/lesson_seeds.py --steps 2 9 --seeds 10 --data default

Each step runs as the Lesson page runs it (``explorer.lesson``: the step's configs, its
predicate, a diverged run counted as ``diverged``), with the data fields of the setting
replacing the step's own. Steps whose numbers do not depend on the seed (function values,
a timing) are computed once.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explorer import lesson  # noqa: E402
from explorer.lesson import seeds as ls  # noqa: E402

#: data settings: name -> config fields that replace every config's own
DATA = {
    "default": {},
    "moons-n300-noise0.3": {"n_samples": 300, "noise": 0.3},
    "circles": {"dataset": "circles"},
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, nargs="*", default=list(range(1, lesson.N_STEPS + 1)))
    ap.add_argument("--seeds", type=int, default=20, help="seeds 0..N-1 (default 20)")
    ap.add_argument("--data", nargs="*", default=list(DATA), choices=list(DATA))
    ap.add_argument("--verbose", action="store_true", help="print each seed's verdict text")
    a = ap.parse_args(argv)
    print(f"{'step':<22} {'data':<21} {'holds':>12}  diverged / fails (seeds)")
    for n in a.steps:
        s = lesson.step(n)
        for d in a.data:
            t0 = time.perf_counter()
            texts = {}

            def status_of(seed: int, s=s, d=d, texts=texts) -> str:
                r = s.run(seed, None, DATA[d])
                texts[seed] = lesson.verdict_text(s, r)
                return ls.status(s, r)

            t = ls.tally(s, 0, seeds=range(a.seeds), status_of=status_of)
            extra = []
            if t.where(ls.DIVERGED):
                extra.append(f"diverged {t.where(ls.DIVERGED)}")
            if t.where(ls.FAILS):
                extra.append(f"fails {t.where(ls.FAILS)}")
            note = "" if t.seeded else " (no seed involved)"
            print(f"{n:>2} {s.name:<19} {d:<21} {f'{t.k} of {t.n}':>12}  "
                  f"{'; '.join(extra)}{note}  [{time.perf_counter() - t0:.1f} s]", flush=True)
            if a.verbose:
                for seed, text in texts.items():
                    print(f"      seed {seed}: {text}")
            if not s.seeded:
                break  # the data fields do not enter either
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
