"""Read an oral glucose tolerance test (OGTT): sample times, glucose and (optionally) insulin.

CSV (header required; the unit is part of each column name and is mandatory)::

    time_min,glucose_mgdl,insulin_uuml
    0,95,8
    30,160,60

Glucose as ``glucose_mgdl`` or ``glucose_mmoll``; insulin (optional) as ``insulin_uuml`` or
``insulin_pmoll``; an empty insulin cell is a sample without insulin (NaN). The dose is not in the
CSV: pass ``dose_g`` (default 75 g, the WHO standard load).

YAML::

    dose: "75 g"
    glucose_unit: mg/dL
    insulin_unit: uU/mL
    samples:
      - {time_min: 0, glucose: 95, insulin: 8}
      - {time_min: 30, glucose: 160, insulin: 60}

Checks (each raises :class:`InputError`): at least 3 samples, one of them at 0 min; times strictly
increasing within 0-300 min; glucose 20-700 mg/dL, insulin 0.5-1000 µU/mL; glucose values that
look like the other unit (all < 35 declared mg/dL, any > 40 declared mmol/L) are refused with a
hint to fix the unit.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..errors import InputError
from ..units import convert, normalise_unit, parse_quantity

#: standard OGTT load: 75 g anhydrous glucose (WHO 1999 / ADA)
STANDARD_DOSE_G = 75.0
#: accepted loads: 25-100 g (50 g challenge test, 75 g WHO OGTT, 100 g 3-h pregnancy OGTT)
DOSE_RANGE_G = (25.0, 100.0)
#: sampling window: 0-300 min (the 5-h extended OGTT is the longest in common use)
TIME_RANGE_MIN = (0.0, 300.0)
#: physiologic limits of plasma glucose during an OGTT [mg/dL]
GLUCOSE_RANGE_MGDL = (20.0, 700.0)
#: physiologic limits of plasma insulin during an OGTT [µU/mL] (stimulated insulin in severe
#: insulin resistance reaches several hundred µU/mL)
INSULIN_RANGE_UUML = (0.5, 1000.0)
#: unit sanity: mmol/L glucose never exceeds ~40 (720 mg/dL); mg/dL glucose is never all < 35
MMOLL_MAX_PLAUSIBLE = 40.0
MGDL_ALL_BELOW_SUSPECT = 35.0

_GLUCOSE_COLS = {"glucose_mgdl": "mg/dL", "glucose_mmoll": "mmol/L"}
_INSULIN_COLS = {"insulin_uuml": "uU/mL", "insulin_pmoll": "pmol/L"}
_YAML_KEYS = {"dose", "glucose_unit", "insulin_unit", "samples"}
_SAMPLE_KEYS = {"time_min", "glucose", "insulin"}


@dataclass(frozen=True, eq=False)
class OGTT:
    """An OGTT: sample times [min], glucose [mg/dL], insulin [µU/mL] or None, glucose dose [g]."""

    times_min: np.ndarray
    glucose_mgdl: np.ndarray
    insulin_uuml: np.ndarray | None = None
    dose_g: float = STANDARD_DOSE_G
    source: str = "OGTT"

    def __post_init__(self) -> None:
        for name in ("times_min", "glucose_mgdl", "insulin_uuml"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, np.asarray(value, dtype=float))
        _validate(self)


def _range_check(values: np.ndarray, lo: float, hi: float, unit: str, field: str, src: str) -> None:
    for i, v in enumerate(values):
        if math.isnan(v):
            continue
        if not (lo <= v <= hi):
            raise InputError(
                f"{src}: {field} (sample {i + 1})", f"{v:.4g} {unit}", f"[{lo:g}, {hi:g}] {unit}"
            )


def _validate(o: OGTT) -> None:
    src = o.source
    t, g = o.times_min, o.glucose_mgdl
    if t.ndim != 1 or g.shape != t.shape:
        raise InputError(f"{src}: samples", (t.shape, g.shape), "equal-length 1-D time and glucose")
    if t.size < 3:
        raise InputError(f"{src}: samples", int(t.size), "at least 3 samples (0 min and 2 more)")
    lo, hi = DOSE_RANGE_G
    if not (lo <= o.dose_g <= hi):
        raise InputError(f"{src}: dose", f"{o.dose_g:g} g", f"[{lo:g}, {hi:g}] g of glucose")
    if not np.all(np.isfinite(t)):
        raise InputError(f"{src}: time_min", t.tolist(), "finite times in minutes")
    if not np.any(t == 0.0):
        raise InputError(
            f"{src}: time_min",
            t.tolist(),
            "a fasting sample at 0 min",
            "The 0-min sample is required.",
        )
    bad = np.nonzero(np.diff(t) <= 0)[0]
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"{src}: time_min (sample {i + 2})",
            float(t[i + 1]),
            f"times strictly increasing (previous sample at {t[i]:g} min)",
        )
    _range_check(t, *TIME_RANGE_MIN, "min", "time_min", src)
    if np.any(np.isnan(g)):
        raise InputError(f"{src}: glucose", g.tolist(), "a glucose value at every sample")
    _range_check(g, *GLUCOSE_RANGE_MGDL, "mg/dL", "glucose", src)
    if o.insulin_uuml is not None:
        if o.insulin_uuml.shape != t.shape:
            raise InputError(f"{src}: insulin", o.insulin_uuml.shape, f"{t.size} values (or none)")
        _range_check(o.insulin_uuml, *INSULIN_RANGE_UUML, "µU/mL", "insulin", src)


def _glucose_to_mgdl(raw: list[float], unit: str, src: str) -> np.ndarray:
    """Convert glucose to mg/dL after checking that the values look like ``unit``."""
    u = normalise_unit(unit)
    if u not in ("mg/dL", "mmol/L"):
        raise InputError(f"{src}: glucose unit", unit, "'mg/dL' or 'mmol/L'")
    arr = np.asarray(raw, dtype=float)
    finite = arr[np.isfinite(arr)]
    if u == "mg/dL" and finite.size and np.all(finite < MGDL_ALL_BELOW_SUSPECT):
        raise InputError(
            f"{src}: glucose",
            f"{finite.tolist()} mg/dL",
            "glucose in mg/dL (20-700)",
            "All values are below 35: these look like mmol/L; declare the unit mmol/L.",
        )
    if u == "mmol/L" and np.any(finite > MMOLL_MAX_PLAUSIBLE):
        raise InputError(
            f"{src}: glucose",
            f"{finite.max():g} mmol/L",
            "glucose in mmol/L (1.1-38.9)",
            "Values above 40 mmol/L are impossible: these look like mg/dL; declare mg/dL.",
        )
    return arr * convert(1.0, u, "glucose", f"{src}: glucose unit")


def _insulin_to_uuml(raw: list[float], unit: str, src: str) -> np.ndarray:
    pmol_per_unit = convert(1.0, unit, "insulin", f"{src}: insulin unit")
    uuml_per_pmol = 1.0 / convert(1.0, "uU/mL", "insulin")
    return np.asarray(raw, dtype=float) * pmol_per_unit * uuml_per_pmol


def _cell(value: Any, field: str, allow_empty: bool = False) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_empty:
            return math.nan
        raise InputError(field, value, "a number")
    if isinstance(value, bool):
        raise InputError(field, value, "a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(field, value, "a number") from None


def _read_csv(p: Path, dose_g: float) -> OGTT:
    with p.open(newline="") as fh:
        reader = csv.DictReader(fh)
        cols = [c.strip() for c in reader.fieldnames or []]
        rows = list(reader)
    src = p.name
    if not cols:
        raise InputError(f"{src}", "empty file", "a CSV with header time_min,glucose_mgdl,...")
    for bare in ("glucose", "insulin", "time"):
        if bare in cols:
            raise InputError(
                f"{src}: column '{bare}'",
                bare,
                "a column with its unit: time_min, glucose_mgdl / glucose_mmoll, "
                "insulin_uuml / insulin_pmoll",
                "Units are part of the column name: mg/dL and mmol/L differ 18-fold.",
            )
    allowed = {"time_min"} | set(_GLUCOSE_COLS) | set(_INSULIN_COLS)
    unknown = sorted(set(cols) - allowed)
    if unknown:
        raise InputError(f"{src}: columns", unknown, f"only {sorted(allowed)}")
    gcols = [c for c in cols if c in _GLUCOSE_COLS]
    icols = [c for c in cols if c in _INSULIN_COLS]
    if "time_min" not in cols or len(gcols) != 1 or len(icols) > 1:
        raise InputError(
            f"{src}: columns", cols, "time_min, one glucose column and at most one insulin column"
        )
    rows = [{k.strip(): v for k, v in r.items() if k is not None} for r in rows]
    t = [_cell(r["time_min"], f"{src} row {i + 2}: time_min") for i, r in enumerate(rows)]
    graw = [_cell(r[gcols[0]], f"{src} row {i + 2}: {gcols[0]}") for i, r in enumerate(rows)]
    g = _glucose_to_mgdl(graw, _GLUCOSE_COLS[gcols[0]], src)
    ins = None
    if icols:
        iraw = [_cell(r[icols[0]], "", allow_empty=True) for r in rows]
        if not all(math.isnan(v) for v in iraw):
            ins = _insulin_to_uuml(iraw, _INSULIN_COLS[icols[0]], src)
    return OGTT(np.asarray(t), g, ins, dose_g=dose_g, source=src)


def _read_yaml(p: Path, dose_g: float | None) -> OGTT:
    src = p.name
    try:
        data = yaml.safe_load(p.read_text())
    except yaml.YAMLError as e:
        raise InputError(src, str(p), f"valid YAML ({e})") from None
    if not isinstance(data, dict):
        raise InputError(src, type(data).__name__, "a mapping with dose, glucose_unit, samples")
    unknown = sorted(set(data) - _YAML_KEYS)
    if unknown:
        raise InputError(f"{src}: field", unknown, f"one of {sorted(_YAML_KEYS)}")
    if "dose" in data:
        file_dose = parse_quantity(data["dose"], "carbohydrate", f"{src}: dose")
        if dose_g is not None and not math.isclose(dose_g, file_dose):
            raise InputError(
                f"{src}: dose", f"{file_dose:g} g in the file, {dose_g:g} g given", "one dose"
            )
        dose_g = file_dose
    samples = data.get("samples")
    if not isinstance(samples, list) or not all(isinstance(s, dict) for s in samples):
        raise InputError(f"{src}: samples", samples, "a list of {time_min, glucose, insulin}")
    if "glucose_unit" not in data:
        raise InputError(
            f"{src}: glucose_unit", None, "'mg/dL' or 'mmol/L'", "The unit is required."
        )
    for i, s in enumerate(samples):
        extra = sorted(set(s) - _SAMPLE_KEYS)
        if extra:
            raise InputError(f"{src}: sample {i + 1}", extra, f"keys {sorted(_SAMPLE_KEYS)}")
    t = [_cell(s.get("time_min"), f"{src}: sample {i + 1} time_min") for i, s in enumerate(samples)]
    graw = [
        _cell(s.get("glucose"), f"{src}: sample {i + 1} glucose") for i, s in enumerate(samples)
    ]
    g = _glucose_to_mgdl(graw, str(data["glucose_unit"]), src)
    ins = None
    iraw = [_cell(s.get("insulin"), "", allow_empty=True) for s in samples]
    if not all(math.isnan(v) for v in iraw):
        if "insulin_unit" not in data:
            raise InputError(
                f"{src}: insulin_unit", None, "'uU/mL', 'mU/L' or 'pmol/L'", "Insulin needs a unit."
            )
        ins = _insulin_to_uuml(iraw, str(data["insulin_unit"]), src)
    return OGTT(
        np.asarray(t), g, ins, dose_g=STANDARD_DOSE_G if dose_g is None else dose_g, source=src
    )


def read_ogtt(path: str | Path, dose_g: float | None = None) -> OGTT:
    """Read an :class:`OGTT` from a CSV or YAML file (see the module docstring).

    ``dose_g``: the glucose load for a CSV (default 75 g); for a YAML file the file's ``dose``
    is used, and a different ``dose_g`` is refused.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("OGTT file", str(p), "an existing CSV or YAML file")
    if p.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(p, dose_g)
    return _read_csv(p, STANDARD_DOSE_G if dose_g is None else dose_g)
