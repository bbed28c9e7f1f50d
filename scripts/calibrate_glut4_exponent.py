"""Calibrate ``e_GLUT4``, the exponent of GLUT4 content in insulin-stimulated uptake.

Target: Houmard et al. 1996 (J Appl Physiol 81:1162, abstract) measured, in the same people
after 12 weeks of training (4 d/week, 40-45 min), GLUT-4 1.6-fold and the minimal-model insulin
sensitivity index 1.9-fold. ``k_GLUT4`` is calibrated on that protocol's GLUT4
(:mod:`endotwin.components.training_calibration`); the lipid (DAG, Dube 2008) and inflammatory
(CRP, Fedewa 2017) relief of IRS-1 are calibrated on other studies. With content acting in
proportion (``e_GLUT4`` = 1, the former ASSUMPTION) the composed peripheral sensitivity was
2.22-fold (2.26 before e_DAG_fat was re-fitted in session 15). The exponent is set so that
the composed gain is Houmard's 1.9-fold:

    gain = rest * GLUT4^e      ->      e = ln(1.9 / rest) / ln(GLUT4)

where ``rest`` (IRS-1 signal and muscle mass) is read from the same simulation; it does not
depend on ``e_GLUT4``, which one more simulation at the new value checks.

The reading is the test's (``tests/test_training_sensitivity.py``): an 85-kg 50-year-old man,
the protocol's sessions at intensity 0.65, peripheral sensitivity at 07:00 of day 83.

Run: ``python scripts/calibrate_glut4_exponent.py`` (under a minute). Put the printed value in
``E_GLUT4`` in ``src/endotwin/parameters/sets/mechanisms.py``.
"""

from __future__ import annotations

import math

import numpy as np

from endotwin.components.training_calibration import TARGETS
from endotwin.person import Person
from endotwin.physiology import habitual_day, simulate_physiology
from endotwin.schedule import ExerciseBout, Schedule
from endotwin.solution import Solution

#: Houmard 1996: S_I 1.9-fold after 12 weeks
HOUMARD_SI = 1.9
_, INTENSITY, _, _, STARTS, SESSION_MIN, END_MIN = TARGETS["k_GLUT4"]
MORNING = END_MIN - 17 * 60  # 07:00 of day 83, ~38 h after the last session (not given)


def houmard_solution(e_glut4: float | None = None) -> Solution:
    """The 12 weeks of Houmard's protocol (``e_GLUT4`` None: the set's value); the test
    ``tests/test_training_sensitivity.py`` reads the same simulation."""
    params = {} if e_glut4 is None else {"e_GLUT4": e_glut4}
    p = Person(weight_kg=85, sex="male", age=50, height_cm=176, parameters=params)
    bouts = [ExerciseBout(s, SESSION_MIN, INTENSITY, kind="aerobic") for s in STARTS]
    days = round(END_MIN / 1440)  # 84: the whole 12 weeks
    schedule = Schedule(meals=habitual_day(p, days).meals, exercise=bouts)
    return simulate_physiology(p, schedule, days=days)


def read(sol: Solution, name: str, at_min: float) -> float:
    """One output of the (single-person) solution at a time [min]."""
    return float(np.interp(at_min, sol.time_min, np.asarray(sol[name]).ravel()))


def houmard_reading(e_glut4: float | None = None) -> dict[str, float]:
    """GLUT4 content and peripheral sensitivity at the reading (``e_GLUT4`` None: the set's)."""
    sol = houmard_solution(e_glut4)
    names = ("GLUT4 content [x baseline]", "Peripheral insulin sensitivity [x baseline]")
    return {k: read(sol, k, MORNING) for k in names}


def solve(e0: float = 1.0) -> float:
    """The exponent that makes the composed gain Houmard's."""
    r = houmard_reading(e0)
    glut4, gain = r["GLUT4 content [x baseline]"], r["Peripheral insulin sensitivity [x baseline]"]
    rest = gain / glut4**e0
    return math.log(HOUMARD_SI / rest) / math.log(glut4)


def main() -> None:
    e = solve()
    check = houmard_reading(e)
    print(f"e_GLUT4 = {e:.3f}")
    print(f"check: gain {check['Peripheral insulin sensitivity [x baseline]']:.3f} (target 1.9)")


if __name__ == "__main__":
    main()
