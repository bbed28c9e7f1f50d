"""Glycaemic index -> the meal's gut-rate factor (calibrated to the definition of GI).

GI is defined (FAO/WHO 1998; ISO 26642:2010) as the incremental area under the blood-glucose curve
over 2 h after 50 g of available carbohydrate, relative to the same amount of glucose, x 100;
the area below fasting is ignored and blood is sampled at 0, 15, 30, 45, 60, 90 and 120 min.
The meal model's absorption (Dalla Man 2006/2007) was identified on mixed meals, which we take to be
the person's habitual diet, of GI ``GI_HABITUAL`` (the mean US adult diet, 55.7, Della Corte 2024).
A diet of another GI scales the meal's gastric-emptying and absorption rate constants by a factor
r (:mod:`endotwin.components.meal`) chosen so that the model's 2-h iAUC of a 50 g carbohydrate
meal, sampled as the standard prescribes, changes in proportion::

    iAUC_2h(r) / iAUC_2h(1) = GI / GI_HABITUAL

The relation r(GI) is computed by ``scripts/calibrate_glycaemic_index.py`` on the Dalla Man 2007
normal subject and shipped as ``data/gi_gut_rate.csv``; the test suite re-simulates points of it.
Outside the table's range a GI is refused (nothing is extrapolated).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import numpy as np

from .presets import HABITUAL, presets

GI_SAMPLE_TIMES_MIN = (0.0, 15.0, 30.0, 45.0, 60.0, 90.0, 120.0)
GI_TEST_CARBS_G = 50.0


def gi_habitual() -> float:
    """GI of the habitual diet (the meal model's fitted absorption), glucose scale."""
    return presets()[HABITUAL].glycaemic_index


def incremental_auc(t_min: np.ndarray, glucose: np.ndarray) -> float:
    """ISO 26642 incremental AUC [mg/dL min]: trapezoids above the fasting value (the area below
    it ignored, crossings interpolated), from samples at ``t_min`` (first = fasting)."""
    inc = np.asarray(glucose, dtype=float) - float(glucose[0])
    area = 0.0
    for (t0, a), (t1, b) in zip(
        zip(t_min, inc, strict=True), zip(t_min[1:], inc[1:], strict=True), strict=False
    ):
        dt = t1 - t0
        if a >= 0 and b >= 0:
            area += dt * (a + b) / 2
        elif a >= 0 > b:
            area += a * a / (a - b) * dt / 2
        elif b >= 0 > a:
            area += b * b / (b - a) * dt / 2
    return area


def simulate_iauc_ratios(factors: np.ndarray, start_min: float = 60.0) -> np.ndarray:
    """2-h iAUC (ISO sampling) of a 50 g carbohydrate meal in the Dalla Man 2007 normal subject
    at each gut-rate factor, relative to factor 1 (the calibration behind the shipped table)."""
    from ..person import Person
    from ..schedule import Meal, Schedule
    from ..simulate import simulate

    person = Person(weight_kg=78.0, parameter_set="dallaman2007_normal")
    allf = np.concatenate([[1.0], np.asarray(factors, dtype=float)])
    schedules = [
        Schedule(meals=[Meal(start_min, GI_TEST_CARBS_G, duration_min=15.0, gut_rate=f)])
        for f in allf
    ]
    sol = simulate([person] * len(allf), schedules, duration_min=start_min + 180.0)
    t = sol.time_min
    ts = np.array(GI_SAMPLE_TIMES_MIN)
    areas = np.array(
        [
            incremental_auc(ts, np.interp(start_min + ts, t, g))
            for g in sol["Plasma glucose [mg/dL]"].values
        ]
    )
    return areas[1:] / areas[0]


@lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, np.ndarray]:
    text = files("endotwin.protocols").joinpath("data/gi_gut_rate.csv").read_text()
    rows = np.array(
        [[float(x) for x in line.split(",")] for line in text.splitlines()[1:] if line.strip()]
    )
    return rows[:, 0], rows[:, 1]  # gut-rate factor, iAUC ratio (increasing together)


def gi_range() -> tuple[float, float]:
    """The GI values the calibration covers (glucose scale)."""
    _, ratio = _table()
    return float(ratio[0] * gi_habitual()), float(ratio[-1] * gi_habitual())


def gut_rate_for_gi(gi: float) -> float:
    """The meal gut-rate factor r for a diet of glycaemic index ``gi`` (glucose scale)."""
    r, ratio = _table()
    lo, hi = gi_range()
    if not lo <= gi <= hi:
        raise ValueError(
            f"a glycaemic index of {gi:.1f} is outside the calibrated {lo:.0f}-{hi:.0f}"
        )
    return float(np.exp(np.interp(gi / gi_habitual(), ratio, np.log(r))))
