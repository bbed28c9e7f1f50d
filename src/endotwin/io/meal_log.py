"""Read a meal log with date-times (to go with a CGM trace), and the Hall 2018 meal file of iglu.

Meal log CSV (header required; units are part of the column names)::

    time,carbs_g,fat_g,protein_g,label
    2024-03-01T08:05,45,10,12,breakfast
    2024-03-01 12:30,60,,,lunch

``time`` is an ISO date-time; ``carbs_g`` is required; ``fat_g``, ``protein_g`` (empty = 0),
``duration_min`` (empty = 15) and ``label`` are optional. Meal times become minutes from
``start``: pass the first reading of the CGM trace (``trace.start``) so the meals and the trace
share one clock. A column without a unit (``carbs``) or an unknown column is refused.

:func:`read_hall2018_meals` reads iglu's ``example_meals_hall.csv`` (semicolon-separated
``"";"id";"meal";"mealtime"``): the standardized breakfasts of Hall et al. 2018, PLoS Biol
16(7):e2005143 (``CF`` cornflakes with milk, ``PB`` peanut-butter sandwich, ``Bar`` protein bar;
the number is the replicate).
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..schedule import Meal

_COLUMNS = {"time", "carbs_g", "fat_g", "protein_g", "duration_min", "label"}

#: Hall et al. 2018 (PLoS Biol 16(7):e2005143) standardized breakfasts, by code: description and
#: available carbohydrate [g].
#: TODO(carbs): the carbohydrate of each meal must be taken from the paper's Methods
#: ("Standardized meals"); it could not be retrieved here and is deliberately left ``None`` — do
#: not fill in a guess. Until then these meals cannot be turned into :class:`Meal` objects.
HALL2018_MEALS: dict[str, tuple[str, float | None]] = {
    "CF": ("cornflakes with milk", None),
    "PB": ("peanut-butter sandwich", None),
    "Bar": ("protein bar", None),
}
_HALL_CODE = re.compile(r"^\s*(CF|PB|Bar)\s*(\d+)?\s*$")


def _datetime(value: Any, field: str) -> datetime:
    """An ISO date-time (``str``, :class:`datetime` or ``numpy.datetime64``) as a naive datetime.

    A time with a UTC offset is converted to UTC, as :func:`endotwin.io.cgm_file.read_cgm` does.
    """
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[s]").astype(datetime)
    if isinstance(value, datetime):
        d = value
    else:
        try:
            d = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise InputError(field, value, "an ISO date-time, e.g. 2024-03-01T08:05") from None
    if d.tzinfo is not None:
        d = d.astimezone(UTC).replace(tzinfo=None)
    return d


def _number(value: Any, field: str, default: float | None = None) -> float:
    if (value is None or str(value).strip() == "") and default is not None:
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(field, value, "a number") from None


def read_meal_log(
    path: str | Path, start: datetime | np.datetime64 | str | None = None
) -> list[Meal]:
    """Read a meal log CSV into :class:`Meal` objects timed in minutes from ``start``.

    ``start``: the clock origin (normally ``trace.start`` of the CGM trace); ``None`` uses the
    first meal's time. A meal before ``start`` is refused.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("meal log", str(p), "an existing CSV file")
    with p.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        cols = [c.strip() for c in reader.fieldnames or []]
        rows = [{(k or "").strip(): v for k, v in r.items()} for r in reader]
    if "carbs" in cols or "carbohydrate" in cols:
        raise InputError(f"{p.name}: column 'carbs'", "carbs", "a column with its unit: carbs_g")
    unknown = sorted(set(cols) - _COLUMNS)
    if unknown:
        raise InputError(f"{p.name}: columns", unknown, f"only {sorted(_COLUMNS)}")
    if "time" not in cols or "carbs_g" not in cols:
        raise InputError(f"{p.name}: columns", cols, "time (ISO date-time) and carbs_g")
    if not rows:
        raise InputError("meal log", str(p), "at least one meal row")
    where = [f"{p.name} row {i + 2}" for i in range(len(rows))]
    times = [_datetime(r["time"], f"{w}: time") for r, w in zip(rows, where, strict=True)]
    origin = min(times) if start is None else _datetime(start, "start")
    meals = []
    for r, t, w in zip(rows, times, where, strict=True):
        minutes = (t - origin).total_seconds() / 60.0
        if minutes < 0:
            raise InputError(
                f"{w}: time", r["time"], f"a time at or after the start {origin.isoformat()}"
            )
        meals.append(
            Meal(
                time_min=minutes,
                carbs_g=_number(r.get("carbs_g"), f"{w}: carbs_g"),
                duration_min=_number(r.get("duration_min"), f"{w}: duration_min", 15.0),
                label=str(r.get("label") or "meal"),
                fat_g=_number(r.get("fat_g"), f"{w}: fat_g", 0.0),
                protein_g=_number(r.get("protein_g"), f"{w}: protein_g", 0.0),
            )
        )
    return sorted(meals, key=lambda m: m.time_min)


def read_hall2018_meals(path: str | Path) -> dict[str, list[tuple[datetime, str]]]:
    """Read iglu's Hall 2018 meals file: ``{subject id: [(meal time, meal code), ...]}``.

    Codes are ``"CF 1"``, ``"PB 1"``, ``"Bar 1"`` as in the file (see :data:`HALL2018_MEALS`).
    Meals are sorted by time per subject.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("Hall 2018 meals file", str(p), "an existing CSV file")
    text = p.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(text.splitlines(), delimiter=delim)
    cols = {(c or "").strip() for c in reader.fieldnames or []}
    if not {"id", "meal", "mealtime"} <= cols:
        raise InputError(f"{p.name}: columns", sorted(cols), "id, meal and mealtime")
    out: dict[str, list[tuple[datetime, str]]] = {}
    for i, r in enumerate(reader):
        where = f"{p.name} row {i + 2}"
        code = (r.get("meal") or "").strip()
        if not _HALL_CODE.match(code):
            raise InputError(f"{where}: meal", code, "a Hall 2018 meal code: CF n, PB n or Bar n")
        t = _datetime(r.get("mealtime"), f"{where}: mealtime")
        out.setdefault((r.get("id") or "").strip(), []).append((t, code))
    if not out:
        raise InputError("Hall 2018 meals file", str(p), "at least one meal row")
    return {k: sorted(v) for k, v in out.items()}


def hall2018_meal_code(code: str) -> str:
    """The meal kind of a Hall 2018 code: ``"CF 1"`` → ``"CF"``."""
    m = _HALL_CODE.match(code)
    if not m:
        raise InputError("meal", code, "a Hall 2018 meal code: CF n, PB n or Bar n")
    return m.group(1)
