"""Output evaluation vs solving: the cost of computing every output of the coupled model.

Times, in one process, ``simulate.run`` of the coupled physiology model for a batch of virtual
people over 4 habitual days at 1-min output (what ``physiology.baseline_normalisers`` runs for
every simulation of people) with all outputs and with only the two it reads, plus the per-output
evaluation time of the costliest outputs. Not part of the test suite.

    python benchmarks/bench_outputs.py [--n 40] [--reps 3]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from endotwin.models import physiology_model
from endotwin.physiology import baseline_normalisers, habitual_day
from endotwin.population import Baseline, virtual_population
from endotwin.simulate import MINUTES_PER_DAY, run

READ = ["Plasma glucose [mg/dL]", "Leptin fast factor [1]"]


def best(fn, reps: int) -> float:
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    base = Baseline.model_validate(
        {"female_fraction": 0.5, "age": {"mean": 45, "sd": 10}, "bmi": {"mean": 30, "sd": 4}}
    )
    people = virtual_population(base, a.n, seed=1).people
    model = physiology_model()
    vals = [p.parameter_values(model.parameter_names) for p in people]
    stacked = {k: np.array([v[k] for v in vals]) for k in vals[0]}
    stacked.update(baseline_normalisers(people, stacked))
    sched = [habitual_day(p, days=4) for p in people]

    def go(outputs):
        return lambda: run(model, stacked, sched, duration_min=4 * MINUTES_PER_DAY, outputs=outputs)

    go(None)()  # warm (compile, lambdify)
    t_all = best(go(None), a.reps)
    t_two = best(go(READ), a.reps)
    t_norm = best(lambda: baseline_normalisers(people, stacked), a.reps)
    print(f"load average at start: {os.getloadavg()[0]:.2f}; n = {a.n}, best of {a.reps}")
    print(f"run, 4 days at 1 min, all {len(model.outputs)} outputs : {t_all:7.2f} s")
    print(f"run, 4 days at 1 min, {len(READ)} outputs (+ glucose, insulin): {t_two:7.2f} s")
    print(f"  all / selected = {t_all / t_two:.1f}x")
    print(f"baseline_normalisers (3 runs, selected outputs): {t_norm:7.2f} s")


if __name__ == "__main__":
    main()
