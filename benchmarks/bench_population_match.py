"""Morning fasting and HbA1c secretion match: re-simulating only the people who changed.

Times, in one process, :func:`endotwin.population.morning.match_morning_fasting` on the same
virtual population (drawn to the DPP's baseline) re-simulating everyone at each iteration and
re-simulating only the people whose parameters changed, and checks that both give the same
people. Not part of the test suite.

    python benchmarks/bench_population_match.py [--n 60]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from endotwin.population import virtual_population
from endotwin.population.morning import match_morning_fasting
from endotwin.validation.study import all_studies


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    a = ap.parse_args()
    study = {s.name: s for s in all_studies()}["dpp2002_lifestyle"]
    pop = virtual_population(study.population, a.n, seed=1)
    match_morning_fasting(virtual_population(study.population, 2, seed=2), days=2)  # warm
    print(f"load average at start: {os.getloadavg()[0]:.2f}; n = {a.n}, 7 habitual days")
    t0 = time.perf_counter()
    every = match_morning_fasting(pop, days=7, resimulate_all=True)
    t_all = time.perf_counter() - t0
    t0 = time.perf_counter()
    changed = match_morning_fasting(pop, days=7)
    t_changed = time.perf_counter() - t0
    for col in ("morning_glucose_mgdl", "mean_glucose_mgdl", "secretion_factor"):
        np.testing.assert_allclose(every.covariates[col], changed.covariates[col], rtol=1e-9)
    print(every.notes[-2][:120])
    print(f"re-simulate everyone     : {t_all:7.2f} s")
    print(f"re-simulate the changed  : {t_changed:7.2f} s")
    print(f"  everyone / changed = {t_all / t_changed:.2f}x (same people)")


if __name__ == "__main__":
    main()
