"""The model quantities that published outcomes are compared with, per virtual person.

A metric turns one simulated arm (:class:`ArmData`) and a time point into one value per person.
Conventions (stated once, used everywhere):

- **Fasting** values (glucose, insulin, HOMA-IR, QUICKI, sensitivities, body composition) are
  read at 07:00, before the habitual 08:00 breakfast, of day 0 (baseline) or of the last day of
  the period (week t -> day 7t - 1, 0-based). Trials weigh and draw blood in the morning fasted.
- **Leptin** is the mean over that day, because its 07:00 value also carries the previous
  evening's meal timing (see :func:`endotwin.physiology.physiology_summary`).
- **Energy intake** at week t is the mean intake over the 7 days before t; at week 0 it is
  the person's maintenance intake EI0 (Hall 2011), the habitual intake by construction.
- HOMA-IR = glucose [mmol/L] x insulin [uU/mL] / 22.5 and QUICKI = 1/(log10 I + log10 G[mg/dL])
  (Matthews 1985; Katz 2000), from :mod:`endotwin.indices`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from ..challenges import OGTT_DRINK_MIN
from ..indices import homa_ir, insulinogenic_index, matsuda, quicki
from ..schedule import Meal, Schedule
from ..simulate import MINUTES_PER_DAY
from ..units import GLUCOSE_MGDL_PER_MMOLL

FASTING_MIN = 7.0 * 60.0
#: every model output that a metric, the diagnosis or the report's trajectories reads. The
#: runner computes only these (``simulate.run(outputs=...)``; evaluating all 65 outputs of the
#: coupled model over weeks costs more than solving it). A metric reading another output fails
#: with a KeyError naming it (the validation tests run every metric).
OUTPUTS_READ = (
    "Body weight [kg]",
    "Fat mass [kg]",
    "Lean mass [kg]",
    "Energy intake [kcal]",
    "Plasma glucose [mg/dL]",
    "Plasma insulin [pmol/L]",
    "Plasma insulin [uU/mL]",
    "Plasma leptin [ng/mL]",
    "Peripheral insulin sensitivity [x baseline]",
    "Hepatic insulin sensitivity [x baseline]",
    "Beta-cell function [x baseline]",
)


@dataclass(frozen=True)
class ArmData:
    """One simulated arm: the solution's dataset (person x time) and per-person EI0."""

    name: str
    dataset: xr.Dataset
    ei0: np.ndarray  # maintenance intake [kcal/day] per person
    bmi: np.ndarray  # baseline BMI [kg/m2] per person
    male: np.ndarray  # True for men

    @property
    def time(self) -> np.ndarray:
        return self.dataset["time"].values

    def series(self, output: str) -> np.ndarray:
        return np.asarray(self.dataset[output].values)  # (person, time)

    def at(self, output: str, t_min: float) -> np.ndarray:
        """Value per person at ``t_min`` (linear interpolation between output samples)."""
        t = self.time
        y = self.series(output)
        return np.array([np.interp(t_min, t, row) for row in y])

    def day_mean(self, output: str, day: int) -> np.ndarray:
        t = self.time
        y = self.series(output)
        m = (t >= day * MINUTES_PER_DAY) & (t < (day + 1) * MINUTES_PER_DAY)
        return y[:, m].mean(axis=1)


def morning(t_weeks: float) -> float:
    """The fasting sample time [min] that stands for week ``t_weeks`` (see module docstring)."""
    day = 0 if t_weeks <= 0 else round(t_weeks * 7.0) - 1
    return day * MINUTES_PER_DAY + FASTING_MIN


def last_day(t_weeks: float) -> int:
    """The 0-based day that stands for week ``t_weeks``: its last day (day 0 for week 0)."""
    return 0 if t_weeks <= 0 else round(t_weeks * 7.0) - 1


def _fasting(output: str) -> Callable[[ArmData, float], np.ndarray]:
    return lambda a, t: a.at(output, morning(t))


def _glucose(a: ArmData, t: float) -> np.ndarray:
    return a.at("Plasma glucose [mg/dL]", morning(t))


def _insulin(a: ArmData, t: float) -> np.ndarray:
    return a.at("Plasma insulin [uU/mL]", morning(t))


def _homa(a: ArmData, t: float) -> np.ndarray:
    return np.asarray(homa_ir(_glucose(a, t), _insulin(a, t)), dtype=float)


def _quicki(a: ArmData, t: float) -> np.ndarray:
    return np.asarray(quicki(_glucose(a, t), _insulin(a, t)), dtype=float)


def _leptin(a: ArmData, t: float) -> np.ndarray:
    return a.day_mean("Plasma leptin [ng/mL]", last_day(t))


