"""Tabulate the meal gut-rate factor r against the 2-h iAUC ratio (see
endotwin.protocols.glycaemic_index). Run: python scripts/calibrate_glycaemic_index.py"""

from pathlib import Path

import numpy as np

import endotwin as et
from endotwin.protocols.glycaemic_index import (
    GI_SAMPLE_TIMES_MIN,
    GI_TEST_CARBS_G,
    incremental_auc,
)

OUT = Path(__file__).parent.parent / "src/endotwin/protocols/data/gi_gut_rate.csv"
START = 60.0  # min of fasting steady state before the test meal


def iauc_ratios(factors: np.ndarray) -> np.ndarray:
    """2-h iAUC of a 50 g carbohydrate meal at each gut-rate factor, relative to factor 1."""
    person = et.Person(weight_kg=78.0, parameter_set="dallaman2007_normal")
    allf = np.concatenate([[1.0], factors])
    schedules = [
        et.Schedule(meals=[et.Meal(START, GI_TEST_CARBS_G, duration_min=15.0, gut_rate=f)])
        for f in allf
    ]
    sol = et.simulate([person] * len(allf), schedules, duration_min=START + 180.0)
    t = sol.time_min
    g = sol["Plasma glucose [mg/dL]"].values
    ts = np.array(GI_SAMPLE_TIMES_MIN)
    areas = np.array([incremental_auc(ts, np.interp(START + ts, t, gi)) for gi in g])
    return areas[1:] / areas[0]


def main() -> None:
    factors = np.exp(np.linspace(np.log(0.15), np.log(4.0), 40))
    factors = np.sort(np.append(factors, 1.0))  # the fitted meal exactly on the grid
    ratios = iauc_ratios(factors)
    assert np.all(np.diff(ratios) > 0), "iAUC must rise with the gut rate"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = ["gut_rate_factor,iauc_ratio"] + [
        f"{f:.6f},{r:.6f}" for f, r in zip(factors, ratios, strict=True)
    ]
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT}: ratio {ratios[0]:.3f}-{ratios[-1]:.3f}")


if __name__ == "__main__":
    main()
