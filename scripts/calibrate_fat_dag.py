"""Calibrate ``e_DAG_fat``, the fat-mass exponent of ectopic lipid (DAG), in set ``mechanisms``.

Target (no prediction study is used): the NHANES cross-sectional gradient of fasting HOMA-IR
with fat mass. Martinez 2017 (Table 5) gives mean HOMA-IR by sex-specific body-fat-% quintile
(NHANES 1999-2006, n = 5983); the quintiles' mean ln fat mass comes from the shipped NHANES
2017-18 copula (body-fat %, BMI, height). The slope of ln HOMA-IR on mean ln fat mass is the
target elasticity (men and women averaged).

Model side: people drawn like a validation population (age 45 +/- 12, BMI 30 +/- 5, half women)
eat a 15% deficit for 2 years, by which time weight has nearly stopped changing (the remaining
energy deficit, the transient lipid-load term, is printed). Their d ln HOMA-IR / d ln fat mass
(fasting, 07:00, end vs start) is computed for a grid of ``e_DAG_fat``, and the value that meets
the target is interpolated.

Run: ``python scripts/calibrate_fat_dag.py`` (about 2 minutes on 2 cores). Put the printed value
in ``E_DAG_FAT`` in ``src/endotwin/parameters/sets/mechanisms.py``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from endotwin.population import Baseline, Stat, virtual_population
from endotwin.population.glycaemia import MARTINEZ_MEANS
from endotwin.population.nhanes import load_nhanes_summary
from endotwin.validation.metrics import ArmData, morning
from endotwin.validation.runner import simulate_arms
from endotwin.validation.study import Study

GRID = (0.0, 0.5, 1.0, 1.5, 2.0)
N_PEOPLE = 6
WEEKS = 104


def nhanes_elasticity(n: int = 200_000, seed: int = 1) -> dict[str, float]:
    """d ln HOMA-IR / d ln fat mass across body-fat quintiles, per sex."""
    summary = load_nhanes_summary()
    rng = np.random.default_rng(seed)
    out = {}
    for sex in ("male", "female"):
        c = summary.copula(sex)
        z = rng.standard_normal((n, len(c.variables))) @ np.linalg.cholesky(c.correlation).T
        v = {k: c.marginals[k].from_normal_score(z[:, i]) for i, k in enumerate(c.variables)}
        weight = v["bmi"] * (v["height_cm"] / 100.0) ** 2
        fat = v["body_fat_pct"] / 100.0 * weight
        q = np.digitize(v["body_fat_pct"], np.quantile(v["body_fat_pct"], [0.2, 0.4, 0.6, 0.8]))
        ln_fat = np.array([np.log(fat[q == i]).mean() for i in range(5)])
        out[sex] = float(np.polyfit(ln_fat, np.log(MARTINEZ_MEANS), 1)[0])
    return out


def model_elasticity() -> dict[float, float]:
    base = Baseline(
        female_fraction=0.5,
        age=Stat(mean=45, sd=12, low=25, high=70),
        bmi=Stat(mean=30, sd=5, low=22, high=45),
        glycaemic_status="normal",
    )
    pop = virtual_population(base, N_PEOPLE, seed=20261124, label="fat-DAG calibration")
    people, rows = [], []
    for e in GRID:
        for p in pop.people:
            people.append(replace(p, parameters={**p.parameters, "e_DAG_fat": e}))
            rows.append(e)
    pop = replace(
        pop,
        people=tuple(people),
        covariates=pop.covariates.loc[np.tile(np.arange(N_PEOPLE), len(GRID))].reset_index(
            drop=True
        ),
    )
    study = Study.model_validate(
        {
            "name": "fat_dag_calibration",
            "title": "calibration run",
            "citation": "none",
            "design": "15% deficit for 2 years",
            "calibration": True,
            "population": base.model_dump(exclude_none=True),
            "population_source": "MODEL CHOICE",
            "arms": [{"name": "deficit", "protocol": f"15% deficit for {WEEKS} weeks"}],
            "duration_weeks": WEEKS,
            "outcomes": [  # not scored; the schema needs one
                {
                    "name": "weight",
                    "metric": "weight_kg",
                    "comparison": "within",
                    "arm": "deficit",
                    "time_weeks": WEEKS,
                    "unit": "kg",
                    "mean": 0.0,
                    "spread": 1.0,
                    "spread_kind": "SD",
                    "source": "none",
                }
            ],
        }
    )
    arm: ArmData = simulate_arms(study, pop)["deficit"]
    g0, g1 = (arm.at("Plasma glucose [mg/dL]", morning(t)) for t in (0, WEEKS))
    i0, i1 = (arm.at("Plasma insulin [uU/mL]", morning(t)) for t in (0, WEEKS))
    f0, f1 = (arm.at("Fat mass [kg]", morning(t)) for t in (0, WEEKS))
    dl_homa = np.log(g1 * i1) - np.log(g0 * i0)
    dl_fat = np.log(f1 / f0)
    rows = np.array(rows)
    return {e: float(np.mean(dl_homa[rows == e]) / np.mean(dl_fat[rows == e])) for e in GRID}


def main() -> None:
    target = nhanes_elasticity()
    t = float(np.mean(list(target.values())))
    print("NHANES d ln HOMA-IR / d ln fat mass:", {k: round(v, 3) for k, v in target.items()})
    print(f"target (mean of sexes): {t:.3f}")
    model = model_elasticity()
    for e, m in model.items():
        print(f"e_DAG_fat = {e:4.2f}: model elasticity {m:6.3f}")
    es, ms = np.array(list(model)), np.array(list(model.values()))
    if not (ms.min() <= t <= ms.max()):
        raise SystemExit("target outside the grid's range; widen GRID")
    order = np.argsort(ms)
    print(f"e_DAG_fat = {np.interp(t, ms[order], es[order]):.3f}")


if __name__ == "__main__":
    main()
