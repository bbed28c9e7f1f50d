"""Read a person record: the person's covariates plus their labs, from YAML or JSON.

Example::

    label: Ann
    sex: female
    age: 48
    height: "165 cm"          # or height_cm: 165
    weight: "92 kg"           # or weight_kg: 92
    body_fat_pct: 38          # a bare number is allowed for percentages only
    waist: "102 cm"
    fasting_glucose: "5.8 mmol/L"   # or "104 mg/dL"
    fasting_insulin: "96 pmol/L"    # or "16 uU/mL"
    hba1c: "41 mmol/mol"            # or "5.9 %"
    leptin: "38 ng/mL"
    triglycerides: "1.7 mmol/L"     # or "150 mg/dL"
    hdl: "45 mg/dL"                 # or "1.16 mmol/L"

``sex``, ``age``, ``height`` and ``weight`` are required (the slow layers and the calibration need
them). Labs are optional and must carry their unit (see :mod:`endotwin.io.labs`). The person part
accepts the keys of a person file (:mod:`endotwin.io.person_file`); ``body_fat_pct`` goes to both
the :class:`Person` and the :class:`Labs`; a measured ``leptin`` also sets the person's
``leptin_measured`` (the leptin component scales the person's leptin level to it). Unknown keys
are refused so typos do not pass silently.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..person import Person
from .labs import LAB_KEYS, Labs, labs_from_mapping
from .person_file import _KEYS as PERSON_KEYS
from .person_file import _load, person_from_mapping

#: required covariates: (accepted keys, what is accepted)
_REQUIRED: dict[str, tuple[tuple[str, ...], str]] = {
    "sex": (("sex",), "'female' or 'male'"),
    "age": (("age",), "an age in [18, 110] years"),
    "height": (("height", "height_cm"), "a height, e.g. height: '165 cm' or height_cm: 165"),
    "weight": (("weight", "weight_kg"), "a body weight, e.g. weight: '92 kg' or weight_kg: 92"),
}


@dataclass(frozen=True)
class PersonRecord:
    """A person (covariates, parameter set) and their measured labs."""

    person: Person
    labs: Labs


def person_record_from_mapping(data: dict[str, Any], source: str = "person record") -> PersonRecord:
    """Build a :class:`PersonRecord` from a mapping (see the module docstring for the keys)."""
    if not isinstance(data, dict):
        raise InputError(source, data, "a mapping of fields (sex, age, height, weight, labs)")
    unknown = sorted(set(data) - PERSON_KEYS - LAB_KEYS)
    if unknown:
        raise InputError(f"{source}: field", unknown, f"one of {sorted(PERSON_KEYS | LAB_KEYS)}")
    for name, (keys, accepted) in _REQUIRED.items():
        if all(data.get(k) is None for k in keys):
            raise InputError(name, None, accepted, "The field is required in a person record.")
    person_part = {k: v for k, v in data.items() if k in PERSON_KEYS}
    labs = labs_from_mapping({k: v for k, v in data.items() if k in LAB_KEYS}, source)
    person = person_from_mapping(person_part, source)
    if labs.body_fat_pct is not None:
        person = dataclasses.replace(person, body_fat_pct=labs.body_fat_pct)
    if labs.leptin_ngml is not None:
        # a measured fasting leptin sets the person's leptin level (leptin component,
        # leptin_measured; checked against its bounds by Person)
        person = dataclasses.replace(
            person, parameters={**person.parameters, "leptin_measured": labs.leptin_ngml}
        )
    return PersonRecord(person=person, labs=labs)


def read_person_record(path: str | Path) -> PersonRecord:
    """Read a :class:`PersonRecord` from a YAML or JSON file."""
    p = Path(path)
    return person_record_from_mapping(_load(p), source=str(p))
