"""A published study's baseline characteristics, as the input of the virtual-population sampler.

Built from a YAML mapping such as ``{female_fraction: 0.68, age: {mean: 50.6, sd: 10.7},
bmi: {mean: 34.0, sd: 6.7, low: 24}}``: each characteristic as printed in the paper's baseline
table (mean, between-person SD if published, inclusion limits if published).

Accepted ranges (ASSUMPTION: the adult range the model is built for, not from a source): a
study mean and its limits must lie in: age 18-90 y, BMI 15-60 kg/m^2, weight 35-250 kg, fasting
glucose 60-300 mg/dL, fasting insulin 1-100 uU/mL, baseline energy expenditure
1000-5000 kcal/day. SDs must be positive, ``low < high`` and the
mean inside ``[low, high]``. Violations raise :class:`pydantic.ValidationError` whose location
names the field (for example ``age.sd`` or ``bmi``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

GlycaemicStatus = Literal["normal", "prediabetes", "type 2 diabetes"]

#: accepted range of a study mean and of its limits, per field (module docstring)
RANGES: dict[str, tuple[float, float, str]] = {
    "age": (18.0, 90.0, "years"),
    "bmi": (15.0, 60.0, "kg/m^2"),
    "weight_kg": (35.0, 250.0, "kg"),
    "fasting_glucose_mgdl": (60.0, 300.0, "mg/dL"),
    "fasting_insulin_uuml": (1.0, 100.0, "uU/mL"),
    "energy_expenditure_kcal": (1000.0, 5000.0, "kcal/day"),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Stat(_Frozen):
    """A baseline characteristic as published: mean, between-person SD, inclusion limits."""

    mean: float
    sd: float | None = Field(default=None, gt=0)
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _check(self) -> Stat:
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        if self.low is not None and self.mean < self.low:
            raise ValueError(f"mean {self.mean:g} is below low = {self.low:g}")
        if self.high is not None and self.mean > self.high:
            raise ValueError(f"mean {self.mean:g} is above high = {self.high:g}")
        return self


class Baseline(_Frozen):
    """Baseline of a study population (what its Table 1 publishes).

    female_fraction: share of women, 0-1. age [years]; bmi [kg/m^2] and/or weight_kg [kg] (at
    least one; with both, BMI is matched and the heights are scaled by one factor so that the
    mean weight is matched too);
    fasting_glucose_mgdl [mg/dL] and fasting_insulin_uuml [uU/mL] if published;
    energy_expenditure_kcal [kcal/day]: the measured baseline total energy expenditure (doubly
    labelled water; at weight stability also the habitual intake) if published;
    glycaemic_status: who was recruited.
    """

    female_fraction: float = Field(ge=0.0, le=1.0)
    age: Stat
    bmi: Stat | None = None
    weight_kg: Stat | None = None
    fasting_glucose_mgdl: Stat | None = None
    fasting_insulin_uuml: Stat | None = None
    energy_expenditure_kcal: Stat | None = None
    glycaemic_status: GlycaemicStatus = "normal"

    @field_validator(
        "age",
        "bmi",
        "weight_kg",
        "fasting_glucose_mgdl",
        "fasting_insulin_uuml",
        "energy_expenditure_kcal",
        mode="after",
    )
    @classmethod
    def _in_range(cls, v: Stat | None, info: ValidationInfo) -> Stat | None:
        if v is None:
            return v
        name = str(info.field_name)
        lo, hi, unit = RANGES[name]
        for part in ("mean", "low", "high"):
            x = getattr(v, part)
            if x is not None and not lo <= x <= hi:
                raise ValueError(f"{name}.{part} = {x:g} is outside [{lo:g}, {hi:g}] {unit}")
        return v

    @model_validator(mode="after")
    def _body_size(self) -> Baseline:
        if self.bmi is None and self.weight_kg is None:
            raise ValueError("bmi / weight_kg: give at least one of them")
        return self


__all__ = ["RANGES", "Baseline", "GlycaemicStatus", "Stat"]
