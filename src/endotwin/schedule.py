"""Meal and exercise schedules, compiled to piecewise-constant model inputs.

A schedule is a list of events on a clock in minutes from the start of the simulation. It is
compiled into *segments*: the times where any input changes, and the input vector held on each
segment. The solvers restart their step sequence at every segment boundary, so discontinuities
(start and end of a meal or a bout of exercise) are never stepped over.

Meals are eaten at a constant rate over ``duration_min`` (default 15 min; an OGTT drink is taken
over 5 min). The gastric-emptying law needs the size of the meal in progress, ``meal_size``, which
is set at the start of each meal and held until the next one (Dalla Man 2006).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import InputError

MAX_MEAL_CARBS_G = 500.0
MAX_MEAL_DURATION_MIN = 180.0
MAX_MEAL_FAT_G = 300.0
MAX_MEAL_PROTEIN_G = 300.0
EXERCISE_KINDS = ("aerobic", "hiit", "strength")

#: accepted ranges of the piecewise-constant diet/behaviour signals: (lower, upper, unit)
SIGNAL_RANGES: dict[str, tuple[float, float, str]] = {
    "whole_food_diet": (0.0, 1.0, "adherence to a whole-food diet (0 habitual, 1 full)"),
    "omega3": (0.0, 10.0, "g/day EPA+DHA"),
    "sat_fat_change": (-20.0, 30.0, "% of energy, change from habitual"),
    "ad_libitum": (
        0.0,
        10.0,
        "(0 = planned meals, 1 = eat by appetite, EI0/plan = a free-living prescription)",
    ),
    "resistance_exercise": (0.0, 1.0, "(1 during a strength session)"),
    "exercise_intensity": (0.0, 1.0, "fraction of the VO2 reserve"),
}


def _finite(field_name: str, value: object, lo: float, hi: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise InputError(field_name, value, f"a number in [{lo:g}, {hi:g}] {unit}")
    v = float(value)
    if not math.isfinite(v) or not (lo <= v <= hi):
        raise InputError(field_name, value, f"[{lo:g}, {hi:g}] {unit}")
    return v


@dataclass(frozen=True)
class Meal:
    """A meal eaten from ``time_min`` [min] over ``duration_min``.

    ``carbs_g`` (available carbohydrate, as glucose) drives the meal-level glucose model; ``fat_g``
    and ``protein_g`` add energy for the body-composition layer (Atwater factors, see
    :mod:`endotwin.components.nutrition`). A carbohydrate-only meal has no fat or protein.
    ``gut_rate`` scales gastric emptying and absorption (1 = the mixed meal of Dalla Man 2006;
    below 1 a lower-glycaemic-index meal, see :mod:`endotwin.protocols.glycaemic_index`).
    """

    time_min: float
    carbs_g: float
    duration_min: float = 15.0
    label: str = "meal"
    fat_g: float = 0.0
    protein_g: float = 0.0
    gut_rate: float = 1.0

    def __post_init__(self) -> None:
        _finite("meal.time_min", self.time_min, 0.0, 1e7, "min from the start")
        _finite("meal.carbs_g", self.carbs_g, 0.0, MAX_MEAL_CARBS_G, "g of carbohydrate")
        _finite("meal.duration_min", self.duration_min, 1.0, MAX_MEAL_DURATION_MIN, "min")
        _finite("meal.fat_g", self.fat_g, 0.0, MAX_MEAL_FAT_G, "g of fat")
        _finite("meal.protein_g", self.protein_g, 0.0, MAX_MEAL_PROTEIN_G, "g of protein")
        _finite("meal.gut_rate", self.gut_rate, 0.1, 5.0, "x the fitted gastric/gut rates")

    @property
    def energy_kcal(self) -> float:
        """Metabolisable energy (Atwater general factors 4/9/4 kcal/g)."""
        return 4.0 * self.carbs_g + 9.0 * self.fat_g + 4.0 * self.protein_g


@dataclass(frozen=True)
class ExerciseBout:
    """Exercise from ``start_min`` for ``duration_min`` at ``intensity`` (fraction of VO2max).

    ``intensity`` is the fraction of maximal oxygen uptake above rest (0 = rest, 1 = maximal);
    for a HIIT session give the session's mean intensity. ``kind`` is ``"aerobic"``, ``"hiit"``
    or ``"strength"``: every kind acts acutely through ``exercise_intensity``; a strength session
    also sets the ``resistance_exercise`` input (1 while it lasts), the mechanical stimulus of
    the training-adaptation layer (lean mass).
    """

    start_min: float
    duration_min: float
    intensity: float
    label: str = "exercise"
    kind: str = "aerobic"

    def __post_init__(self) -> None:
        if self.kind not in EXERCISE_KINDS:
            raise InputError("exercise.kind", self.kind, f"one of {list(EXERCISE_KINDS)}")
        _finite("exercise.start_min", self.start_min, 0.0, 1e7, "min from the start")
        _finite("exercise.duration_min", self.duration_min, 1.0, 600.0, "min")
        _finite("exercise.intensity", self.intensity, 0.0, 1.0, "fraction of VO2max reserve")


@dataclass(frozen=True)
class Infusion:
    """Intravenous glucose: ``dose_mg_per_kg`` [mg/kg] infused from ``start_min`` over
    ``duration_min`` (an IVGTT bolus of 0.3 g/kg is usually given over 1-2 min)."""

    start_min: float
    dose_mg_per_kg: float
    duration_min: float = 1.0
    label: str = "iv glucose"

    def __post_init__(self) -> None:
        _finite("infusion.start_min", self.start_min, 0.0, 1e7, "min from the start")
        _finite("infusion.dose_mg_per_kg", self.dose_mg_per_kg, 0.0, 1000.0, "mg/kg")
        _finite("infusion.duration_min", self.duration_min, 0.5, 600.0, "min")


@dataclass(frozen=True)
class Schedule:
    """Meals, exercise bouts and any other piecewise-constant input signals.

    ``signals`` maps an input name to change points ``[(time_min, value), ...]``: the value holds
    from its time until the next change (used e.g. for insulin infusion in the T1D model).
    """

    meals: tuple[Meal, ...] = ()
    exercise: tuple[ExerciseBout, ...] = ()
    infusions: tuple[Infusion, ...] = ()
    signals: Mapping[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)

    def __init__(
        self,
        meals: Iterable[Meal] = (),
        exercise: Iterable[ExerciseBout] = (),
        signals: Mapping[str, Iterable[tuple[float, float]]] | None = None,
        infusions: Iterable[Infusion] = (),
    ) -> None:
        object.__setattr__(self, "infusions", tuple(sorted(infusions, key=lambda i: i.start_min)))
        object.__setattr__(self, "meals", tuple(sorted(meals, key=lambda m: m.time_min)))
        object.__setattr__(self, "exercise", tuple(sorted(exercise, key=lambda e: e.start_min)))
        sig = {k: tuple((float(t), float(v)) for t, v in pts) for k, pts in (signals or {}).items()}
        for name, pts in sig.items():
            for t, v in pts:
                _finite(f"signal {name} time", t, 0.0, 1e7, "min from the start")
                if name in SIGNAL_RANGES:
                    lo, hi, unit = SIGNAL_RANGES[name]
                    _finite(f"signal {name}", v, lo, hi, unit)
                elif not math.isfinite(v):
                    raise InputError(f"signal {name}", v, "a finite number")
        object.__setattr__(self, "signals", sig)
        for a, b in zip(self.meals, self.meals[1:], strict=False):
            if b.time_min < a.time_min + a.duration_min:
                raise InputError(
                    "meal.time_min",
                    b.time_min,
                    f">= {a.time_min + a.duration_min:g} min (after the previous meal ends)",
                    "Meals may not overlap; merge them into one meal.",
                )
        for a, b in zip(self.exercise, self.exercise[1:], strict=False):
            if b.start_min < a.start_min + a.duration_min:
                raise InputError(
                    "exercise.start_min",
                    b.start_min,
                    f">= {a.start_min + a.duration_min:g} min (after the previous bout ends)",
                )

    @property
    def total_carbs_g(self) -> float:
        return sum(m.carbs_g for m in self.meals)

    def check_within(self, t_end_min: float) -> None:
        """Every event must start before the end of the simulation."""
        for m in self.meals:
            if m.time_min >= t_end_min:
                raise InputError(
                    "meal.time_min", m.time_min, f"[0, {t_end_min:g}) min (within the simulation)"
                )
        for inf in self.infusions:
            if inf.start_min >= t_end_min:
                raise InputError("infusion.start_min", inf.start_min, f"[0, {t_end_min:g}) min")
        for e in self.exercise:
            if e.start_min >= t_end_min:
                raise InputError("exercise.start_min", e.start_min, f"[0, {t_end_min:g}) min")

    def change_points(self) -> dict[str, list[tuple[float, float]]]:
        """Input name -> change points, for the standard inputs and any extra signals."""
        pts: dict[str, list[tuple[float, float]]] = {
            "carb_rate": [],
            "meal_size": [],
            "exercise_intensity": [],
            "iv_glucose": [],
            "fat_rate": [],
            "protein_rate": [],
            "resistance_exercise": [],
            "gut_rate_log": [],
        }
        for inf in self.infusions:
            pts["iv_glucose"] += [
                (inf.start_min, inf.dose_mg_per_kg / inf.duration_min),
                (inf.start_min + inf.duration_min, 0.0),
            ]
        for m in self.meals:
            pts["carb_rate"] += [
                (m.time_min, m.carbs_g * 1000.0 / m.duration_min),
                (m.time_min + m.duration_min, 0.0),
            ]
            pts["meal_size"].append((m.time_min, m.carbs_g * 1000.0))
            pts["gut_rate_log"].append((m.time_min, math.log(m.gut_rate)))
            for name, grams in (("fat_rate", m.fat_g), ("protein_rate", m.protein_g)):
                if grams > 0.0:
                    pts[name] += [
                        (m.time_min, grams * 1000.0 / m.duration_min),
                        (m.time_min + m.duration_min, 0.0),
                    ]
        for e in self.exercise:
            pts["exercise_intensity"] += [
                (e.start_min, e.intensity),
                (e.start_min + e.duration_min, 0.0),
            ]
            if e.kind == "strength":
                pts["resistance_exercise"] += [
                    (e.start_min, 1.0),
                    (e.start_min + e.duration_min, 0.0),
                ]
        for k, v in self.signals.items():
            pts.setdefault(k, [])
            pts[k] = sorted(pts[k] + list(v))
        return pts

    def segments(
        self, input_names: Sequence[str], t_end_min: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Compile to ``(seg_t, seg_u)``: boundaries (nseg+1,) and inputs (nseg, n_inputs)."""
        self.check_within(t_end_min)
        pts = self.change_points()
        unknown = sorted(set(self.signals) - set(input_names))
        if unknown:
            raise InputError(
                "schedule signal", unknown, f"inputs of the model: {list(input_names)}"
            )
        times = {0.0, float(t_end_min)}
        for name in input_names:
            times |= {t for t, _ in pts.get(name, []) if 0.0 < t < t_end_min}
        seg_t = np.array(sorted(times))
        seg_u = np.zeros((len(seg_t) - 1, len(input_names)))
        for j, name in enumerate(input_names):
            cps = sorted(pts.get(name, []), key=lambda c: c[0])
            if not cps:
                continue
            ct = np.array([c[0] for c in cps])
            cv = np.array([c[1] for c in cps])
            idx = np.searchsorted(ct, seg_t[:-1], side="right") - 1
            seg_u[:, j] = np.where(idx >= 0, cv[np.clip(idx, 0, None)], 0.0)
        return seg_t, seg_u


def stack_segments(
    compiled: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """Pad per-person segments to a common count (zero-length tail segments are skipped)."""
    nmax = max(len(t) for t, _ in compiled)
    nu = compiled[0][1].shape[1]
    T = np.empty((len(compiled), nmax))
    U = np.zeros((len(compiled), nmax - 1, nu))
    for i, (t, u) in enumerate(compiled):
        T[i, : len(t)] = t
        T[i, len(t) :] = t[-1]
        U[i, : len(u)] = u
    return T, U
