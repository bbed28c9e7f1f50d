"""Typed lifestyle-protocol steps (pydantic v2), each validated with its units.

A :class:`Protocol` is a sequence of :class:`Phase` s; a phase holds steps and lasts ``days``.
Steps say what a person does, never what happens to them: no step can set an outcome (HOMA-IR,
weight, leptin). :mod:`endotwin.protocols.compile` turns them into the model's inputs (meals,
exercise bouts, diet signals) and the physiology decides the rest.

Every number has its unit in the field name or the field's description, a range, and an error
that names it. The text form of each step (``str(step)``) is the canonical phrase of the protocol
language (:mod:`endotwin.protocols.parse`), so ``Protocol(str(p)) == p``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

#: the energy floor of a diet [kcal/day]: very-low-calorie diets are 450-800 kcal/day (NICE
#: CG189); below that only a prolonged fast of bounded length (``ProlongedFast``) is accepted
MIN_DIET_KCAL = 450.0
MAX_DIET_KCAL = 6000.0
#: the longest prolonged fast accepted [days] (beyond two weeks the model's body-composition layer
#: is outside the data it was built on and a fast needs medical supervision)
MAX_FAST_DAYS = 14
MAX_PHASE_DAYS = 3650.0


def fmt_num(x: float) -> str:
    """Shortest text without an exponent that parses back to the same float (``1800.0`` ->
    ``'1800'``, ``1e-05`` -> ``'0.00001'``)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return np.format_float_positional(float(x), trim="-")


def fmt_time(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


class _Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _whole_minutes(cls, v: object) -> object:
        if isinstance(v, dt.time) and (v.second or v.microsecond or v.tzinfo):
            raise ValueError("a time of day HH:MM (whole minutes, no time zone)")
        return v


Pct = Annotated[float, Field(ge=0.0, le=100.0)]


class Diet(_Step):
    """What is eaten: energy, macronutrients and food quality (all optional; unset = habitual).

    Energy is at most one of ``energy_kcal`` (kcal/day), ``deficit_pct`` (% below the person's
    maintenance intake) or ``ad_libitum`` (eat to appetite: hunger sets intake). ``free_living``
    marks a prescribed energy (kcal/day or deficit) that people follow on their own: they eat the
    prescription plus the change of their appetite from habitual (see
    :mod:`endotwin.components.nutrition`), so intake drifts back up as weight is lost (Polidori
    2016). ``preset`` names
    a diet in :mod:`endotwin.protocols.presets` whose composition fills the fields not given.
    """

    kind: Literal["diet"] = "diet"
    preset: str | None = None
    energy_kcal: float | None = Field(None, ge=MIN_DIET_KCAL, le=MAX_DIET_KCAL)
    deficit_pct: float | None = Field(None, gt=0.0, le=75.0)
    ad_libitum: bool = False
    free_living: bool = False
    carbs_pct: float | None = Field(None, ge=0.0, le=90.0)
    fat_pct: float | None = Field(None, ge=0.0, le=90.0)
    protein_pct: float | None = Field(None, ge=5.0, le=60.0)
    sat_fat_pct: float | None = Field(None, ge=0.0, le=40.0)
    fibre_g: float | None = Field(None, ge=0.0, le=150.0)
    glycaemic_load: float | None = Field(None, ge=0.0, le=600.0)
    ultra_processed_pct: Pct | None = None

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, v: str | None) -> str | None:
        if v is None:
            return v
        from .presets import preset_key

        return preset_key(v)

    @model_validator(mode="after")
    def _consistent(self) -> Diet:
        energy = [n for n in ("energy_kcal", "deficit_pct") if getattr(self, n) is not None] + (
            ["ad_libitum"] if self.ad_libitum else []
        )
        if len(energy) > 1:
            raise ValueError(f"give the energy once, not as {' and '.join(energy)}")
        if self.free_living and self.energy_kcal is None and self.deficit_pct is None:
            raise ValueError(
                "'free-living' qualifies a prescribed energy: give kcal/day or a % deficit"
            )
        macros = [self.carbs_pct, self.fat_pct, self.protein_pct]
        given = [m for m in macros if m is not None]
        if sum(given) > 100.0 + 1e-9:
            raise ValueError(f"carbohydrate, fat and protein add up to {sum(given):g}% (> 100%)")
        if len(given) == 3 and abs(sum(given) - 100.0) > 0.5:
            raise ValueError(f"carbohydrate, fat and protein add up to {sum(given):g}%, not 100%")
        if (
            self.sat_fat_pct is not None
            and self.fat_pct is not None
            and self.sat_fat_pct > self.fat_pct
        ):
            raise ValueError(f"saturated fat {self.sat_fat_pct:g}% exceeds fat {self.fat_pct:g}%")
        if all(getattr(self, n) in (None, False) for n in type(self).model_fields if n != "kind"):
            raise ValueError("an empty diet step")
        return self

    def __str__(self) -> str:
        from .presets import presets

        parts = []
        if self.preset is not None:
            parts.append(presets()[self.preset].phrase)
        if self.energy_kcal is not None:
            parts.append(f"{fmt_num(self.energy_kcal)} kcal/day")
        if self.deficit_pct is not None:
            parts.append(f"{fmt_num(self.deficit_pct)}% deficit")
        if self.ad_libitum:
            parts.append("ad libitum")
        if self.free_living:
            parts.append("free-living")
        for field_name, word in (
            ("carbs_pct", "carbs"),
            ("fat_pct", "fat"),
            ("protein_pct", "protein"),
            ("sat_fat_pct", "saturated fat"),
            ("ultra_processed_pct", "ultra-processed"),
        ):
            v = getattr(self, field_name)
            if v is not None:
                parts.append(f"{fmt_num(v)}% {word}")
        if self.fibre_g is not None:
            parts.append(f"{fmt_num(self.fibre_g)} g fibre")
        if self.glycaemic_load is not None:
            parts.append(f"glycaemic load {fmt_num(self.glycaemic_load)}")
        return ", ".join(parts)


