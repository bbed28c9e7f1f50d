"""Calibrate the liver glycogen store (``liver_gng_share``, ``tau_liver_glycogen``,
``liver_gng_autoregulation``, ``liver_gng_adaptation``, ``tau_liver_gng_adaptation`` in set
``mechanisms``).

Targets (no validation study is used): Landau 1996's gluconeogenic fractions of glucose
production after 14, 22 and 42 h of fasting, Boden 1996's fall of plasma glucose between 12
and 52 h of fasting, and Valsdottir 2019's fasting glucose after 3 weeks of an isocaloric diet
with 3 % of energy from carbohydrate (:mod:`endotwin.components.liver_glycogen_calibration`).
The demo person eats two habitual days and then nothing after the second dinner; Valsdottir's
women eat their habitual day or the diet for 21 days. The parameters are fitted by weighted
least squares (scipy.optimize.least_squares), residuals divided by the published errors, five
targets for four parameters (the adaptation's time constant is a MODEL CHOICE, see
``TAU_ADAPTATION_H``). Rothman 1991's period fractions are printed as the independent
check.

Run: ``python scripts/calibrate_liver_glycogen.py`` (a few minutes on 2 cores). Put the printed
values in ``LIVER_GNG_SHARE``, ``TAU_LIVER_GLYCOGEN``, ``LIVER_GNG_AUTOREGULATION``,
``LIVER_GNG_ADAPTATION`` and ``TAU_LIVER_GNG_ADAPTATION`` in
``src/endotwin/parameters/sets/mechanisms.py``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import least_squares

from endotwin.components.liver_glycogen_calibration import (
    BODEN_1996_GLUCOSE_RATIO,
    CALIBRATION_OUTPUTS,
    LANDAU_1996,
    VALSDOTTIR_2019_GLUCOSE_RATIO,
    fast_after_habitual_days,
    gluconeogenic_fractions,
    glucose_ratio,
    low_carbohydrate_glucose_ratio,
    rothman_period_fractions,
)

NAMES = (
    "liver_gng_share",
    "tau_liver_glycogen",
    "liver_gng_autoregulation",
    "liver_gng_adaptation",
)
START = (0.428, 12.86, 0.3, 0.8)
BOUNDS = ([0.2, 3.0, 0.0, 0.0], [0.8, 30.0, 3.0, 5.0])
#: MODEL CHOICE, not fitted: with it free the fit runs along a ridge (Valsdottir measured only at
#: 3 weeks); Boden's 52-h glucose needs it above about 200 h, and any longer value is matched by
#: a larger gain. Two weeks sits inside that range.
TAU_ADAPTATION_H = 336.0


def parameters(theta: np.ndarray) -> dict[str, list[float]]:
    values = {k: [float(v)] for k, v in zip(NAMES, theta, strict=True)}
    values["tau_liver_gng_adaptation"] = [TAU_ADAPTATION_H]
    return values


def simulate(theta: np.ndarray):
    return fast_after_habitual_days(None, parameters=parameters(theta), outputs=CALIBRATION_OUTPUTS)


def residuals(theta: np.ndarray) -> np.ndarray:
    sol, dinner = simulate(theta)
    frac = gluconeogenic_fractions(sol, dinner)[0]
    target = np.array([m for m, _ in LANDAU_1996.values()])
    err = np.array([e for _, e in LANDAU_1996.values()])
    ratio = glucose_ratio(sol, dinner)[0]
    low_carb = low_carbohydrate_glucose_ratio(parameters(theta))
    r = np.concatenate(
        [
            (frac - target) / err,
            [(ratio - BODEN_1996_GLUCOSE_RATIO[0]) / BODEN_1996_GLUCOSE_RATIO[1]],
            [(low_carb - VALSDOTTIR_2019_GLUCOSE_RATIO[0]) / VALSDOTTIR_2019_GLUCOSE_RATIO[1]],
        ]
    )
    print(
        np.round(theta, 4),
        "fractions",
        np.round(frac, 3),
        "glucose ratio",
        round(ratio, 3),
        "low carbohydrate",
        round(low_carb, 3),
        flush=True,
    )
    return r


def main() -> None:
    fit = least_squares(
        residuals, START, bounds=BOUNDS, x_scale=np.array(START), diff_step=0.02, xtol=1e-3
    )
    g, tau, c, c_a = fit.x
    sol, dinner = simulate(fit.x)
    print(f"LIVER_GNG_SHARE = {g:.3f}")
    print(f"TAU_LIVER_GLYCOGEN = {tau:.2f}")
    print(f"LIVER_GNG_AUTOREGULATION = {c:.3f}")
    print(f"LIVER_GNG_ADAPTATION = {c_a:.3f}")
    print(f"TAU_LIVER_GNG_ADAPTATION = {TAU_ADAPTATION_H:.1f} (not fitted)")
    print(
        "Valsdottir 2019 glucose ratio (3 weeks, 3 % carbohydrate):",
        round(low_carbohydrate_glucose_ratio(parameters(fit.x)), 3),
    )
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
