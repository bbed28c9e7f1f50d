"""Calibrate the liver glycogen store (``liver_gng_share``, ``tau_liver_glycogen``,
``liver_gng_autoregulation`` in set ``mechanisms``).

Targets (no validation study is used): Landau 1996's gluconeogenic fractions of glucose
production after 14, 22 and 42 h of fasting and Boden 1996's fall of plasma glucose between 12
and 52 h of fasting (:mod:`endotwin.components.liver_glycogen_calibration`). The demo person
eats two habitual days and then nothing after the second dinner; the three parameters are fitted
by weighted least squares (scipy.optimize.least_squares), residuals divided by the published
errors. Rothman 1991's period fractions are printed as the independent check.

Run: ``python scripts/calibrate_liver_glycogen.py`` (about 5 minutes on 2 cores). Put the printed
values in ``LIVER_GNG_SHARE``, ``TAU_LIVER_GLYCOGEN`` and ``LIVER_GNG_AUTOREGULATION`` in
``src/endotwin/parameters/sets/mechanisms.py``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import least_squares

from endotwin.components.liver_glycogen_calibration import (
    BODEN_1996_GLUCOSE_RATIO,
    CALIBRATION_OUTPUTS,
    LANDAU_1996,
    fast_after_habitual_days,
    gluconeogenic_fractions,
    glucose_ratio,
    rothman_period_fractions,
)

START = (0.428, 12.86, 0.334)


def simulate(theta: np.ndarray):
    g, tau, c = (float(v) for v in theta)
    params = {
        "liver_gng_share": [g],
        "tau_liver_glycogen": [tau],
        "liver_gng_autoregulation": [c],
    }
    return fast_after_habitual_days(None, parameters=params, outputs=CALIBRATION_OUTPUTS)


def residuals(theta: np.ndarray) -> np.ndarray:
    sol, dinner = simulate(theta)
    frac = gluconeogenic_fractions(sol, dinner)[0]
    target = np.array([m for m, _ in LANDAU_1996.values()])
    err = np.array([e for _, e in LANDAU_1996.values()])
    ratio = glucose_ratio(sol, dinner)[0]
    r = np.append(
        (frac - target) / err, (ratio - BODEN_1996_GLUCOSE_RATIO[0]) / BODEN_1996_GLUCOSE_RATIO[1]
    )
    print(np.round(theta, 4), "fractions", np.round(frac, 3), "glucose ratio", round(ratio, 3))
    return r


def main() -> None:
    fit = least_squares(
        residuals, START, bounds=([0.2, 3.0, 0.0], [0.8, 30.0, 3.0]), diff_step=0.02, xtol=1e-3
    )
    g, tau, c = fit.x
    sol, dinner = simulate(fit.x)
    print(f"LIVER_GNG_SHARE = {g:.3f}")
    print(f"TAU_LIVER_GLYCOGEN = {tau:.2f}")
    print(f"LIVER_GNG_AUTOREGULATION = {c:.3f}")
    print(
        "Landau 1996 fractions (14, 22, 42 h):",
        np.round(gluconeogenic_fractions(sol, dinner)[0], 3),
    )
    print("Boden 1996 glucose ratio 52 h / 12 h:", np.round(glucose_ratio(sol, dinner)[0], 3))
    print(
        "Rothman 1991 period fractions (check):",
        np.round(rothman_period_fractions(sol, dinner)[0], 3),
    )


if __name__ == "__main__":
    main()
