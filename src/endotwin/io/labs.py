"""Laboratory values and body measurements of a person, each in one canonical unit.

Every field is optional and carries its unit in its name. Each has a *plausibility range*: the
values a living adult can have, wide enough to admit severe disease. A value outside it is almost
surely a unit or transcription error (mmol/L written as mg/dL, pmol/L as µU/mL), so it raises
:class:`InputError` naming the field, the value with its unit and the accepted range. Values are
never clipped.

:func:`labs_from_mapping` reads labs written with their units (``fasting_glucose: "5.8 mmol/L"``)
and converts them with :mod:`endotwin.units`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import InputError
from ..units import parse_hba1c, parse_quantity, pmoll_to_uuml

#: plausibility range of each field: (lower, upper, unit, basis). The ranges are physiologic
#: limits, not reference intervals; the basis says what lies inside them.
LAB_RANGES: dict[str, tuple[float, float, str, str]] = {
    # adult waist circumference; WHO 2008 expert consultation cut-offs are 80-102 cm, the range
    # brackets severe underweight to class III obesity
    "waist_cm": (40.0, 250.0, "cm", "adult waist circumference, underweight to extreme obesity"),
    # same bounds as Person.body_fat_pct (essential fat ~2-5 % in men; >60 % in extreme obesity)
    "body_fat_pct": (2.0, 70.0, "%", "essential fat to extreme obesity"),
    # normal fasting 70-99 mg/dL, diabetes >= 126 mg/dL (ADA Standards of Care); below 40 is
    # severe hypoglycaemia, above 600 a hyperosmolar emergency, neither a routine fasting sample
    "fasting_glucose_mgdl": (40.0, 600.0, "mg/dL", "severe hypoglycaemia to hyperosmolar state"),
    # typical fasting insulin 2-25 µU/mL; >100 only in severe insulin resistance or insulinoma
    "fasting_insulin_uuml": (0.5, 300.0, "µU/mL", "assay floor to extreme insulin resistance"),
    # normal < 5.7 %, diabetes >= 6.5 % (ADA); values above ~18 % are rarely reported
    "hba1c_pct": (3.0, 20.0, "%", "NGSP/DCCT HbA1c, lowest to highest reported"),
    # lean men ~1-5 ng/mL, obese women up to ~100 ng/mL (Considine 1996, NEJM 334:292)
    "leptin_ngml": (0.05, 300.0, "ng/mL", "lipodystrophy/assay floor to extreme obesity"),
    # normal < 150 mg/dL; > 1000 severe hypertriglyceridaemia (Endocrine Society guideline,
    # Berglund 2012, JCEM 97:2969); 5000 bounds chylomicronaemia
    "triglycerides_mgdl": (20.0, 5000.0, "mg/dL", "fasting, normal to chylomicronaemia"),
    # low HDL < 40 mg/dL (men) / < 50 (women); > 150 only in CETP deficiency and the like
    "hdl_mgdl": (5.0, 200.0, "mg/dL", "Tangier disease to CETP deficiency"),
}


def check_lab(name: str, value: float | None, written: str = "", field: str = "") -> None:
    """Raise :class:`InputError` if ``value`` of lab ``name`` is outside its plausibility range.

    ``written`` (the value as the user wrote it, e.g. ``"104 mmol/L"``) and ``field`` (the key
    the user wrote) make the message point at the input rather than the converted value.
    """
    if value is None:
        return
    lo, hi, unit, basis = LAB_RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field or name, value, f"a number in [{lo:g}, {hi:g}] {unit}")
    if not math.isfinite(value) or not (lo <= value <= hi):
        shown = f"{value:.4g} {unit}"
        raise InputError(
            field or name,
            f"{written} (= {shown})" if written and str(written) != shown else shown,
            f"[{lo:g}, {hi:g}] {unit} ({basis})",
            "Check the unit; values outside this range are refused, never clipped.",
        )


@dataclass(frozen=True)
class Labs:
    """A person's labs and body measurements (all optional), each in the unit its name gives."""

    waist_cm: float | None = None
    body_fat_pct: float | None = None
    fasting_glucose_mgdl: float | None = None
    fasting_insulin_uuml: float | None = None
    hba1c_pct: float | None = None
    leptin_ngml: float | None = None
    triglycerides_mgdl: float | None = None
    hdl_mgdl: float | None = None

    def __post_init__(self) -> None:
        for name in LAB_RANGES:
            check_lab(name, getattr(self, name))

    def given(self) -> dict[str, float]:
        """The labs that were given, ``{field: value}``."""
        return {k: v for k, v in asdict(self).items() if v is not None}


#: key in a person record → (Labs field, parser of a value written with its unit)
_LAB_KEYS: dict[str, tuple[str, Callable[[Any, str], float]]] = {
    "waist": ("waist_cm", lambda v, f: parse_quantity(v, "length", f)),
    "fasting_glucose": ("fasting_glucose_mgdl", lambda v, f: parse_quantity(v, "glucose", f)),
    "fasting_insulin": (
        "fasting_insulin_uuml",
        lambda v, f: pmoll_to_uuml(parse_quantity(v, "insulin", f)),
    ),
    "hba1c": ("hba1c_pct", parse_hba1c),
    "leptin": ("leptin_ngml", lambda v, f: parse_quantity(v, "leptin", f)),
    "triglycerides": ("triglycerides_mgdl", lambda v, f: parse_quantity(v, "triglycerides", f)),
    "hdl": ("hdl_mgdl", lambda v, f: parse_quantity(v, "cholesterol", f)),
}

#: every key :func:`labs_from_mapping` accepts: unit-carrying strings (``fasting_glucose``), the
#: canonical field names with a bare number (``fasting_glucose_mgdl: 104``, the unit being in the
#: name, as ``weight_kg`` in a person file), and ``body_fat_pct``
LAB_KEYS: frozenset[str] = frozenset(_LAB_KEYS) | frozenset(LAB_RANGES)


def _percent(value: Any, field: str) -> float:
    """A percentage: a bare number or ``"35 %"`` (the only labs where a bare number is allowed)."""
    if isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        try:
            return float(text)
        except ValueError:
            raise InputError(field, value, "a percentage, e.g. 35 or '35 %'") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, value, "a percentage, e.g. 35 or '35 %'")
    return float(value)


def labs_from_mapping(data: dict[str, Any], source: str = "labs") -> Labs:
    """Build :class:`Labs` from ``{key: value}``, converting values written with units.

    ``fasting_glucose: "5.8 mmol/L"`` → ``fasting_glucose_mgdl = 104.5``; ``hba1c: "41 mmol/mol"``
    → ``hba1c_pct = 5.9``. A bare number is refused except for percentages (``body_fat_pct``) and
    under a canonical field name that carries the unit (``fasting_glucose_mgdl: 104``).
    """
    unknown = sorted(set(data) - LAB_KEYS)
    if unknown:
        raise InputError(f"{source}: field", unknown, f"one of {sorted(LAB_KEYS)}")
    values: dict[str, float] = {}
    for key, raw in data.items():
        if raw is None:
            continue
        if key in _LAB_KEYS:
            name, parse = _LAB_KEYS[key]
            value = parse(raw, key)
        elif key == "body_fat_pct":
            name, value = key, _percent(raw, key)
        else:  # canonical name, unit in the name
            name = key
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise InputError(key, raw, f"a number in {LAB_RANGES[key][2]}")
            value = float(raw)
        check_lab(name, value, written="" if key == name else str(raw), field=key)
        if name in values:
            raise InputError(key, raw, "each lab given once (e.g. 'hba1c' or 'hba1c_pct')")
        values[name] = value
    return Labs(**values)
