"""Read a person from YAML or JSON.

Example::

    label: Ann
    weight_kg: 92
    sex: female
    age: 48
    height_cm: 165
    parameter_set: dallaman2007_normal
    parameters:          # optional overrides, each in the parameter's own unit
      Vmx: 0.035         # mg/kg/min per pmol/L

Quantities may also be written with units as strings (``weight: "92 kg"``, ``height: "5.4 ft"`` is
not accepted — use cm, m or in). Unknown keys are refused so typos do not pass silently.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..person import Person
from ..units import parse_quantity

_KEYS = {
    "label",
    "weight_kg",
    "weight",
    "sex",
    "age",
    "height_cm",
    "height",
    "parameter_set",
    "parameters",
}


def _load(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise InputError("person file", str(path), "an existing YAML or JSON file")
    text = path.read_text()
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise InputError("person file", str(path), f"valid YAML/JSON ({e})") from None
    if not isinstance(data, dict):
        raise InputError("person file", str(path), "a mapping of fields (weight_kg, sex, ...)")
    return data


def person_from_mapping(data: dict[str, Any], source: str = "person") -> Person:
    """Build a :class:`Person` from a mapping, converting quantities written with units."""
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(f"{source}: field", unknown, f"one of {sorted(_KEYS)}")
    d = dict(data)
    if "weight" in d:
        d["weight_kg"] = parse_quantity(d.pop("weight"), "mass", "weight")
    if "height" in d:
        d["height_cm"] = parse_quantity(d.pop("height"), "length", "height")
    if "weight_kg" not in d:
        raise InputError("weight_kg", None, "body weight in kg (25-350)", "The field is required.")
    params = d.get("parameters") or {}
    if not isinstance(params, dict):
        raise InputError("parameters", params, "a mapping {name: value}")
    d["parameters"] = {str(k): v for k, v in params.items()}
    return Person(**d)


def read_person(path: str | Path) -> Person:
    """Read a :class:`Person` from a YAML/JSON file."""
    p = Path(path)
    return person_from_mapping(_load(p), source=str(p))