class Omega3(_Step):
    """An omega-3 supplement: EPA+DHA [g/day]."""

    kind: Literal["omega3"] = "omega3"
    g_per_day: float = Field(gt=0.0, le=10.0)

    def __str__(self) -> str:
        return f"omega-3 {fmt_num(self.g_per_day)} g/day"


class EatingWindow(_Step):
    """Time-restricted eating: all food between ``start`` and ``end`` (same day, HH:MM).

    "16:8 fasting" is a window of 8 h; by default it ends at 20:00 (12:00-20:00, the window of
    Lowe et al. 2020), as do "18:6" and "14:10"; "early TRE" is a morning window.
    """

    kind: Literal["window"] = "window"
    start: dt.time
    end: dt.time

    @model_validator(mode="after")
    def _order(self) -> EatingWindow:
        length = _minutes(self.end) - _minutes(self.start)
        if length <= 0:
            raise ValueError(
                f"the window must end after it starts on the same day ({fmt_time(self.start)}"
                f"-{fmt_time(self.end)})"
            )
        if length < 60:
            raise ValueError(f"an eating window of {length} min is shorter than 1 h")
        return self

    @property
    def hours(self) -> float:
        return (_minutes(self.end) - _minutes(self.start)) / 60.0

    def __str__(self) -> str:
        h = self.hours
        if self.end == dt.time(20, 0) and h.is_integer() and 1 <= h <= 23:
            return f"{24 - int(h)}:{int(h)} fasting"
        return f"eat between {fmt_time(self.start)} and {fmt_time(self.end)}"


class PeriodicFasting(_Step):
    """Whole fast days: ``"5:2"`` (2 non-consecutive days a week, Monday and Thursday) or
    ``"alternate-day"`` (every other day, from the first), with ``fast_day_kcal`` eaten on a fast
    day (0 = water only; None = 25% of the person's maintenance intake, the fast-day energy of
    Harvie et al. 2011 and Trepanowski et al. 2017)."""

    kind: Literal["periodic_fast"] = "periodic_fast"
    pattern: Literal["5:2", "alternate-day"]
    fast_day_kcal: float | None = Field(None, ge=0.0, le=1200.0)

    def __str__(self) -> str:
        name = "5:2 fasting" if self.pattern == "5:2" else "alternate-day fasting"
        if self.fast_day_kcal is None:
            return name
        return f"{name} at {fmt_num(self.fast_day_kcal)} kcal"


