"""Sampling spread of the leptin - % body fat correlation in Considine 1996's virtual people.

Considine 1996 published r = 0.85 for n = 275 (95 % CI 0.81-0.88 by Fisher's z). How much a
virtual-population r varies with the number of people decides how many the study needs
(``min_n`` in ``considine1996_leptin.yaml``). This script draws the study's population at several
sizes and seeds and computes r from the leptin set level of each person (``leptin_set`` of
:mod:`endotwin.components.leptin`: a_sex * (Fat/FM_ref)^b at the baseline fat mass, f_age = 1 by
default). The validation run reads the simulated daily mean leptin, which at the habitual
steady state is this set level times the daily mean of the fast factor, 1 by construction.

Run: ``python scripts/considine_r_sampling.py`` (about 1 min).
"""

from __future__ import annotations

import numpy as np

from endotwin.parameters import get_parameter_set
from endotwin.population import virtual_population
from endotwin.validation.study import get_study


def set_levels(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Leptin set level [ng/mL], % body fat, fat mass [kg] and sex (True = male) of ``n``
    virtual people drawn to Considine's baseline."""
    st = get_study("considine1996_leptin")
    c = virtual_population(st.population, n, seed, label=st.name).covariates
    v = get_parameter_set("leptin_appetite").values()
    pct = c["body_fat_pct"].to_numpy()
    fat = c["weight_kg"].to_numpy() * pct / 100.0
    male = (c["sex"] == "male").to_numpy()
    a = np.where(male, v["leptin_a_male"], v["leptin_a_female"])
    return a * (fat / v["leptin_FM_ref"]) ** v["leptin_b"], pct, fat, male


def set_level_r(n: int, seed: int) -> float:
    """Pearson r of the leptin set level with % body fat across ``n`` virtual people."""
    leptin, pct, _, _ = set_levels(n, seed)
    return float(np.corrcoef(leptin, pct)[0, 1])


def spread(n: int, seeds: range) -> tuple[float, float]:
    """Mean and SD of r over ``seeds`` draws of ``n`` people."""
    r = np.array([set_level_r(n, s) for s in seeds])
    return float(r.mean()), float(r.std(ddof=1))


if __name__ == "__main__":
    for n, seeds in ((40, range(30)), (275, range(10)), (2000, range(3))):
        m, sd = spread(n, seeds)
        print(f"n = {n:5d}: r = {m:.3f} +/- {sd:.3f} (SD over {len(seeds)} seeds)")
    leptin, pct, fat, male = set_levels(3000, 11)

    def r(x: np.ndarray, y: np.ndarray) -> float:
        return float(np.corrcoef(x, y)[0, 1])

    print(
        f"3000 people: r with % fat {r(leptin, pct):.3f} (men {r(leptin[male], pct[male]):.3f}, "
        f"women {r(leptin[~male], pct[~male]):.3f}); r with fat mass [kg] {r(leptin, fat):.3f}"
    )
