"""Read meals from CSV or YAML, with units in the column names.

CSV columns (header required; units are part of the name and are mandatory):

- ``time`` as clock time ``HH:MM`` (day 0) or ``day`` + ``time``, or ``time_min`` (minutes from
  the start of the simulation);
- ``carbs_g`` (grams of carbohydrate) or ``carbs_mg``;
- optional ``duration_min`` (default 15) and ``label``.

A column such as ``carbs`` without a unit is refused: grams and milligrams differ by 1000.
YAML: a list of mappings with the same keys.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..schedule import Meal

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def _clock_to_min(text: str, field: str) -> float:
    m = _CLOCK.match(text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise InputError(field, text, "a clock time HH:MM between 00:00 and 23:59")
    return int(m.group(1)) * 60.0 + int(m.group(2))


def _number(value: Any, field: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(field, value, "a number") from None
    return v


def meal_from_mapping(row: dict[str, Any], where: str) -> Meal:
    """One meal from a mapping with unit-carrying keys."""
    keys = {k.strip() for k in row if k is not None}
    if "carbs" in keys or "carbohydrate" in keys:
        raise InputError(
            f"{where}: column 'carbs'",
            row.get("carbs", row.get("carbohydrate")),
            "a column with its unit: carbs_g or carbs_mg",
        )
    if "carbs_g" in keys:
        carbs = _number(row["carbs_g"], f"{where}: carbs_g")
    elif "carbs_mg" in keys:
        carbs = _number(row["carbs_mg"], f"{where}: carbs_mg") / 1000.0
    else:
        raise InputError(f"{where}: carbohydrate", None, "a carbs_g or carbs_mg column")
    if "time_min" in keys:
        t = _number(row["time_min"], f"{where}: time_min")
    elif "time" in keys:
        day = _number(row.get("day", 0) or 0, f"{where}: day")
        t = day * 1440.0 + _clock_to_min(str(row["time"]), f"{where}: time")
    else:
        raise InputError(f"{where}: time", None, "a time (HH:MM) or time_min column")
    dur = row.get("duration_min")
    duration = 15.0 if dur in (None, "") else _number(dur, f"{where}: duration_min")
    return Meal(
        time_min=t, carbs_g=carbs, duration_min=duration, label=str(row.get("label") or "meal")
    )


def read_meals(path: str | Path) -> list[Meal]:
    """Read meals from a CSV or YAML file (see module docstring for the columns)."""
    p = Path(path)
    if not p.exists():
        raise InputError("meal file", str(p), "an existing CSV or YAML file")
    if p.suffix.lower() in (".yaml", ".yml"):
        data = yaml.safe_load(p.read_text())
        if not isinstance(data, list):
            raise InputError("meal file", str(p), "a YAML list of meals")
        rows = data
    else:
        with p.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
    if not rows:
        raise InputError("meal file", str(p), "at least one meal row")
    return [meal_from_mapping(dict(r), f"{p.name} row {i + 1}") for i, r in enumerate(rows)]
