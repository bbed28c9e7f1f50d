"""A person: covariates and the parameter set (with overrides) that describe their physiology.

The meal layer needs only body weight (and age, for the exercise heart rate). The slow layers
(body composition, leptin, resistance mechanisms) need sex, age and height, and use a measured
body-fat percentage when one is given: a model that needs a covariate the person lacks raises
:class:`InputError` naming it. Labs-based personalisation is the calibration step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .errors import InputError
from .parameters import ParameterSet, get_parameter_set, merge_parameter_sets

Sex = Literal["female", "male"]

#: parameter sets of the slow layers, merged into every person's set (their parameters are used
#: only by models that contain those layers)
SLOW_LAYER_SETS: tuple[str, ...] = ("hall2011", "leptin_appetite", "mechanisms")

#: covariates the body-composition layer needs (a model with ``is_male`` contains it), and why
_BODY_COVARIATES = {
    "sex": "'female' or 'male' (sex-specific equations: Mifflin-St Jeor RMR, body fat, "
    "extracellular fluid, leptin)",
    "height_cm": "a height in [120, 230] cm (RMR, BMI, extracellular fluid)",
    "age": "an age in [18, 110] years (RMR, body fat, maximal heart rate)",
}


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
    body_fat_pct: measured body fat [%] (2-70); when absent the body-composition layer estimates it
        from age, BMI and sex (Jackson et al. 2002, as in Hall 2011's ``bw``).
    """

    weight_kg: float = 78.0
    parameter_set: str | ParameterSet = "dallaman2007_normal"
    parameters: dict[str, float] = field(default_factory=dict)
    sex: Sex | None = None
    age: float | None = None
    height_cm: float | None = None
    body_fat_pct: float | None = None
    label: str = "person"

    def __post_init__(self) -> None:
        _check("weight_kg", self.weight_kg, 25.0, 350.0, "kg")
        _check("age", self.age, 18.0, 110.0, "years (the adult model)")
        _check("height_cm", self.height_cm, 120.0, 230.0, "cm")
        if self.sex is not None and self.sex not in ("female", "male"):
            raise InputError("sex", self.sex, "'female' or 'male'")
        _check("body_fat_pct", self.body_fat_pct, 2.0, 70.0, "% of body weight")
        if self.height_cm is not None:
            bmi = self.weight_kg / (self.height_cm / 100.0) ** 2
            _check("BMI (weight_kg / height_m^2)", round(bmi, 1), 12.0, 80.0, "kg/m^2")
        self.resolved_parameters()  # validate names and bounds now, not at simulation time

    def resolved_parameters(self) -> ParameterSet:
        """The person's parameter set with overrides applied (names and bounds checked)."""
        base = get_parameter_set(self.parameter_set)
        slow = [get_parameter_set(n) for n in SLOW_LAYER_SETS]
        ps = merge_parameter_sets(base.name, base, *slow, description=base.description)
        return ps.with_values(**self.parameters) if self.parameters else ps

    def parameter_values(self, needed: Iterable[str] = ()) -> dict[str, float]:
        """Values of every model parameter, with the covariates filled in.

        ``needed``: the parameter names of the model to be run; a covariate that the model needs
        (sex for ``is_male``, height, age) but the person lacks raises :class:`InputError`.
        """
        v = self.resolved_parameters().values()
        if "is_male" in set(needed):
            for field_name, accepted in _BODY_COVARIATES.items():
                if getattr(self, field_name) is None:
                    raise InputError(
                        field_name, None, accepted, "needed by the model (body composition)"
                    )
        v["BW"] = float(self.weight_kg)
        if self.age is not None:
            v["age_yr"] = float(self.age)  # HRmax (Tanaka 2001), RMR, body fat
        if self.sex is not None:
            v["is_male"] = 1.0 if self.sex == "male" else 0.0
        if self.height_cm is not None:
            v["height_cm"] = float(self.height_cm)
        if self.body_fat_pct is not None:
            v["body_fat_pct"] = float(self.body_fat_pct)
        return v


def demo_person() -> Person:
    """The built-in demo person: the Dalla Man 2007 mean normal subject at 78 kg."""
    return Person(
        weight_kg=78.0,
        sex="male",
        age=56.0,
        height_cm=176.0,
        label="demo (Dalla Man 2007 normal)",
    )
