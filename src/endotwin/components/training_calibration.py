"""Calibration of the training-adaptation rates to their published targets (exact, no solver).

The three training states share one linear form, with Y the adaptation above baseline,
``s`` the stimulus (piecewise constant: on during a session, 0 between), ``k`` the rate per minute
of stimulus, ``Ymax`` the ceiling and ``tau`` the detraining time constant::

    dY/dt = k*s*(Ymax - Y) - Y/tau

On a constant piece the solution is exact: Y -> Y_inf + (Y - Y_inf)*exp(-lambda*dt) with
lambda = k*s + 1/tau and Y_inf = k*s*Ymax/lambda. ``k`` is found by bisection so that the
protocol of the target study reaches the published change (the model's own equations are the same,
see :mod:`endotwin.components.mitochondria`, :mod:`endotwin.components.glut4`,
:mod:`endotwin.components.training`). The GLUT4 protocol is re-simulated with the ODE solver
in ``tests/test_training_sensitivity.py`` (1.6-fold met to 1e-3); the mitochondrial and lean
targets are not re-simulated by a test.

Targets (``docs/research/resistance-mechanisms.md``):

- mitochondria: 6 sessions in 2 weeks (days 0, 2, 4, 7, 9, 11), taken as 20 min at 0.9 of the
  VO2 reserve (stimulus intensity^2 = 0.81), +38% citrate synthase 48 h after the last session
  (Burgomaster 2005);
- GLUT4: 12 weeks of training 4 days/week, 40-45 min/day (Houmard 1996, abstract; taken as days
  0, 1, 3, 4 of each week, 42.5 min), 1.6-fold at the end; the intensity, 0.65 (stimulus =
  intensity), is an ASSUMPTION (the abstract gives none);
- lean mass: 20 weeks of 3 x 45 min/week strength training (stimulus 1), +1.1 kg (Peterson 2011).
"""

from __future__ import annotations

import math
from functools import cache

MIN_PER_DAY = 1440.0
WEEK_DAYS = (0, 2, 4)
#: Houmard 1996 trained 4 days a week (which days is not given: MODEL CHOICE)
HOUMARD_DAYS = (0, 1, 3, 4)


def _sessions(weeks: int, days: tuple[int, ...] = WEEK_DAYS) -> list[float]:
    return [(7 * w + d) * MIN_PER_DAY + 17 * 60.0 for w in range(weeks) for d in days]


def adaptation_after(
    k: float,
    stim: float,
    ymax: float,
    tau_day: float,
    starts: list[float],
    dur: float,
    t_end: float,
) -> float:
    """Y at ``t_end`` [min] after sessions starting at ``starts`` [min] of ``dur`` min each."""
    y, t = 0.0, 0.0
    leak = 1.0 / (tau_day * MIN_PER_DAY)
    for s0 in starts:
        y *= math.exp(-leak * (s0 - t))
        lam = k * stim + leak
        y_inf = k * stim * ymax / lam
        y = y_inf + (y - y_inf) * math.exp(-lam * dur)
        t = s0 + dur
    return y * math.exp(-leak * (t_end - t))


def _solve(
    target: float,
    stim: float,
    ymax: float,
    tau_day: float,
    starts: list[float],
    dur: float,
    t_end: float,
) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if adaptation_after(mid, stim, ymax, tau_day, starts, dur, t_end) < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# (target Y, stimulus, Ymax, tau [day], sessions, duration [min], end [min])
TARGETS = {
    "k_mito": (
        0.38,
        0.9**2,
        0.9,
        7.7 / math.log(2.0),
        [(d * MIN_PER_DAY + 17 * 60.0) for d in (0, 2, 4, 7, 9, 11)],
        20.0,
        13 * MIN_PER_DAY + 17 * 60.0,
    ),
    "k_GLUT4": (0.6, 0.65, 1.0, 9.5, _sessions(12, HOUMARD_DAYS), 42.5, 84 * MIN_PER_DAY),
    "k_lean_rt": (1.1, 1.0, 3.0, 120.0, _sessions(20), 45.0, 140 * MIN_PER_DAY),
}


@cache
def calibrated_rates() -> dict[str, float]:
    """``{parameter: rate per minute of stimulus}`` meeting the targets above."""
    return {name: _solve(*args) for name, args in TARGETS.items()}
