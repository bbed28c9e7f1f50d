"""Draw and match every validation study's virtual people at several seeds; report failures.

The morning fasting and HbA1c secretion match
(:func:`endotwin.population.morning.match_morning_fasting`) simulates each virtual person's
habitual days for several trial parameter sets. A trial whose day
the model cannot simulate is stepped back from; a person whose very first day fails is refused
with a ``SolverError`` (docs/population.md, step 10). Session 16 met such a person only when a
whole validation run reached them (CALERIE 2 at ``--seed 2``). This script exercises the match
alone, on the populations the runner draws (``runner.study_population``, 40 people; studies with a
screening, the DPP, and without burn-in days, the Dalla Man meal, are skipped), and prints per
study and seed: the people outside the morning tolerance, those outside the secretion tolerance,
the largest secretion factor, and whether any trial state was stepped back from.

Run: ``python scripts/population_match_sweep.py 1,2,3`` (about 15 s per study and seed).
"""

from __future__ import annotations

import argparse
import sys
import time

from endotwin.validation.runner import _study_seed, study_population
from endotwin.validation.study import all_studies

N_PEOPLE = 40


def main(seeds: list[int]) -> int:
    """Print one line per study and seed; return the number of populations that raised."""
    errors = 0
    for seed in seeds:
        for st in all_studies():
            if st.screening is not None or st.burn_in_days <= 0:
                continue
            t0 = time.perf_counter()
            try:
                m = study_population(st, N_PEOPLE, _study_seed(seed, st.name))
            except Exception as e:  # a sweep reports every failure and goes on
                errors += 1
                print(f"{seed} {st.name} ERROR {type(e).__name__}: {e}", flush=True)
                continue
            c = m.covariates
            normal = c["parameter_set"] == "dallaman2007_normal"
            stepped = any("could not simulate" in n for n in m.notes)
            print(
                f"{seed} {st.name}: {time.perf_counter() - t0:.0f} s; morning unmatched "
                f"{int((~c['morning_matched']).sum())}, secretion unmatched "
                f"{int((~c['secretion_matched'] & normal).sum())}, largest factor "
                f"{float(c['secretion_factor'].max()):.2f}"
                + ("; a trial state was stepped back from" if stepped else ""),
                flush=True,
            )
    return errors


def _seeds(text: str) -> list[int]:
    """Comma-separated non-negative integer seeds, or a clear error naming the value."""
    try:
        seeds = [int(x) for x in text.split(",")]
    except ValueError:
        seeds = []
    if not seeds or min(seeds) < 0:
        raise argparse.ArgumentTypeError(
            f"seeds: got {text!r}; expected comma-separated integers >= 0, e.g. 1,2,3"
        )
    return seeds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", type=_seeds, default=[1, 2, 3])
    sys.exit(1 if main(parser.parse_args().seeds) else 0)
