"""A person: covariates and the parameter set (with overrides) that describe their physiology.

This is the meal-layer person. Body-composition covariates (sex, age, height, body fat) are
validated here and used by the slow layers; labs-based personalisation is the calibration step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from .errors import InputError
from .parameters import ParameterSet, get_parameter_set

Sex = Literal["female", "male"]


def _check(name: str, value: float | None, lo: float, hi: float, unit: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, value, f"a number in [{lo:g}, {hi:g}] {unit}")
    if not math.isfinite(value) or not (lo <= value <= hi):
        raise InputError(name, value, f"[{lo:g}, {hi:g}] {unit}")


@dataclass(frozen=True)
class Person:
    """A simulated person.

    Parameters
    ----------
    weight_kg: body weight [kg], 25-350.
    parameter_set: name of a built-in set (``"dallaman2007_normal"``, ``"dallaman2007_t2d"``) or a
        :class:`ParameterSet`.
    parameters: overrides ``{name: value}`` in each parameter's own unit (checked against bounds).
    sex, age, height_cm: covariates (validated; used by the body-composition layer).
    """

    weight_kg: float = 78.0
    parameter_set: str | ParameterSet = "dallaman2007_normal"
    parameters: dict[str, float] = field(default_factory=dict)
    sex: Sex | None = None
    age: float | None = None
    height_cm: float | None = None
    label: str = "person"

    def __post_init__(self) -> None:
        _check("weight_kg", self.weight_kg, 25.0, 350.0, "kg")
        _check("age", self.age, 18.0, 110.0, "years (the adult model)")
        _check("height_cm", self.height_cm, 120.0, 230.0, "cm")
        if self.sex is not None and self.sex not in ("female", "male"):
            raise InputError("sex", self.sex, "'female' or 'male'")
        if self.height_cm is not None:
            bmi = self.weight_kg / (self.height_cm / 100.0) ** 2
            _check("BMI (weight_kg / height_m^2)", round(bmi, 1), 12.0, 80.0, "kg/m^2")
        self.resolved_parameters()  # validate names and bounds now, not at simulation time

    def resolved_parameters(self) -> ParameterSet:
        """The person's parameter set with overrides applied (names and bounds checked)."""
        ps = get_parameter_set(self.parameter_set)
        return ps.with_values(**self.parameters) if self.parameters else ps

    def parameter_values(self) -> dict[str, float]:
        """Values of every model parameter, including body weight ``BW`` [kg]."""
        v = self.resolved_parameters().values()
        v["BW"] = float(self.weight_kg)
        if self.age is not None and "age_yr" in v:
            v["age_yr"] = float(self.age)  # sets HRmax in the exercise model (Tanaka 2001)
        return v


def demo_person() -> Person:
    """The built-in demo person: the Dalla Man 2007 mean normal subject at 78 kg."""
    return Person(weight_kg=78.0, label="demo (Dalla Man 2007 normal)")
