"""Exercise intensity -> the model's ``exercise_intensity`` (fraction of the VO2 reserve).

The meal-level exercise model is driven by the fraction of the oxygen-uptake reserve I
(:mod:`endotwin.components.exercise`; %VO2R ~ %HRR, Swain & Leutholtz 1997). People give
intensity in other units; each is converted with the person's VO2max and resting VO2:

- ``%VO2R``: I = value/100;
- ``%VO2max``: I = (value/100*VO2max - VO2rest)/(VO2max - VO2rest) (ACSM definition of the reserve);
- ``MET``: I = (value*3.5 - VO2rest)/(VO2max - VO2rest) (1 MET = 3.5 mL/kg/min);
- ``RPE`` (Borg 6-20): piecewise linear through the ACSM category limits (Garber et al. 2011,
  Table 4; ACSM 10th ed.): RPE 9 = 30% VO2R (very light/light), 12 = 40% (moderate), 14 = 60%
  (vigorous), 18 = 90% (near-maximal); RPE 6 (no exertion) = 0 and 20 (maximal) = 100%.

Default intensity of an activity, when none is given:

- walk: brisk walking, 3.5 mph, 4.3 METs (Ainsworth 2011 Compendium, code 17200);
- aerobic: 50% VO2R, the middle of ACSM "moderate" (40-59%; Garber 2011);
- strength: 3.5 METs, resistance training with multiple exercises, 8-15 repetitions (Compendium
  code 02054);
- HIIT: 90% VO2R, the session dose on which the mitochondrial adaptation rate was calibrated
  (Burgomaster 2005 as encoded in the ``mechanisms`` parameter set), so that "HIIT 3x/week 20 min"
  is the calibrated stimulus.
"""

from __future__ import annotations

import numpy as np

from ..citations import Citation, register

register(
    Citation(
        "Garber2011",
        "Garber CE, Blissmer B, Deschenes MR, et al. Quantity and quality of exercise for "
        "developing and maintaining cardiorespiratory, musculoskeletal, and neuromotor fitness in "
        "apparently healthy adults. Med Sci Sports Exerc 43(7):1334-1359, 2011.",
        "10.1249/MSS.0b013e318213fefb",
    )
)
register(
    Citation(
        "Ainsworth2011",
        "Ainsworth BE, Haskell WL, Herrmann SD, et al. 2011 Compendium of Physical Activities: a "
        "second update of codes and MET values. Med Sci Sports Exerc 43(8):1575-1581, 2011.",
        "10.1249/MSS.0b013e31821ece12",
    )
)

ML_O2_PER_MET = 3.5  # mL/kg/min (Jette 1990)
_RPE_KNOTS = (6.0, 9.0, 12.0, 14.0, 18.0, 20.0)
_VO2R_KNOTS = (0.0, 0.30, 0.40, 0.60, 0.90, 1.0)
#: activity -> (value, unit) used when a step gives no intensity
DEFAULT_INTENSITY: dict[str, tuple[float, str]] = {
    "walk": (4.3, "MET"),
    "aerobic": (50.0, "%VO2R"),
    "strength": (3.5, "MET"),
    "hiit": (90.0, "%VO2R"),
}
#: activity -> the exercise kind of the model's schedule
MODEL_KIND = {"walk": "aerobic", "aerobic": "aerobic", "hiit": "hiit", "strength": "strength"}


def vo2_reserve_fraction(value: float, unit: str, vo2max: float, vo2rest: float) -> float:
    """Fraction of the VO2 reserve for an intensity ``value`` in ``unit``.

    Raises ValueError when the intensity is at or below rest or above VO2max for this person.
    """
    if unit == "%VO2R":
        frac = value / 100.0
    elif unit == "%VO2max":
        frac = (value / 100.0 * vo2max - vo2rest) / (vo2max - vo2rest)
    elif unit == "MET":
        frac = (value * ML_O2_PER_MET - vo2rest) / (vo2max - vo2rest)
    elif unit == "RPE":
        frac = float(np.interp(value, _RPE_KNOTS, _VO2R_KNOTS))
    else:
        raise ValueError(f"unknown intensity unit {unit!r}")
    if not 0.0 < frac <= 1.0:
        raise ValueError(
            f"{value:g} {unit} is {100 * frac:.0f}% of this person's VO2 reserve (VO2max "
            f"{vo2max:g} mL/kg/min); accepted: above rest and at most VO2max"
        )
    return frac