def _intake(a: ArmData, t: float) -> np.ndarray:
    """Mean intake over the 7 days before week t, from the cumulative intake (meals last
    minutes, so an hourly sampled intake *rate* would alias)."""
    if t <= 0:
        return a.ei0
    end = round(t * 7.0) * MINUTES_PER_DAY
    start = max(0.0, end - 7 * MINUTES_PER_DAY)
    cum = "Energy intake [kcal]"
    return (a.at(cum, end) - a.at(cum, start)) / ((end - start) / MINUTES_PER_DAY)


#: Considine 1996 (V): obesity cut-offs of its groups, BMI >= 27.3 (men) and >= 27.8 (women)
CONSIDINE_OBESE_BMI = {True: 27.3, False: 27.8}


def _leptin_group(obese: bool) -> Callable[[ArmData, float], np.ndarray]:
    def value(a: ArmData, t: float) -> np.ndarray:
        cut = np.where(a.male, CONSIDINE_OBESE_BMI[True], CONSIDINE_OBESE_BMI[False])
        keep = a.bmi >= cut if obese else a.bmi < cut
        return np.where(keep, _leptin(a, t), np.nan)

    return value


def _body_fat_pct(a: ArmData, t: float) -> np.ndarray:
    m = morning(t)
    return 100.0 * a.at("Fat mass [kg]", m) / a.at("Body weight [kg]", m)


#: OGTT sample times [min after the drink] (Matsuda & DeFronzo 1999)
OGTT_SAMPLES = np.array([0.0, 30.0, 60.0, 90.0, 120.0])
#: clock time of the drink in an OGTT day written as "meal at 08:00: 75 g carbs"
OGTT_START_MIN = 8.0 * 60.0


def with_ogtt_days(schedule: Schedule, days: Sequence[int]) -> Schedule:
    """``schedule`` with a 75 g OGTT drink at 08:00 on each of ``days`` (0-based), in place of
    the meals eaten between 06:00 and 10:00 that day (the visit's breakfast): the OGTT days of
    a study's diagnosis visits and of its screening, read with :data:`OGTT_SAMPLES`."""
    meals = list(schedule.meals)
    for d in days:
        t0 = d * MINUTES_PER_DAY
        meals = [m for m in meals if not t0 + 360.0 <= m.time_min < t0 + 600.0]
        meals.append(Meal(t0 + OGTT_START_MIN, 75.0, OGTT_DRINK_MIN, "OGTT drink"))
    return replace(schedule, meals=sorted(meals, key=lambda m: m.time_min))


def _ogtt(index: Callable) -> Callable[[ArmData, float], np.ndarray]:
    """An OGTT index on the last day of week ``t``: the study's protocol must put a 75 g glucose
    drink at 08:00 on that day (e.g. "... then meal at 08:00: 75 g carbs for 1 day"). There is no
    OGTT at week 0, so these metrics compare arms at the same time (``kind = "ogtt"``)."""

    def value(a: ArmData, t: float) -> np.ndarray:
        start = last_day(t) * MINUTES_PER_DAY + OGTT_START_MIN
        ts = start + OGTT_SAMPLES
        g = np.array([np.interp(ts, a.time, row) for row in a.series("Plasma glucose [mg/dL]")])
        i = np.array([np.interp(ts, a.time, row) for row in a.series("Plasma insulin [uU/mL]")])
        return np.array([index(OGTT_SAMPLES, gi, ii) for gi, ii in zip(g, i, strict=True)])

    return value


@dataclass(frozen=True)
class Metric:
    """A per-person model quantity; ``kind`` says how an outcome uses it.

    kind: "value" (compared as a level, a change or a between-arm difference), "percent" (the
    change is relative: 100 x (x_t - x_0)/x_0), "smd" (standardised mean difference: the
    between-arm difference of changes, or for a within-arm outcome the change itself, over the SD
    of the baseline values across the virtual people, the pooled-baseline-SD convention of the
    meta-analyses), "correlation" or
    "incidence" (diagnosis as the study's ``diagnosis`` describes it, see
    :func:`incidence_events`; events per 100 person-years).
    """

    name: str
    unit: str
    description: str
    value: Callable[[ArmData, float], np.ndarray]
    kind: str = "value"


