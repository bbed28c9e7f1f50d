"""Unit conversions at the boundaries, and parsing of quantities written with units.

Conversion factors:
- glucose: 1 mmol/L = 18.016 mg/dL (molar mass of glucose 180.16 g/mol).
- insulin: 1 µU/mL = 6.0 pmol/L (Heinemann 2010, Diabetes Care 33:e83; the WHO
  international-unit definition gives 6.00 pmol/L; 6.945 is also in circulation and is *not* used).
- energy: 1 kcal = 4.184 kJ (thermochemical calorie).
"""

from __future__ import annotations

import re

from .errors import InputError

GLUCOSE_MGDL_PER_MMOLL = 18.016
INSULIN_PMOLL_PER_UUML = 6.0
KJ_PER_KCAL = 4.184

# canonical unit for each kind of quantity and the factor that converts *to* it
_CONVERSIONS: dict[str, dict[str, float]] = {
    "glucose": {"mg/dL": 1.0, "mmol/L": GLUCOSE_MGDL_PER_MMOLL},
    "insulin": {"pmol/L": 1.0, "uU/mL": INSULIN_PMOLL_PER_UUML, "mU/L": INSULIN_PMOLL_PER_UUML},
    "mass": {"kg": 1.0, "g": 1e-3, "lb": 0.45359237},
    "carbohydrate": {"g": 1.0, "mg": 1e-3},
    "energy": {"kcal": 1.0, "kJ": 1.0 / KJ_PER_KCAL},
    "length": {"cm": 1.0, "m": 100.0, "in": 2.54},
    "leptin": {"ng/mL": 1.0, "ug/L": 1.0},
    "duration": {"min": 1.0, "h": 60.0, "s": 1.0 / 60.0},
}
CANONICAL = {kind: next(iter(table)) for kind, table in _CONVERSIONS.items()}

_ALIASES = {
    "mg/dl": "mg/dL",
    "mmol/l": "mmol/L",
    "mm": "mmol/L",
    "pmol/l": "pmol/L",
    "uu/ml": "uU/mL",
    "µu/ml": "uU/mL",
    "μu/ml": "uU/mL",
    "miu/l": "mU/L",
    "mu/l": "mU/L",
    "kg": "kg",
    "g": "g",
    "mg": "mg",
    "lb": "lb",
    "lbs": "lb",
    "kcal": "kcal",
    "kj": "kJ",
    "cm": "cm",
    "m": "m",
    "in": "in",
    "ng/ml": "ng/mL",
    "ug/l": "ug/L",
    "µg/l": "ug/L",
    "min": "min",
    "h": "h",
    "s": "s",
}

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([^\d\s].*?)?\s*$")


def normalise_unit(unit: str) -> str:
    """Return the canonical spelling of ``unit`` (``"mg/dl"`` → ``"mg/dL"``)."""
    key = unit.strip().replace(" ", "").lower()
    return _ALIASES.get(key, unit.strip())


def convert(value: float, unit: str, kind: str, field: str = "value") -> float:
    """Convert ``value`` given in ``unit`` to the canonical unit of ``kind``.

    Raises :class:`InputError` naming ``field`` if the unit is not one accepted for ``kind``.
    """
    table = _CONVERSIONS[kind]
    u = normalise_unit(unit)
    if u not in table:
        raise InputError(field, f"{value} {unit}", f"a {kind} in one of {sorted(table)}")
    return float(value) * table[u]


def parse_quantity(text: str | float | int, kind: str, field: str) -> float:
    """Parse ``"104 mg/dL"`` / ``"5.8 mmol/L"`` into the canonical unit of ``kind``.

    A bare number is refused: the unit must be written, because mg/dL and mmol/L (or µU/mL and
    pmol/L) differ by a factor of 6 to 18 and a guess would be silently wrong.
    """
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise InputError(field, text, f"a {kind} with its unit, e.g. '{_example(kind)}'")
    if not isinstance(text, str):
        raise InputError(
            field,
            text,
            f"a {kind} with its unit, e.g. '{_example(kind)}'",
            "Numbers without units are ambiguous; write the unit.",
        )
    m = _QUANTITY.match(text)
    if not m or not m.group(2):
        raise InputError(
            field, text, f"a number followed by a unit in {sorted(_CONVERSIONS[kind])}"
        )
    return convert(float(m.group(1)), m.group(2), kind, field)


