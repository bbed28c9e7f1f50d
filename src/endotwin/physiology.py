"""Run the coupled multi-scale model: a person's habitual day, their baseline, and the simulation.

``simulate_physiology(person, schedule, days=84)`` runs :func:`endotwin.models.physiology_model`.
Two things are person-specific and computed here, not typed in:

- the **habitual day** (:func:`habitual_day`): three meals that together supply the person's
  maintenance intake EI0 (Hall 2011: PAL x Mifflin-St Jeor RMR, or the measured intake), with the
  baseline carbohydrate fraction ``carb_frac0``, 15% protein (an ASSUMPTION: a typical Western
  share) and the rest fat, split 25/35/40% at 08:00, 12:30 and 19:00. With no schedule given,
  the person eats it every day: an unchanged lifestyle;
- the **baseline daily mean glucose** ``G_mean0`` (Topp's beta-cell steady state): the mean
  plasma glucose of the second day of the habitual day in the meal model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .models import body_model, meal_model, physiology_model
from .person import Person
from .protocols.compile import compile_protocol
from .protocols.steps import Protocol
from .schedule import Meal, Schedule
from .simulate import MINUTES_PER_DAY, _unique_labels, as_people, run
from .solution import Solution
from .units import GLUCOSE_MGDL_PER_MMOLL as MGDL_PER_MMOLL

MEAL_TIMES_H = (8.0, 12.5, 19.0)
MEAL_SHARES = (0.25, 0.35, 0.40)
PROTEIN_FRACTION = 0.15


def maintenance_intake(values: dict[str, float]) -> float:
    """The person's baseline energy intake EI0 [kcal/day] (Hall 2011)."""
    v = {k: np.array([x]) for k, x in values.items()}
    return float(body_model().derive_parameters(v)["EI0"][0])


def habitual_meals(
    energy_kcal: float, carb_fraction: float, day: int = 0, scale: float = 1.0
) -> list[Meal]:
    """The three meals of one habitual day (see the module docstring)."""
    if not (0.0 < carb_fraction < 1.0 - PROTEIN_FRACTION):
        raise InputError("carb_frac0", carb_fraction, f"(0, {1 - PROTEIN_FRACTION:g})")
    fat_fraction = 1.0 - carb_fraction - PROTEIN_FRACTION
    meals = []
    for h, share in zip(MEAL_TIMES_H, MEAL_SHARES, strict=True):
        e = energy_kcal * share * scale
        meals.append(
            Meal(
                day * MINUTES_PER_DAY + h * 60.0,
                carbs_g=e * carb_fraction / 4.0,
                fat_g=e * fat_fraction / 9.0,
                protein_g=e * PROTEIN_FRACTION / 4.0,
                label=f"habitual {h:g}h",
            )
        )
    return meals


def habitual_day(person: Person, days: int = 1) -> Schedule:
    """``days`` repetitions of the person's habitual day (meals at maintenance intake)."""
    v = person.parameter_values(physiology_model().parameter_names)
    ei0 = maintenance_intake(v)
    meals = [m for d in range(days) for m in habitual_meals(ei0, v["carb_frac0"], day=d)]
    return Schedule(meals=meals)


def _day_mean(sol: Solution, name: str, day: int) -> np.ndarray:
    """Time average (trapezoid) of an output over day ``day`` (0-based)."""
    da = sol.dataset[name].sel(time=slice(day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY))
    t = da["time"].values
    return np.trapezoid(da.values, t, axis=-1) / (t[-1] - t[0])