_M = [
    Metric("weight_kg", "kg", "body weight at 07:00", _fasting("Body weight [kg]")),
    Metric(
        "weight_pct", "%", "body weight, relative change", _fasting("Body weight [kg]"), "percent"
    ),
    Metric("fat_mass_kg", "kg", "fat mass at 07:00", _fasting("Fat mass [kg]")),
    Metric("lean_mass_kg", "kg", "lean mass at 07:00", _fasting("Lean mass [kg]")),
    Metric("body_fat_pct", "%", "fat mass / body weight", _body_fat_pct),
    Metric("leptin_ngml", "ng/mL", "daily mean plasma leptin", _leptin),
    Metric(
        "leptin_ngml_obese",
        "ng/mL",
        "daily mean leptin of the people with obesity (Considine 1996 cut-offs); others NaN",
        _leptin_group(True),
    ),
    Metric(
        "leptin_ngml_normal",
        "ng/mL",
        "daily mean leptin of the people below the obesity cut-offs; others NaN",
        _leptin_group(False),
    ),
    Metric("leptin_pct", "%", "daily mean plasma leptin, relative change", _leptin, "percent"),
    Metric("fasting_glucose_mgdl", "mg/dL", "plasma glucose at 07:00", _glucose),
    Metric(
        "fasting_glucose_mmoll",
        "mmol/L",
        "plasma glucose at 07:00",
        lambda a, t: _glucose(a, t) / GLUCOSE_MGDL_PER_MMOLL,
    ),
    Metric("fasting_insulin_uuml", "uU/mL", "plasma insulin at 07:00", _insulin),
    Metric("fasting_insulin_pct", "%", "plasma insulin at 07:00, relative", _insulin, "percent"),
    Metric("homa_ir", "1", "HOMA-IR at 07:00 (Matthews 1985)", _homa),
    Metric("homa_ir_smd", "SMD", "HOMA-IR, standardised mean difference", _homa, "smd"),
    Metric("quicki_smd", "SMD", "QUICKI (Katz 2000), standardised mean difference", _quicki, "smd"),
    Metric("energy_intake_kcal", "kcal/day", "mean intake over the previous 7 days", _intake),
    Metric(
        "peripheral_insulin_sensitivity",
        "x baseline",
        "peripheral insulin sensitivity state at 07:00",
        _fasting("Peripheral insulin sensitivity [x baseline]"),
    ),
    Metric(
        "hepatic_insulin_sensitivity",
        "x baseline",
        "hepatic insulin sensitivity state at 07:00",
        _fasting("Hepatic insulin sensitivity [x baseline]"),
    ),
    Metric(
        "beta_cell_function",
        "x baseline",
        "beta-cell function state at 07:00",
        _fasting("Beta-cell function [x baseline]"),
    ),
    Metric(
        "ogtt_matsuda",
        "1",
        "Matsuda index of a 75 g OGTT at 08:00 on the last day (Matsuda & DeFronzo 1999)",
        _ogtt(matsuda),
        "ogtt",
    ),
    Metric(
        "ogtt_insulinogenic_index",
        "uU/mL per mg/dL",
        "insulinogenic index (I30 - I0)/(G30 - G0) of that OGTT (Seltzer 1967)",
        _ogtt(insulinogenic_index),
        "ogtt",
    ),
    Metric(
        "ogtt_mean_insulin",
        "uU/mL",
        "mean insulin of that OGTT (0-120 min samples)",
        _ogtt(lambda t, g, i: float(np.mean(i))),
        "ogtt",
    ),
    Metric(
        "leptin_bodyfat_r",
        "r",
        "Pearson r of daily mean leptin with % body fat across people",
        _leptin,
        "correlation",
    ),
    Metric(
        "diabetes_incidence",
        "cases/100 person-years",
        "fasting glucose >= 126 mg/dL at a 6-monthly visit",
        _glucose,
        "incidence",
    ),
    Metric(
        "peak_glucose_mgdl",
        "mg/dL",
        "highest plasma glucose over day 0",
        lambda a, t: a.series("Plasma glucose [mg/dL]")[:, a.time < MINUTES_PER_DAY].max(axis=1),
    ),
    Metric(
        "peak_insulin_pmoll",
        "pmol/L",
        "highest plasma insulin over day 0",
        lambda a, t: a.series("Plasma insulin [pmol/L]")[:, a.time < MINUTES_PER_DAY].max(axis=1),
    ),
    Metric(
        "basal_glucose_mgdl",
        "mg/dL",
        "plasma glucose at time 0 (the model's fasting steady state)",
        lambda a, t: a.series("Plasma glucose [mg/dL]")[:, 0],
    ),
    Metric(
        "basal_insulin_pmoll",
        "pmol/L",
        "plasma insulin at time 0 (the model's fasting steady state)",
        lambda a, t: a.series("Plasma insulin [pmol/L]")[:, 0],
    ),
]

METRICS: dict[str, Metric] = {m.name: m for m in _M}

