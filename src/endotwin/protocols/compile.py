"""Compile a :class:`Protocol` for one person into the model's inputs (a :class:`Schedule`).

Every simulated day gets a plan: its meals (times, macronutrients, gut-rate factor), its exercise
bouts and its diet signals. The plan only says what the person does; the physiology
(:func:`endotwin.physiology.simulate_physiology`) decides what follows. Rules, in order:

- **adherence**: each day of a phase is followed with probability ``adherence`` (drawn from
  ``numpy.random.default_rng(protocol.seed)``, so a seed gives the same days every time); a day not
  followed is the person's habitual day (habitual meals, no exercise, no diet signals);
- **energy** of a followed day: the diet's kcal/day, or the maintenance intake EI0 (Hall 2011)
  less the deficit, or EI0; "ad libitum" plans EI0 and sets ``ad_libitum`` so that appetite scales
  the meals; a 5:2 or alternate-day fast day has its ``fast_day_kcal`` (default 25% of EI0); a
  prolonged fast has no meals;
- **meals omitted by an eating window or meal pattern** (fewer than the habitual 3 meals, with
  no prescribed energy): the omitted meals' habitual share of the day's energy (the smallest
  shares, 25 % for one meal, 60 % for two) is only partly made up at the remaining meals:
  ``MEAL_OMISSION_COMPENSATION`` = 35 % (Levitsky & Pacanowski 2013, Physiol Behav 119:9, study
  2: a skipped 624-kcal ad-libitum breakfast raised lunch by 144 kcal and left a 408-kcal deficit
  at the end of the day, (624 - 408)/624 = 0.35). The day's plan is EI0*(1 - 0.65*share); under
  "ad libitum" the appetite then scales it, so the leptin feedback of the weight lost makes up
  more of it over the weeks;
- **meals**: explicit meals as given; one meal a day at its time; otherwise ``n`` meals (the meal
  pattern's, else 3 in a window of >= 10 h, 2 in >= 4 h, 1 below) from the window's start to
  30 min before its end, or at the habitual 08:00/12:30/19:00 with no window. Three meals share
  the day's energy 25/35/40% (the habitual split, :mod:`endotwin.physiology`), other counts
  equally. Meals last 15 min (one meal a day: its own duration);
- **composition** and **food quality**: :mod:`endotwin.protocols.diet_quality`;
- **exercise**: ``per_week`` sessions on weekdays ``floor(k*7/n)`` (3x/week: days 0, 2, 4),
  shifted by the step's index so that two activities alternate; a session that would overlap an
  earlier one that day starts when it ends;
- **weeks** start on the first day of each phase; 5:2 fast days are weekdays 0 and 3; alternate-day
  fasting fasts on even days of the phase;
- after the last phase with a length, the person returns to the habitual day.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import EndotwinError, ProtocolError
from ..person import Person
from ..schedule import ExerciseBout, Meal, Schedule
from . import steps as st
from .diet_quality import DietSignals, diet_signals
from .intensity import DEFAULT_INTENSITY, MODEL_KIND, vo2_reserve_fraction

DAY_MIN = 1440.0
MEAL_MINUTES = 15.0
FAST_DAY_FRACTION = 0.25  # of EI0: Harvie 2011 (~25% on 2 days/week), Trepanowski 2017 (25%)
FIVE_TWO_DAYS = (0, 3)
#: share of an omitted meal's energy eaten at the remaining meals of the day (module docstring)
MEAL_OMISSION_COMPENSATION = 0.35  # Levitsky & Pacanowski 2013, study 2: (624 - 408)/624
HABITUAL_MEALS = 3
SIGNALS = ("whole_food_diet", "omega3", "sat_fat_change", "ad_libitum")


@dataclass(frozen=True)
class DayPlan:
    """What the person does on one day (``day`` counts from 0 at the start of the simulation)."""

    day: int
    phase: int | None
    adherent: bool
    energy_kcal: float
    meals: tuple[Meal, ...]
    exercise: tuple[ExerciseBout, ...]
    signals: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CompiledProtocol:
    """A protocol made concrete for one person: the schedule and the per-day plans."""

    protocol: st.Protocol
    person: str
    days: int
    schedule: Schedule
    plans: tuple[DayPlan, ...]
    maintenance_kcal: float
    notes: tuple[str, ...] = ()

    @property
    def citations(self) -> set[str]:
        """Sources of what the compilation used: presets, GI calibration, intensity scales."""
        from .presets import presets

        keys = {"DellaCorte2024", "Garber2011", "Ainsworth2011"}
        for ph in self.protocol.phases:
            diet = ph.step(st.Diet)
            if isinstance(diet, st.Diet) and diet.preset is not None:
                keys |= set(presets()[diet.preset].sources)
        return keys

    def table(self) -> pd.DataFrame:
        """One row a day: phase, adherence, energy, meals, exercise and the diet signals."""
        rows = []
        for p in self.plans:
            rows.append(
                {
                    "day": p.day,
                    "phase": "habitual" if p.phase is None else p.phase + 1,
                    "followed": p.adherent,
                    "energy [kcal]": round(p.energy_kcal),
                    "meals": ", ".join(
                        f"{_clock(m.time_min)} {round(m.energy_kcal)} kcal" for m in p.meals
                    )
                    or "none",
                    "exercise": ", ".join(
                        f"{_clock(e.start_min)} {e.kind} {e.duration_min:g} min "
                        f"{100 * e.intensity:.0f}% VO2R"
                        for e in p.exercise
                    )
                    or "none",
                    **{k: p.signals.get(k, 0.0) for k in SIGNALS},
                    "gut rate": p.meals[0].gut_rate if p.meals else float("nan"),
                }
            )
        return pd.DataFrame(rows).set_index("day")


def _clock(t_min: float) -> str:
    m = round(t_min % DAY_MIN)
    return f"{m // 60:02d}:{m % 60:02d}"


def _min(t: dt.time) -> float:
    return t.hour * 60.0 + t.minute


def _meal_slots(phase: st.Phase) -> list[tuple[float, float, float]]:
    """(minute of day, share of the day's energy, duration) of each meal of a followed day."""
    from ..physiology import MEAL_SHARES, MEAL_TIMES_H

    omad = phase.step(st.OneMealADay)
    if isinstance(omad, st.OneMealADay):
        return [(_min(omad.time), 1.0, omad.minutes)]
    window = phase.step(st.EatingWindow)
    pattern = phase.step(st.MealPattern)
    if isinstance(pattern, st.MealPattern) and pattern.times is not None:
        times = [_min(t) for t in pattern.times]
    else:
        if isinstance(window, st.EatingWindow):
            start, end = _min(window.start), _min(window.end) - 30.0
            hours = window.hours
            n_default = 3 if hours >= 10 else 2 if hours >= 4 else 1
        else:
            start, end = MEAL_TIMES_H[0] * 60.0, MEAL_TIMES_H[-1] * 60.0
            n_default = 3
        n = (
            pattern.per_day
            if isinstance(pattern, st.MealPattern) and pattern.per_day
            else n_default
        )
        if window is None and n == 3:
            times = [h * 60.0 for h in MEAL_TIMES_H]
        elif n == 1:
            times = [start]
        else:
            end = max(end, start)
            times = [start + k * (end - start) / (n - 1) for k in range(n)]
        if n > 1 and (times[1] - times[0]) < MEAL_MINUTES:
            raise ProtocolError(
                f"{n} meals do not fit in the eating window {window} (meals last "
                f"{MEAL_MINUTES:g} min); use fewer meals or a longer window"
            )
    shares = list(MEAL_SHARES) if len(times) == 3 else [1.0 / len(times)] * len(times)
    return [(t, s, MEAL_MINUTES) for t, s in zip(times, shares, strict=True)]


def _weekdays(per_week: int, offset: int) -> set[int]:
    return {(math.floor(k * 7 / per_week) + offset) % 7 for k in range(per_week)}


@dataclass(frozen=True)
class _Person:
    label: str
    ei0: float
    habitual: tuple[float, float, float]
    vo2max: float
    vo2rest: float


def _person(person: Person) -> _Person:
    from ..models import physiology_model
    from ..physiology import PROTEIN_FRACTION, maintenance_intake

    v = person.parameter_values(physiology_model().parameter_names)
    c0 = v["carb_frac0"]
    return _Person(
        person.label,
        maintenance_intake(v),
        (c0, 1.0 - c0 - PROTEIN_FRACTION, PROTEIN_FRACTION),
        v["VO2max"],
        v["VO2rest"],
    )


@dataclass(frozen=True)
class _PhaseRules:
    """What a followed day of a phase does, worked out once per phase."""

    diet: DietSignals
    energy_kcal: float  # a full (not fast) day
    fast_day_kcal: float | None  # energy of a 5:2 / alternate-day fast day
    fast_pattern: str | None
    slots: tuple[tuple[float, float, float], ...]  # (minute of day, share, minutes)
    explicit: tuple[st.Meal, ...]
    signals: dict[str, float]
    sessions: tuple[
        tuple[frozenset[int], float, st.Exercise, float], ...
    ]  # weekdays, start, step, I


def _phase_diet(phase: st.Phase, who: _Person) -> tuple[DietSignals, float]:
    """The diet signals of a followed full day and its energy [kcal/day]."""
    diet = phase.step(st.Diet)
    diet = diet if isinstance(diet, st.Diet) else None
    energy = who.ei0
    if diet is not None and diet.energy_kcal is not None:
        energy = diet.energy_kcal
    elif diet is not None and diet.deficit_pct is not None:
        energy = who.ei0 * (1.0 - diet.deficit_pct / 100.0)
    meals = [s for s in phase.steps if isinstance(s, st.Meal)]
    carbs = None
    if meals:
        energy = sum(m.energy_kcal for m in meals)
        carbs = sum(m.carbs_g for m in meals)
    try:
        sig = diet_signals(diet, who.habitual, energy, carbs)
    except ValueError as e:
        raise ProtocolError(f"{diet}: {e}") from None
    return sig, energy


def _sessions(phase: st.Phase, who: _Person) -> tuple:
    """Each exercise step's weekdays, clock start and fraction of the VO2 reserve."""
    out = []
    for j, ex in enumerate(s for s in phase.steps if isinstance(s, st.Exercise)):
        value, unit = (
            (ex.intensity, ex.intensity_unit)
            if ex.intensity is not None
            else DEFAULT_INTENSITY[ex.activity]
        )
        try:
            frac = vo2_reserve_fraction(value, unit, who.vo2max, who.vo2rest)
        except ValueError as e:
            raise ProtocolError(f"{ex}: {e}") from None
        out.append((frozenset(_weekdays(ex.per_week, j)), _min(ex.time), ex, frac))
    return tuple(out)


def _appetite_gain(diet: object, ei0: float, energy: float) -> float:
    """The ``ad_libitum`` signal: 1 eats by appetite, 0 eats the plan; a free-living
    prescription eats plan + EI0*(appetite - 1), i.e. a gain of EI0/plan on the planned meals."""
    if not isinstance(diet, st.Diet):
        return 0.0
    if diet.ad_libitum:
        return 1.0
    if diet.free_living and energy > 0.0:
        return ei0 / energy
    return 0.0


def _omitted_meal_energy(
    phase: st.Phase, slots: tuple[tuple[float, float, float], ...], energy: float
) -> float:
    """The day's energy when the window or pattern omits habitual meals (module docstring);
    unchanged when the energy or the meals are prescribed."""
    from ..physiology import MEAL_SHARES

    diet = phase.step(st.Diet)
    prescribed = isinstance(diet, st.Diet) and (
        diet.energy_kcal is not None or diet.deficit_pct is not None
    )
    explicit = any(isinstance(s, st.Meal) for s in phase.steps)
    omitted = HABITUAL_MEALS - len(slots)
    if prescribed or explicit or omitted <= 0:
        return energy
    share = sum(sorted(MEAL_SHARES)[:omitted])
    return energy * (1.0 - (1.0 - MEAL_OMISSION_COMPENSATION) * share)


def _rules(phase: st.Phase, who: _Person) -> _PhaseRules:
    diet = phase.step(st.Diet)
    omega = phase.step(st.Omega3)
    fasting = phase.step(st.PeriodicFasting)
    if phase.step(st.ProlongedFast) is not None:
        sig, energy, slots = diet_signals(None, who.habitual), 0.0, ()
    else:
        sig, energy = _phase_diet(phase, who)
        slots = tuple(_meal_slots(phase))
        energy = _omitted_meal_energy(phase, slots, energy)
    fast_kcal = None
    if isinstance(fasting, st.PeriodicFasting):
        k = fasting.fast_day_kcal
        fast_kcal = FAST_DAY_FRACTION * who.ei0 if k is None else k
    return _PhaseRules(
        diet=sig,
        energy_kcal=energy,
        fast_day_kcal=fast_kcal,
        fast_pattern=fasting.pattern if isinstance(fasting, st.PeriodicFasting) else None,
        slots=slots,
        explicit=tuple(s for s in phase.steps if isinstance(s, st.Meal)),
        signals={
            "whole_food_diet": sig.whole_food_diet,
            "omega3": omega.g_per_day if isinstance(omega, st.Omega3) else 0.0,
            "sat_fat_change": sig.sat_fat_change,
            "ad_libitum": _appetite_gain(diet, who.ei0, energy),
        },
        sessions=_sessions(phase, who),
    )


def _day_meals(r: _PhaseRules, energy: float, day: int, label: str) -> list[Meal]:
    t0 = day * DAY_MIN
    sig = r.diet
    if r.explicit:
        return [
            Meal(
                t0 + _min(m.time),
                m.carbs_g,
                duration_min=m.minutes,
                fat_g=m.fat_g,
                protein_g=m.protein_g,
                gut_rate=sig.gut_rate,
                label=label,
            )
            for m in r.explicit
        ]
    if energy <= 0.0:
        return []
    return [
        Meal(
            t0 + t,
            energy * share * sig.carbs_frac / 4.0,
            duration_min=minutes,
            fat_g=energy * share * sig.fat_frac / 9.0,
            protein_g=energy * share * sig.protein_frac / 4.0,
            gut_rate=sig.gut_rate,
            label=label,
        )
        for t, share, minutes in r.slots
    ]


def _day_exercise(r: _PhaseRules, day_in_phase: int, day: int) -> list[ExerciseBout]:
    todays = sorted(
        ((start, ex, frac) for wd, start, ex, frac in r.sessions if day_in_phase % 7 in wd),
        key=lambda s: s[0],
    )
    bouts: list[ExerciseBout] = []
    free_from = 0.0
    for start, ex, frac in todays:
        start = max(start, free_from)  # queue a session behind an earlier one that day
        if start + ex.minutes > DAY_MIN:
            raise ProtocolError(
                f"the exercise sessions of day {day_in_phase % 7} of the week do not fit in one "
                f"day: '{ex}' would end after midnight; choose other times"
            )
        bouts.append(
            ExerciseBout(
                day * DAY_MIN + start,
                ex.minutes,
                frac,
                kind=MODEL_KIND[ex.activity],
                label=ex.activity,
            )
        )
        free_from = start + ex.minutes
    return bouts


def _habitual(day: int, who: _Person, phase: int | None, adherent: bool) -> DayPlan:
    from ..physiology import habitual_meals

    meals = habitual_meals(who.ei0, who.habitual[0], day=day)
    return DayPlan(day, phase, adherent, who.ei0, tuple(meals), (), dict.fromkeys(SIGNALS, 0.0))


def _followed_day(r: _PhaseRules, i: int, d: int, day: int) -> DayPlan:
    energy = r.energy_kcal
    if r.fast_pattern is not None:
        fast_day = d % 7 in FIVE_TWO_DAYS if r.fast_pattern == "5:2" else d % 2 == 0
        if fast_day:
            energy = r.fast_day_kcal
    meals = _day_meals(r, energy, day, f"phase {i + 1}")
    return DayPlan(
        day,
        i,
        True,
        sum(m.energy_kcal for m in meals),
        tuple(meals),
        tuple(_day_exercise(r, d, day)),
        dict(r.signals),
    )


def compile_protocol(
    protocol: st.Protocol | str, person: Person, days: float | None = None
) -> CompiledProtocol:
    """Compile ``protocol`` for ``person`` into a schedule of ``days`` whole days.

    days: the simulated length; default the protocol's length (every phase has one) or 84 days
    (12 weeks) when the last phase is open-ended. Past the protocol's end the day is habitual.
    """
    if isinstance(protocol, str):
        protocol = st.Protocol(protocol)
    who = _person(person)
    total = days if days is not None else protocol.fixed_days or 84.0
    if not float(total).is_integer() or total < 1:
        raise ProtocolError(f"days: got {total!r}; accepted: a whole number of days >= 1")
    n_days = int(total)
    rng = np.random.default_rng(protocol.seed)
    plans: list[DayPlan] = []
    notes: list[str] = []
    day = 0
    try:
        for i, phase in enumerate(protocol.phases):
            fast = phase.step(st.ProlongedFast)
            length = phase.days
            if length is None:  # a prolonged fast lasts its days; an open last phase runs on
                length = float(fast.days) if isinstance(fast, st.ProlongedFast) else n_days - day
            rules = _rules(phase, who)
            notes += [f"phase {i + 1}: {n}" for n in rules.diet.notes]
            for d in range(min(int(length), n_days - day)):
                followed = bool(rng.random() < phase.adherence)
                plans.append(
                    _followed_day(rules, i, d, day) if followed else _habitual(day, who, i, False)
                )
                day += 1
        if day < n_days:
            notes.append(f"the protocol ends on day {day}; days {day + 1}-{n_days} are habitual")
        while day < n_days:
            plans.append(_habitual(day, who, None, True))
            day += 1
        signals: dict[str, list[tuple[float, float]]] = {k: [] for k in SIGNALS}
        for p in plans:
            for k in SIGNALS:
                v = p.signals.get(k, 0.0)
                pts = signals[k]
                if (not pts and v != 0.0) or (pts and pts[-1][1] != v):
                    pts.append((p.day * DAY_MIN, v))
        schedule = Schedule(
            meals=[m for p in plans for m in p.meals],
            exercise=[e for p in plans for e in p.exercise],
            signals={k: v for k, v in signals.items() if v},
        )
    except EndotwinError as e:
        if isinstance(e, ProtocolError):
            raise
        raise ProtocolError(f"{protocol}: {e}") from None
    return CompiledProtocol(
        protocol, who.label, n_days, schedule, tuple(plans), who.ei0, tuple(dict.fromkeys(notes))
    )