def baseline_normalisers(
    people: Sequence[Person], stacked: dict[str, np.ndarray], backend: str = "numba"
) -> dict[str, np.ndarray]:
    """The person's baseline on their habitual day: ``G_mean0``, ``leptin_E_habitual``,
    ``appetite_habitual`` and the liver glycogen store's ``liver_glycogen_synthesis`` and
    ``liver_glycogen_start``.

    1. meal model, two habitual days: mean glucose of day 2 (a first G_mean0);
    2. coupled model, four habitual days: daily means over day 4 of plasma glucose and of the
       leptin fast factor E (meal-level and leptin states are periodic by then), and the
       intake-weighted mean of the appetite factor over that day, computed with E normalised by
       its new daily mean (a third run of 3 days), so that ad-libitum eating is weight-stable;
       the liver glycogen store's synthesis share and start value are scaled from the 4-day run
       (:func:`_liver_glycogen_first`) and corrected from the 3-day run
       (:func:`_liver_glycogen_second`) so that the store is periodic with x = 1 at 07:00;
       ``G_mean0`` is taken again from day 3 of the 3-day run, whose store is near its orbit.
    """
    meal = meal_model()
    schedules2 = [habitual_day(p, days=2) for p in people]
    sol = run(
        meal,
        stacked,
        schedules2,
        duration_min=2 * MINUTES_PER_DAY,
        output_interval_min=1.0,
        backend=backend,
        outputs=["Plasma glucose [mg/dL]"],
    )
    first = dict(stacked)
    first["G_mean0"] = _day_mean(sol, "Plasma glucose [mg/dL]", 1)
    first["leptin_E_habitual"] = np.ones(len(people))
    schedules4 = [habitual_day(p, days=4) for p in people]
    sol = run(
        physiology_model(),
        first,
        schedules4,
        duration_min=4 * MINUTES_PER_DAY,
        output_interval_min=1.0,
        backend=backend,
        outputs=["Plasma glucose [mg/dL]", "Leptin fast factor [1]", _LIVER],
    )
    second = dict(first)
    second["G_mean0"] = _day_mean(sol, "Plasma glucose [mg/dL]", 3)
    second["leptin_E_habitual"] = _day_mean(sol, "Leptin fast factor [1]", 3)
    liver = _liver_glycogen_first(sol, first)
    second["liver_glycogen_synthesis"] = liver["liver_glycogen_synthesis"]
    second["liver_glycogen_start"] = liver["liver_glycogen_start"]
    second["appetite_habitual"] = np.ones(len(people))
    # started with E at its habitual mean, 3 days suffice (day 3 vs day 4: 1e-4 relative)
    sol = run(
        physiology_model(),
        second,
        [habitual_day(p, days=3) for p in people],
        duration_min=3 * MINUTES_PER_DAY,
        output_interval_min=1.0,
        backend=backend,
        outputs=[
            "Appetite factor [1]",
            "Energy intake rate [kcal/day]",
            "Plasma glucose [mg/dL]",
            _LIVER,
        ],
    )
    liver = _liver_glycogen_second(sol, liver, first["liver_glycogen_synthesis"])
    # the 4-day run's liver store was off its orbit (first guesses): G_mean0 from this run
    second["G_mean0"] = _day_mean(sol, "Plasma glucose [mg/dL]", 2)
    ds = sol.dataset.sel(time=slice(2 * MINUTES_PER_DAY, 3 * MINUTES_PER_DAY))
    app = ds["Appetite factor [1]"].values
    eaten = ds["Energy intake rate [kcal/day]"].values
    return {
        "G_mean0": second["G_mean0"],
        "leptin_E_habitual": second["leptin_E_habitual"],
        "appetite_habitual": (app * eaten).sum(axis=1) / eaten.sum(axis=1),
        "liver_glycogen_synthesis": liver["liver_glycogen_synthesis"],
        "liver_glycogen_start": liver["liver_glycogen_start"],
    }


_LIVER = "Liver glycogen [x reference]"


def _store_sequence(sol: Solution, hour: float, days: Sequence[int]) -> np.ndarray:
    """Relative liver glycogen at ``hour`` of each of ``days`` (person x day)."""
    t = sol.dataset["time"].values
    x = sol.dataset[_LIVER].values
    return np.array(
        [[np.interp(d * MINUTES_PER_DAY + hour * 60.0, t, xi) for d in days] for xi in x]
    )