#: visit interval for incidence without a study diagnosis schedule (fasting glucose only)
VISIT_WEEKS = 26.0
#: ADA 1997 criteria, as used by the DPP (Knowler 2002): fasting >= 126, 2-h OGTT >= 200 mg/dL
FPG_DIABETES_MGDL = 126.0
G2H_DIABETES_MGDL = 200.0
#: within-person (biological + analytical) coefficient of variation of one test in people with
#: impaired glucose tolerance: Mooy JM et al., Diabetologia 1996;39:298-305 (Hoorn), test-retest
#: SD of differences over the median 0.5/5.9 (fasting) and 1.8/8.5 mmol/L (2-h); one test's SD is
#: SDdif / sqrt(2). "Predominantly determined by biological variation" (Mooy 1996).
FPG_WITHIN_CV = 0.5 / 5.9 / float(np.sqrt(2.0))
G2H_WITHIN_CV = 1.8 / 8.5 / float(np.sqrt(2.0))
#: OGTT sample of the 2-h value [min after the 08:00 drink]
TWO_HOUR_MIN = 120.0
#: seed of the measurement variability: the same draws for every arm (the same people measured
#: the same way; between-arm differences carry no measurement noise of their own)
DIAGNOSIS_SEED = 20020207


def measured(true: np.ndarray, cv: float, z: np.ndarray) -> np.ndarray:
    """One test's reading of ``true``: ``true * (1 + cv * z)`` with standard-normal ``z`` (the
    within-person variability of Mooy 1996, :data:`FPG_WITHIN_CV` / :data:`G2H_WITHIN_CV`); the
    diagnosis and the screening (:mod:`~.screening`) read their tests with it."""
    return true * (1.0 + cv * z)


@dataclass(frozen=True)
class Incidence:
    """Per-person first diagnosis and time at risk, with the screen counts."""

    event: np.ndarray  # 1 if diagnosed
    years: np.ndarray  # years at risk: to the diagnosing visit, else to the last visit
    screens: int  # visits whose test met a criterion
    confirmed: int  # of those, confirmed by the repeat test


def incidence_events(a: ArmData, t_weeks: float, diagnosis=None) -> Incidence:
    """Incident diabetes up to week ``t_weeks`` (see :class:`~.study.Diagnosis`).

    Without a ``diagnosis``: fasting glucose >= 126 mg/dL, read without measurement error, at
    visits every 26 weeks. With one: at each visit the fasting glucose (and at the OGTT visits the
    2-h glucose of the simulated 08:00 OGTT) is measured with the within-person variability of
    Mooy 1996 (:data:`FPG_WITHIN_CV`, :data:`G2H_WITHIN_CV`); a value at or above the ADA
    threshold is a screen, and with ``confirm`` it counts only when a repeat OGTT of the same
    true state (new variability draws, both criteria) is diagnostic too (the DPP's confirmatory
    OGTT within 6 weeks, Christophi 2013). Draws come from :data:`DIAGNOSIS_SEED`.
    """
    n = a.dataset.sizes["person"]
    event = np.zeros(n)
    if diagnosis is None:
        visits = np.arange(VISIT_WEEKS, t_weeks + 1e-9, VISIT_WEEKS)
        years = np.full(n, t_weeks / 52.18)
        for w in visits:
            new = (event == 0) & (_glucose(a, float(w)) >= FPG_DIABETES_MGDL)
            years[new] = w / 52.18
            event[new] = 1.0
        return Incidence(event, years, int(event.sum()), int(event.sum()))
    visits = [w for w in diagnosis.visit_weeks if w <= t_weeks + 1e-9]
    years = np.full(n, visits[-1] / 52.18 if visits else 0.0)
    z = np.random.default_rng(DIAGNOSIS_SEED).standard_normal((len(diagnosis.visit_weeks), 4, n))
    screens = confirmed = 0
    for k, w in enumerate(visits):
        fpg = a.at("Plasma glucose [mg/dL]", morning(w))
        start = last_day(w) * MINUTES_PER_DAY + OGTT_START_MIN
        g2 = a.at("Plasma glucose [mg/dL]", start + TWO_HOUR_MIN)
        screen = measured(fpg, FPG_WITHIN_CV, z[k, 0]) >= FPG_DIABETES_MGDL
        if w in diagnosis.ogtt_weeks:
            screen |= measured(g2, G2H_WITHIN_CV, z[k, 1]) >= G2H_DIABETES_MGDL
        screen &= event == 0
        new = screen
        if diagnosis.confirm:
            repeat = (measured(fpg, FPG_WITHIN_CV, z[k, 2]) >= FPG_DIABETES_MGDL) | (
                measured(g2, G2H_WITHIN_CV, z[k, 3]) >= G2H_DIABETES_MGDL
            )
            new = screen & repeat
        screens += int(screen.sum())
        confirmed += int(new.sum())
        years[new] = w / 52.18
        event[new] = 1.0
    return Incidence(event, years, screens, confirmed)