def _example(kind: str) -> str:
    return {
        "glucose": "104 mg/dL",
        "insulin": "16 uU/mL",
        "mass": "92 kg",
        "leptin": "38 ng/mL",
        "energy": "1800 kcal",
        "length": "165 cm",
        "carbohydrate": "75 g",
        "duration": "30 min",
    }.get(kind, "1 unit")


def mgdl_to_mmoll(g: float) -> float:
    """Glucose mg/dL → mmol/L."""
    return g / GLUCOSE_MGDL_PER_MMOLL


def mmoll_to_mgdl(g: float) -> float:
    """Glucose mmol/L → mg/dL."""
    return g * GLUCOSE_MGDL_PER_MMOLL


def pmoll_to_uuml(i: float) -> float:
    """Insulin pmol/L → µU/mL."""
    return i / INSULIN_PMOLL_PER_UUML


def uuml_to_pmoll(i: float) -> float:
    """Insulin µU/mL → pmol/L."""
    return i * INSULIN_PMOLL_PER_UUML


# --- clinical-chemistry labs (the personal twin's lab readers) -------------------------------
#: triglycerides: 1 mmol/L = 88.57 mg/dL (molar mass of triolein, 885.7 g/mol — the factor used
#: by clinical laboratories, e.g. NCEP ATP III report, Circulation 2002;106:3143)
TRIGLYCERIDES_MGDL_PER_MMOLL = 88.57
#: cholesterol (total, HDL, LDL): 1 mmol/L = 38.67 mg/dL (molar mass of cholesterol, 386.65 g/mol)
CHOLESTEROL_MGDL_PER_MMOLL = 38.67
#: HbA1c master equation NGSP (%) ↔ IFCC (mmol/mol): IFCC = 10.929 · (NGSP − 2.15)
#: (Hoelzel et al. 2004, Clin Chem 50:166-174)
HBA1C_IFCC_PER_NGSP = 10.929
HBA1C_NGSP_OFFSET_PCT = 2.15

_CONVERSIONS["triglycerides"] = {"mg/dL": 1.0, "mmol/L": TRIGLYCERIDES_MGDL_PER_MMOLL}
_CONVERSIONS["cholesterol"] = {"mg/dL": 1.0, "mmol/L": CHOLESTEROL_MGDL_PER_MMOLL}
CANONICAL.update(triglycerides="mg/dL", cholesterol="mg/dL")


def hba1c_mmolmol_to_pct(a1c: float) -> float:
    """HbA1c IFCC mmol/mol → NGSP/DCCT % (Hoelzel 2004): % = mmol/mol / 10.929 + 2.15."""
    return a1c / HBA1C_IFCC_PER_NGSP + HBA1C_NGSP_OFFSET_PCT


def hba1c_pct_to_mmolmol(a1c: float) -> float:
    """HbA1c NGSP/DCCT % → IFCC mmol/mol (Hoelzel 2004): mmol/mol = 10.929 · (% − 2.15)."""
    return HBA1C_IFCC_PER_NGSP * (a1c - HBA1C_NGSP_OFFSET_PCT)


def parse_hba1c(text: str | float | int, field: str = "hba1c") -> float:
    """Parse ``"5.9 %"`` or ``"41 mmol/mol"`` into HbA1c in NGSP % (a bare number is refused)."""
    accepted = "an HbA1c with its unit, e.g. '5.9 %' or '41 mmol/mol'"
    if isinstance(text, bool) or not isinstance(text, str):
        raise InputError(
            field, text, accepted, "Numbers without units are ambiguous (% or mmol/mol)."
        )
    m = _QUANTITY.match(text)
    unit = (m.group(2) or "").replace(" ", "").lower() if m else ""
    if not m or unit not in ("%", "mmol/mol"):
        raise InputError(field, text, accepted)
    value = float(m.group(1))
    return value if unit == "%" else hba1c_mmolmol_to_pct(value)