class OneMealADay(_Step):
    """All of the day's food in one meal at ``time`` (eaten over ``minutes``)."""

    kind: Literal["omad"] = "omad"
    time: dt.time = dt.time(18, 0)
    minutes: float = Field(60.0, ge=5.0, le=180.0)

    @model_validator(mode="after")
    def _same_day(self) -> OneMealADay:
        if _minutes(self.time) + self.minutes > 24 * 60:
            raise ValueError(
                f"a {self.minutes:g}-min meal at {fmt_time(self.time)} ends after midnight"
            )
        return self

    def __str__(self) -> str:
        return f"one meal a day at {fmt_time(self.time)} over {fmt_num(self.minutes)} min"


class ProlongedFast(_Step):
    """No food for ``days`` whole days (00:00 of the first to 24:00 of the last), water only.

    A prolonged fast is a phase of its own: the phase lasts exactly ``days``.
    """

    kind: Literal["prolonged_fast"] = "prolonged_fast"
    days: int = Field(ge=1, le=MAX_FAST_DAYS)

    def __str__(self) -> str:
        return f"{self.days}-day fast"


class MealPattern(_Step):
    """How the day's intake is split: ``per_day`` meals spread over the eating window, or meals
    at explicit ``times``."""

    kind: Literal["meal_pattern"] = "meal_pattern"
    per_day: int | None = Field(None, ge=1, le=8)
    times: tuple[dt.time, ...] | None = None

    @model_validator(mode="after")
    def _one(self) -> MealPattern:
        if (self.per_day is None) == (self.times is None):
            raise ValueError("give either a number of meals a day or their times")
        if self.times is not None:
            if not 1 <= len(self.times) <= 8:
                raise ValueError(f"{len(self.times)} meal times (accepted: 1-8)")
            m = [_minutes(t) for t in self.times]
            if any(b - a < 20 for a, b in itertools.pairwise(m)):
                raise ValueError("meal times must increase and be at least 20 min apart")
        return self

    def __str__(self) -> str:
        if self.times is not None:
            return "meals at " + ", ".join(fmt_time(t) for t in self.times)
        return f"{self.per_day} meals a day"


class Meal(_Step):
    """One meal every day at ``time`` with explicit macronutrients [g]."""

    kind: Literal["meal"] = "meal"
    time: dt.time
    carbs_g: float = Field(0.0, ge=0.0, le=500.0)
    fat_g: float = Field(0.0, ge=0.0, le=300.0)
    protein_g: float = Field(0.0, ge=0.0, le=300.0)
    minutes: float = Field(15.0, ge=1.0, le=180.0)

    @model_validator(mode="after")
    def _food(self) -> Meal:
        if self.carbs_g + self.fat_g + self.protein_g <= 0.0:
            raise ValueError("a meal needs carbohydrate, fat or protein")
        if _minutes(self.time) + self.minutes > 24 * 60:
            raise ValueError(
                f"a {self.minutes:g}-min meal at {fmt_time(self.time)} ends after midnight"
            )
        return self

    @property
    def energy_kcal(self) -> float:
        return 4.0 * self.carbs_g + 9.0 * self.fat_g + 4.0 * self.protein_g

    def __str__(self) -> str:
        parts = [
            f"{fmt_num(v)} g {w}"
            for v, w in ((self.carbs_g, "carbs"), (self.fat_g, "fat"), (self.protein_g, "protein"))
            if v
        ]
        return f"meal at {fmt_time(self.time)} over {fmt_num(self.minutes)} min: " + ", ".join(
            parts
        )


Activity = Literal["strength", "hiit", "aerobic", "walk"]
IntensityUnit = Literal["%VO2max", "%VO2R", "RPE", "MET"]
_ACTIVITY_WORDS = {
    "strength": "strength training",
    "hiit": "HIIT",
    "aerobic": "aerobic exercise",
    "walk": "walk",
}
_INTENSITY_RANGE = {
    "%VO2max": (1.0, 100.0),
    "%VO2R": (1.0, 100.0),
    "RPE": (6.0, 20.0),
    "MET": (1.0, 20.0),
}


