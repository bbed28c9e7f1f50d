"""The fast that calibrates the liver glycogen store (Landau 1996, Boden 1996).

Landau et al. 1996 (J Clin Invest 98:378, abstract) gave healthy subjects deuterated water and
measured the fraction of glucose production formed by gluconeogenesis after 14, 22 and 42 h of
fasting: 47 +/- 4 %, 67 +/- 4 % and 93 +/- 2 %. Fasting is counted from the evening meal.
Boden et al. 1996 (JCEM 81:3419) followed healthy people through a fast: plasma glucose fell
from 88 mg/dL at 12 h to 63 mg/dL at 52 h (ratio 0.716; its uncertainty here, 0.03, is a
MODEL CHOICE: the group means' SEs were not read).

The model side: the person eats their habitual day for ``HABITUAL_DAYS`` days (the store is on
its periodic orbit, x = 1 at 07:00) and nothing after the last dinner; the gluconeogenic share
of glucose production is read at 14, 22 and 42 h after that dinner starts.
``scripts/calibrate_liver_glycogen.py`` fits ``liver_gng_share``, ``tau_liver_glycogen`` and
``liver_gng_autoregulation`` to the three fractions and the glucose ratio (weighted by their
errors); tests check that the shipped values reproduce them. Rothman 1991's fractions (64 % of
production over the first 22 h, 82 % over the next 14 h, 96 % over the next 18 h) are not used:
they are the independent check (:func:`rothman_period_fractions`).
"""

from __future__ import annotations

import numpy as np

from ..person import Person

#: Landau 1996 abstract: hours of fasting -> (gluconeogenic fraction, its +/-)
LANDAU_1996 = {14.0: (0.47, 0.04), 22.0: (0.67, 0.04), 42.0: (0.93, 0.02)}
#: Boden 1996: plasma glucose at 52 h over that at 12 h of fasting, and its MODEL CHOICE error
BODEN_1996_GLUCOSE_RATIO = (63.0 / 88.0, 0.03)
#: Rothman 1991 abstract: (start h, end h) of each period -> gluconeogenic share of production
ROTHMAN_1991 = {(0.0, 22.0): (0.64, 0.05), (22.0, 36.0): (0.82, 0.05), (36.0, 54.0): (0.96, 0.01)}
#: Valsdottir 2019 (abstract): fasting glucose after 3 weeks of an isocaloric diet with 3 % of
#: energy from carbohydrate (19 % protein, 78 % fat) over that before, 4.4/4.7 mmol/L; its error
#: (0.1/4.7, the reported +/- of one mean) is a MODEL CHOICE: the SE of the change was not read
VALSDOTTIR_2019_GLUCOSE_RATIO = (4.4 / 4.7, 0.1 / 4.7)
#: the diet and its length, in endotwin's protocol language
VALSDOTTIR_2019_PROTOCOL = "3% carbs, 19% protein for 3 weeks"
VALSDOTTIR_2019_DAYS = 21
#: habitual days eaten before the fast
HABITUAL_DAYS = 2
_SHARE = "Gluconeogenic share of glucose production [1]"


def fast_after_habitual_days(
    people: Person | list[Person] | None = None,
    hours: float = 54.0,
    parameters: dict[str, list[float]] | None = None,
    outputs: tuple[str, ...] = (_SHARE,),
    output_interval_min: float = 30.0,
):
    """Simulate ``HABITUAL_DAYS`` habitual days, then a fast of ``hours`` from the last dinner.

    Returns the solution and the time [min] at which the last dinner starts.
    """
    from ..physiology import habitual_day, simulate_physiology
    from ..simulate import as_people

    group = as_people(people)
    schedules = [habitual_day(p, days=HABITUAL_DAYS) for p in group]
    dinner = schedules[0].meals[-1].time_min
    days = (dinner + hours * 60.0) / 1440.0 + 1.0 / 24.0
    sol = simulate_physiology(
        group,
        schedules,
        days=days,
        parameters=parameters,
        outputs=list(outputs),
        output_interval_min=output_interval_min,
    )
    return sol, dinner