def _extrapolate(seq: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Fixed point of an affine day map x(d + 1) = r*x(d) + c from its last two days."""
    return seq[:, -1] + (seq[:, -1] - seq[:, -2]) * r / (1.0 - r)


def _liver_glycogen_first(sol: Solution, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """First scaling of the liver store's synthesis share, from the 4-day habitual run.

    For given glucose and insulin the store obeys dL/dt = f*Ra - a(t)*L (a = (1 - g)*drive/L_ref),
    so a day maps it affinely, x(d + 1) = r*x(d) + c, with r = exp(-integral of a), about 0.5
    per day (it empties only between meals). Aitken's extrapolation of days 2-4 gives the
    periodic orbit for the synthesis share f0 and the contraction r; were the store's feedback
    on glucose absent, f0/x07 would make x = 1 at 07:00.
    """
    seq = _store_sequence(sol, FASTING_HOUR, (1, 2, 3))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (seq[:, 2] - seq[:, 1]) / (seq[:, 1] - seq[:, 0])
    # a sequence already at its fixed point (zero differences) has no measurable contraction:
    # take the typical 0.5 per day; its extrapolation step is then ~0 anyway
    r = np.where(np.isfinite(r) & (r > 0.0) & (r < 0.9), r, 0.5)
    x07 = _extrapolate(seq, r)
    x24 = _extrapolate(_store_sequence(sol, 0.0, (2, 3, 4)), r)
    return {
        "liver_glycogen_synthesis": values["liver_glycogen_synthesis"] / x07,
        "liver_glycogen_start": x24 / x07,
        "_x07": x07,
        "_r": r,
    }


def _liver_glycogen_second(
    sol: Solution, first: dict[str, np.ndarray], f0: np.ndarray
) -> dict[str, np.ndarray]:
    """Secant correction from the 3-day run made with the first scaling.

    The store raises glucose production, hence glucose and insulin, hence lowers the drive that
    empties it: the orbit grows faster than f (log-slope about 1.4 for the demo person). The
    two runs' orbits give that slope per person; one secant step on log f sets x(07:00) = 1.
    A simulation starts at 00:00 from the fasting steady state with nothing left of the evening
    meal to absorb, so the first night only empties the store: its decay factor to 07:00 (the
    first-night ratio of the 3-day run) gives the start value that reaches 1 at 07:00.
    """
    r = first["_r"]
    x07 = _extrapolate(_store_sequence(sol, FASTING_HOUR, (1, 2)), r)
    first_night = _store_sequence(sol, FASTING_HOUR, (0,))[:, 0] / first["liver_glycogen_start"]
    f1 = first["liver_glycogen_synthesis"]
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.log(x07 / first["_x07"]) / np.log(f1 / f0)
    # f unchanged between the runs (x07 already 1) leaves no slope: fall back to proportionality
    slope = np.where(np.isfinite(slope) & (slope > 0.5) & (slope < 4.0), slope, 1.0)
    return {
        "liver_glycogen_synthesis": f1 * x07 ** (-1.0 / slope),
        "liver_glycogen_start": 1.0 / first_night,
    }


def simulate_physiology(
    person: Person | Sequence[Person] | None = None,
    schedule: Schedule | Sequence[Schedule] | Protocol | str | None = None,
    *,
    days: float | None = None,
    backend: str = "numba",
    output_interval_min: float = 60.0,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    parameters: dict[str, Sequence[float]] | None = None,
    outputs: Sequence[str] | None = None,
) -> Solution:
    """Simulate the coupled model (minutes to months) for one person or a batch.

    person: a :class:`Person` with sex, age and height (body composition needs them), a list of
        them, or None for the demo person.
    schedule: a :class:`~endotwin.protocols.Protocol` (or its text), compiled for each person
        (:mod:`endotwin.protocols.compile`); or a :class:`Schedule` of meals (with fat and
        protein), exercise bouts (``kind``) and diet signals (``whole_food_diet``, ``omega3``,
        ``sat_fat_change``, ``ad_libitum``); None = the person's habitual day every day (an
        unchanged lifestyle).
    days: simulated time (default: the protocol's length, else 12 weeks).
    parameters: per-person overrides as arrays (e.g. the attribution switches), applied after
        the person's own values.
    outputs: the outputs to compute (default all; see :func:`endotwin.simulate.run`).
    """
    people = as_people(person)
    model = physiology_model()
    values = [p.parameter_values(model.parameter_names) for p in people]
    stacked = {k: np.array([v[k] for v in values]) for k in values[0]}
    for k, arr in (parameters or {}).items():
        stacked[k] = np.broadcast_to(np.asarray(arr, dtype=float), (len(people),)).copy()
    if np.any(stacked["G_mean0"] <= 0):
        stacked.update(baseline_normalisers(people, stacked, backend))
    if isinstance(schedule, str | Protocol):
        protocol = Protocol(schedule) if isinstance(schedule, str) else schedule
        compiled = [compile_protocol(protocol, p, days) for p in people]
        days = float(compiled[0].days)
        schedule = [c.schedule for c in compiled]
        protocol_citations = compiled[0].citations
    else:
        protocol_citations = set()
    days = 84.0 if days is None else float(days)
    n_days = int(np.ceil(days))
    if schedule is None:
        schedule = [habitual_day(p, days=n_days) for p in people]
    sol = run(
        model,
        stacked,
        schedule,
        duration_min=days * MINUTES_PER_DAY,
        backend=backend,
        output_interval_min=output_interval_min,
        rtol=rtol,
        atol=atol,
        labels=_unique_labels([p.label for p in people]),
        outputs=outputs,
    )
    for p in people:
        sol.citations |= set(p.resolved_parameters().citations)
    sol.citations |= model.citations | protocol_citations
    return sol


#: (label, output, unit conversion) of the summary; fasting values are taken at FASTING_HOUR
SUMMARY_METRICS = (
    ("body weight [kg]", "Body weight [kg]"),
    ("fat mass [kg]", "Fat mass [kg]"),
    ("lean mass [kg]", "Lean mass [kg]"),
    ("fasting glucose [mg/dL]", "Plasma glucose [mg/dL]"),
    ("fasting insulin [uU/mL]", "Plasma insulin [uU/mL]"),
    ("leptin [ng/mL]", "Plasma leptin [ng/mL]"),
    ("hs-CRP [mg/L]", "Inflammatory tone CRP [mg/L]"),
    ("peripheral insulin sensitivity [x]", "Peripheral insulin sensitivity [x baseline]"),
    ("hepatic insulin sensitivity [x]", "Hepatic insulin sensitivity [x baseline]"),
    ("leptin sensitivity [1]", "Leptin sensitivity [1]"),
)
#: clock hour of the "fasting" sample: 07:00, before a habitual 08:00 breakfast
FASTING_HOUR = 7.0


def physiology_summary(sol: Solution) -> pd.DataFrame:
    """Start vs end of a coupled simulation, per person: body composition, fasting glucose and
    insulin, HOMA-IR (Matthews 1985: glucose [mmol/L] x insulin [uU/mL] / 22.5), leptin, hs-CRP
    and the sensitivities. Samples at 07:00 of the first and of the last whole day; leptin also
    as the mean of those days."""
    ds = sol.dataset
    t = ds["time"].values
    last_day = int((t[-1] - FASTING_HOUR * 60.0) // MINUTES_PER_DAY)
    times = (FASTING_HOUR * 60.0, last_day * MINUTES_PER_DAY + FASTING_HOUR * 60.0)
    frames = []
    for i, who in enumerate(ds["person"].values):
        rows = {}
        for label, name in SUMMARY_METRICS:
            v = ds[name].values[i]
            rows[label] = [float(np.interp(x, t, v)) for x in times]
        lep = ds["Plasma leptin [ng/mL]"].values[i]
        rows["leptin, daily mean [ng/mL]"] = [
            float(np.mean(lep[(t >= d * MINUTES_PER_DAY) & (t < (d + 1) * MINUTES_PER_DAY)]))
            for d in (0, last_day)
        ]  # the 07:00 value also carries the fast factor of the previous dinner's timing
        g = np.array(rows["fasting glucose [mg/dL]"]) / MGDL_PER_MMOLL
        rows["HOMA-IR"] = list(g * np.array(rows["fasting insulin [uU/mL]"]) / 22.5)
        df = pd.DataFrame(rows, index=[f"day {0}", f"day {last_day}"]).T
        df["change"] = df.iloc[:, 1] - df.iloc[:, 0]
        df.columns = ["start", "end", "change"]
        df.index = pd.MultiIndex.from_product([[str(who)], df.index], names=["person", "metric"])
        frames.append(df)
    return pd.concat(frames)


__all__ = [
    "baseline_normalisers",
    "habitual_day",
    "habitual_meals",
    "maintenance_intake",
    "physiology_summary",
    "simulate_physiology",
]