class Exercise(_Step):
    """Exercise sessions: ``per_week`` sessions (7 = daily) of ``minutes`` at ``time``.

    ``intensity`` is in ``intensity_unit``: % of VO2max, % of the VO2 reserve, Borg RPE (6-20) or
    METs; unset = the activity's typical intensity (:mod:`endotwin.protocols.intensity`).
    """

    kind: Literal["exercise"] = "exercise"
    activity: Activity
    per_week: int = Field(3, ge=1, le=7)
    minutes: float = Field(30.0, ge=1.0, le=300.0)
    intensity: float | None = None
    intensity_unit: IntensityUnit = "%VO2max"
    time: dt.time = dt.time(18, 0)

    @model_validator(mode="after")
    def _intensity(self) -> Exercise:
        if self.intensity is None and self.intensity_unit != "%VO2max":
            raise ValueError("an intensity unit without an intensity")
        if self.intensity is not None:
            lo, hi = _INTENSITY_RANGE[self.intensity_unit]
            if not lo <= self.intensity <= hi:
                raise ValueError(
                    f"intensity {self.intensity:g} {self.intensity_unit} outside [{lo:g}, {hi:g}]"
                )
        if _minutes(self.time) + self.minutes > 24 * 60:
            raise ValueError(
                f"a {self.minutes:g}-min session at {fmt_time(self.time)} runs past midnight"
            )
        return self

    def __str__(self) -> str:
        freq = "daily" if self.per_week == 7 else f"{self.per_week}x/week"
        s = f"{_ACTIVITY_WORDS[self.activity]} {freq} {fmt_num(self.minutes)} min"
        if self.intensity is not None:
            u = self.intensity_unit
            if u == "RPE":
                s += f" at RPE {fmt_num(self.intensity)}"
            elif u == "MET":
                s += f" at {fmt_num(self.intensity)} METs"
            else:
                s += f" at {fmt_num(self.intensity)}% {u[1:]}"
        return s + f" at {fmt_time(self.time)}"


class Adherence(_Step):
    """The share of days [%] on which the phase is followed (the other days are habitual)."""

    kind: Literal["adherence"] = "adherence"
    pct: float = Field(ge=0.0, le=100.0)

    def __str__(self) -> str:
        return f"adherence {fmt_num(self.pct)}%"


Step = Annotated[
    Diet
    | Omega3
    | EatingWindow
    | PeriodicFasting
    | OneMealADay
    | ProlongedFast
    | MealPattern
    | Meal
    | Exercise
    | Adherence,
    Field(discriminator="kind"),
]

#: steps of which a phase may hold at most one
_SINGLE = (
    Diet,
    Omega3,
    EatingWindow,
    PeriodicFasting,
    OneMealADay,
    ProlongedFast,
    MealPattern,
    Adherence,
)
#: a prolonged fast excludes every food-related step
_FOOD = (Diet, EatingWindow, PeriodicFasting, OneMealADay, MealPattern, Meal)