def gluconeogenic_fractions(sol, dinner_min: float, hours=tuple(LANDAU_1996)) -> np.ndarray:
    """Gluconeogenic share of glucose production at ``hours`` after the last dinner (person x h)."""
    t = sol.dataset["time"].values
    share = sol.dataset[_SHARE].values
    return np.array([[np.interp(dinner_min + h * 60.0, t, s) for h in hours] for s in share])


def glucose_ratio(sol, dinner_min: float, h0: float = 12.0, h1: float = 52.0) -> np.ndarray:
    """Plasma glucose at ``h1`` over that at ``h0`` hours after the last dinner (per person)."""
    t = sol.dataset["time"].values
    g = sol.dataset["Plasma glucose [mg/dL]"].values
    return np.array(
        [
            np.interp(dinner_min + h1 * 60.0, t, gi) / np.interp(dinner_min + h0 * 60.0, t, gi)
            for gi in g
        ]
    )


def rothman_period_fractions(sol, dinner_min: float) -> np.ndarray:
    """Share of glucose production from gluconeogenesis integrated over Rothman's periods.

    Rothman 1991 counts the fast from the evening meal too; each period's share is the ratio
    of the time integrals of gluconeogenesis and of glucose production (person x period).
    """
    t = sol.dataset["time"].values
    gng = sol.dataset["Gluconeogenesis [mg/kg/min]"].values
    egp = sol.dataset["Endogenous glucose production [mg/kg/min]"].values
    out = []
    for a, b in ROTHMAN_1991:
        m = (t >= dinner_min + a * 60.0) & (t <= dinner_min + b * 60.0)
        out.append(np.trapezoid(gng[:, m], t[m], axis=1) / np.trapezoid(egp[:, m], t[m], axis=1))
    return np.array(out).T


def valsdottir_person() -> Person:
    """Valsdottir 2019's participants: 17 women, 23.5 years, BMI 21.0 (height a MODEL CHOICE,
    166 cm, so weight 57.9 kg)."""
    height = 166.0
    return Person(weight_kg=21.0 * (height / 100) ** 2, sex="female", age=23.5, height_cm=height)


def low_carbohydrate_ratios(
    parameters: dict[str, list[float]] | None = None,
    outputs: tuple[str, ...] = ("Plasma glucose [mg/dL]",),
) -> dict[str, float]:
    """Each output at 07:00 on the last day of Valsdottir 2019's diet over the habitual one.

    The same person is simulated on the habitual day and on the diet for
    ``VALSDOTTIR_2019_DAYS`` days (one pair of runs for all ``outputs``); the glucose ratio is
    compared with ``VALSDOTTIR_2019_GLUCOSE_RATIO``.
    """
    from ..physiology import FASTING_HOUR, simulate_physiology

    who = valsdottir_person()
    t = (VALSDOTTIR_2019_DAYS - 1) * 1440.0 + FASTING_HOUR * 60.0
    runs = []
    for schedule in (None, VALSDOTTIR_2019_PROTOCOL):
        ds = simulate_physiology(
            who,
            schedule,
            days=VALSDOTTIR_2019_DAYS,
            parameters=parameters,
            outputs=list(outputs),
            output_interval_min=60.0,
        ).dataset
        runs.append({k: float(np.interp(t, ds["time"].values, ds[k].values[0])) for k in outputs})
    return {k: runs[1][k] / runs[0][k] for k in outputs}


def low_carbohydrate_glucose_ratio(parameters: dict[str, list[float]] | None = None) -> float:
    """Fasting glucose after Valsdottir 2019's diet over the habitual one (the fit's target)."""
    return low_carbohydrate_ratios(parameters)["Plasma glucose [mg/dL]"]


CALIBRATION_OUTPUTS = (
    _SHARE,
    "Plasma glucose [mg/dL]",
    "Gluconeogenesis [mg/kg/min]",
    "Endogenous glucose production [mg/kg/min]",
)