class Phase(BaseModel):
    """Steps followed together for ``days`` (None: until the end of the simulation)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    steps: tuple[Step, ...] = ()
    days: float | None = Field(None, gt=0.0, le=MAX_PHASE_DAYS)

    @model_validator(mode="after")
    def _compatible(self) -> Phase:
        if self.days is not None and not float(self.days).is_integer():
            raise ValueError(f"a phase of {self.days:g} days; phases last whole days")
        for cls in _SINGLE:
            n = sum(isinstance(s, cls) for s in self.steps)
            if n > 1:
                if cls is EatingWindow:
                    w = [s for s in self.steps if isinstance(s, EatingWindow)]
                    a, b = sorted(w[:2], key=lambda s: s.start)
                    if b.start < a.end:
                        raise ValueError(f"overlapping eating windows: {a} and {b}")
                    raise ValueError(f"one eating window per phase, not {a} and {b}")
                raise ValueError(f"{n} {cls.__name__} steps in one phase (at most one)")
        kinds = {type(s) for s in self.steps}
        fast = next((s for s in self.steps if isinstance(s, ProlongedFast)), None)
        if fast is not None:
            others = [type(s).__name__ for s in self.steps if isinstance(s, _FOOD)]
            if others:
                raise ValueError(f"a prolonged fast cannot be combined with {', '.join(others)}")
            if self.days is not None and self.days != fast.days:
                raise ValueError(
                    f"a {fast.days}-day fast is a phase of its own; it lasts {fast.days} days, "
                    f"not {self.days:g}"
                )
        if OneMealADay in kinds and kinds & {EatingWindow, MealPattern, Meal}:
            raise ValueError("one meal a day cannot be combined with a window or other meals")
        meals = [s for s in self.steps if isinstance(s, Meal)]
        if meals:
            if MealPattern in kinds:
                raise ValueError("explicit meals cannot be combined with a meal pattern")
            diet = next((s for s in self.steps if isinstance(s, Diet)), None)
            if diet is not None and (
                diet.energy_kcal is not None or diet.deficit_pct is not None or diet.ad_libitum
            ):
                raise ValueError("explicit meals set the energy; drop the diet's energy")
            times = sorted((_minutes(m.time), m.minutes) for m in meals)
            for (t0, d0), (t1, _) in itertools.pairwise(times):
                if t1 < t0 + d0:
                    raise ValueError("explicit meals overlap")
            window = next((s for s in self.steps if isinstance(s, EatingWindow)), None)
            if window is not None:
                for m in meals:
                    if not (
                        _minutes(window.start) <= _minutes(m.time)
                        and _minutes(m.time) + m.minutes <= _minutes(window.end)
                    ):
                        raise ValueError(f"the meal at {fmt_time(m.time)} is outside {window}")
        pattern = next((s for s in self.steps if isinstance(s, MealPattern)), None)
        window = next((s for s in self.steps if isinstance(s, EatingWindow)), None)
        if pattern is not None and pattern.times is not None and window is not None:
            for t in pattern.times:
                if not _minutes(window.start) <= _minutes(t) < _minutes(window.end):
                    raise ValueError(f"the meal time {fmt_time(t)} is outside {window}")
        return self

    @property
    def adherence(self) -> float:
        """Fraction of days followed (1 unless an :class:`Adherence` step says otherwise)."""
        a = next((s for s in self.steps if isinstance(s, Adherence)), None)
        return 1.0 if a is None else a.pct / 100.0

    def step(self, cls: type) -> object | None:
        """The phase's (single) step of type ``cls``, or None."""
        return next((s for s in self.steps if isinstance(s, cls)), None)

    def __str__(self) -> str:
        body = "; ".join(str(s) for s in self.steps)
        if self.days is not None:
            d = self.days
            dur = (
                f"for {fmt_num(d / 7)} weeks" if (d / 7).is_integer() else f"for {fmt_num(d)} days"
            )
            body = f"{body} {dur}" if body else dur
        return body


class Protocol(BaseModel):
    """A lifestyle protocol: phases in order, plus the ``seed`` that picks non-adherent days.

    ``Protocol("16:8 fasting; HIIT 3x/week 20 min for 12 weeks")`` parses the protocol language;
    ``Protocol(phases=[...])`` builds it from typed steps; ``Protocol.model_validate(dict)``
    loads the YAML/JSON form. ``str(protocol)`` is text that parses back to an equal protocol.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    phases: tuple[Phase, ...] = Field(min_length=1, max_length=50)
    seed: int = Field(0, ge=0, le=2**32 - 1)

    def __init__(self, text: str | None = None, /, **data: object) -> None:
        if text is not None:
            if data:
                raise TypeError("give the protocol as text or as fields, not both")
            from .parse import parse_fields

            data = parse_fields(text)
            try:
                super().__init__(**data)
            except ValidationError as e:
                from .parse import protocol_error

                err = e.errors()[0]
                msg = str(err["msg"]).removeprefix("Value error, ")
                where = ".".join(str(x) for x in err["loc"])
                raise protocol_error(
                    text,
                    0,
                    len(text),
                    f"{where}: {msg}" if where else msg,
                    "a protocol has 1-50 phases; see docs/protocols.md for the forms",
                ) from None
            return
        super().__init__(**data)

    @model_validator(mode="after")
    def _durations(self) -> Protocol:
        for i, ph in enumerate(self.phases):
            if not ph.steps and ph.days is None:
                raise ValueError(f"phase {i + 1} is empty: give it steps or a length")
        for i, ph in enumerate(self.phases[:-1]):
            if ph.days is None and ph.step(ProlongedFast) is None:
                raise ValueError(
                    f"phase {i + 1} ('{ph}') needs a duration ('for N weeks') because another "
                    "phase follows it"
                )
        return self

    @property
    def fixed_days(self) -> float | None:
        """Total length [days] when every phase has one, else None (the last runs on)."""
        total = 0.0
        for ph in self.phases:
            d = ph.days
            fast = ph.step(ProlongedFast)
            if fast is not None:
                d = float(fast.days)  # type: ignore[attr-defined]
            if d is None:
                return None
            total += d
        return total

    def __str__(self) -> str:
        s = " then ".join(str(ph) for ph in self.phases)
        return s + (f"; seed {self.seed}" if self.seed else "")
