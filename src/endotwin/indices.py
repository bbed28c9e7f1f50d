"""Clinical indices of insulin sensitivity, beta-cell function and glycaemia.

Pure functions on floats and numpy arrays; nothing here imports the model, so the same functions
score measured data and simulated traces alike.

Units are in the argument names: glucose in mg/dL (``*_mgdl``), insulin in µU/mL (``*_uuml``),
triglycerides in mg/dL, time in minutes (``t_min``). Where a formula is defined in mmol/L the
conversion uses :data:`endotwin.units.GLUCOSE_MGDL_PER_MMOLL`.

Every input is checked; an impossible value (negative, NaN, infinite, glucose outside the
plausible range :data:`GLUCOSE_MIN_MGDL`–:data:`GLUCOSE_MAX_MGDL`) raises
:class:`endotwin.errors.InputError` naming the argument (and the element, for arrays).

References
----------
- Matthews DR, Hosker JP, Rudenski AS, Naylor BA, Treacher DF, Turner RC. Homeostasis model
  assessment: insulin resistance and beta-cell function from fasting plasma glucose and insulin
  concentrations in man. Diabetologia 28(7):412-419, 1985. doi:10.1007/BF00280883
- Katz A, Nambi SS, Mather K, et al. Quantitative insulin sensitivity check index: a simple,
  accurate method for assessing insulin sensitivity in humans. J Clin Endocrinol Metab
  85(7):2402-2410, 2000. doi:10.1210/jcem.85.7.6661
- Matsuda M, DeFronzo RA. Insulin sensitivity indices obtained from oral glucose tolerance
  testing: comparison with the euglycemic insulin clamp. Diabetes Care 22(9):1462-1470, 1999.
  doi:10.2337/diacare.22.9.1462
- Seltzer HS, Allen EW, Herron AL Jr, Brennan MT. Insulin secretion in response to glycemic
  stimulus: relation of delayed initial release to carbohydrate intolerance in mild diabetes
  mellitus. J Clin Invest 46(3):323-335, 1967. doi:10.1172/JCI105534
- Phillips DI, Clark PM, Hales CN, Osmond C. Understanding oral glucose tolerance: comparison of
  glucose or insulin measurements during the oral glucose tolerance test with specific
  measurements of insulin resistance and insulin secretion. Diabet Med 11(3):286-292, 1994.
  doi:10.1111/j.1464-5491.1994.tb00273.x
- Simental-Mendía LE, Rodríguez-Morán M, Guerrero-Romero F. The product of fasting glucose and
  triglycerides as surrogate for identifying insulin resistance in apparently healthy subjects.
  Metab Syndr Relat Disord 6(4):299-304, 2008. doi:10.1089/met.2008.0034
- American Diabetes Association Professional Practice Committee. 2. Diagnosis and
  Classification of Diabetes: Standards of Care in Diabetes-2024. Diabetes Care
  47(Suppl 1):S20-S42, 2024. doi:10.2337/dc24-S002
- Bergenstal RM, Beck RW, Close KL, et al. Glucose management indicator (GMI): a new term for
  estimating A1C from continuous glucose monitoring. Diabetes Care 41(11):2275-2280, 2018.
  doi:10.2337/dc18-1581
- Battelino T, Danne T, Bergenstal RM, et al. Clinical targets for continuous glucose
  monitoring data interpretation: recommendations from the international consensus on time in
  range. Diabetes Care 42(8):1593-1603, 2019. doi:10.2337/dci19-0028
- Service FJ, Molnar GD, Rosevear JW, Ackerman E, Gatewood LC, Taylor WF. Mean amplitude of
  glycemic excursions, a measure of diabetic instability. Diabetes 19(9):644-655, 1970.
  doi:10.2337/diab.19.9.644
- Baghurst PA. Calculating the mean amplitude of glycemic excursion from continuous glucose
  monitoring data: an automated algorithm. Diabetes Technol Ther 13(3):296-302, 2011.
  doi:10.1089/dia.2010.0090
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .units import GLUCOSE_MGDL_PER_MMOLL

__all__ = [
    "GLUCOSE_MAX_MGDL",
    "GLUCOSE_MIN_MGDL",
    "CGMMetrics",
    "OGTTClassification",
    "cgm_metrics",
    "homa_beta",
    "homa_ir",
    "insulinogenic_index",
    "matsuda",
    "ogtt_classification",
    "quicki",
    "tyg_index",
]

FloatOrArray = float | npt.NDArray[np.float64]

#: Lowest glucose accepted [mg/dL] (0.56 mmol/L). A plausibility bound, not a clinical one: below
#: it a value is far more likely a mmol/L number passed as mg/dL than a real measurement.
GLUCOSE_MIN_MGDL = 10.0
#: Highest glucose accepted [mg/dL] (167 mmol/L), generously above the values reported in
#: hyperosmolar hyperglycaemic states; above it the number is taken to be a unit or entry error.
GLUCOSE_MAX_MGDL = 3000.0

_GLUCOSE_ACCEPTED = f"a finite glucose in mg/dL within [{GLUCOSE_MIN_MGDL:g}, {GLUCOSE_MAX_MGDL:g}]"
_GLUCOSE_HINT = (
    "Glucose is taken in mg/dL; multiply mmol/L by "
    f"{GLUCOSE_MGDL_PER_MMOLL} (endotwin.units.mmoll_to_mgdl)."
)
_INSULIN_ACCEPTED = "a finite insulin in µU/mL, > 0"
_INSULIN_HINT = "Insulin is taken in µU/mL (= mU/L); divide pmol/L by 6.0 (units.pmoll_to_uuml)."

#: HOMA-%B is undefined at and below this fasting glucose [mmol/L] (its denominator is G - 3.5).
_HOMA_BETA_GLUCOSE_FLOOR_MMOLL = 3.5

# ADA Standards of Care 2024, Tables 2.1-2.2 (venous plasma glucose, mg/dL).
_ADA_FPG_IFG_MGDL = 100.0
_ADA_FPG_DIABETES_MGDL = 126.0
_ADA_2H_IGT_MGDL = 140.0
_ADA_2H_DIABETES_MGDL = 200.0

# Battelino 2019 consensus thresholds (mg/dL).
_TBR_LEVEL2_MGDL = 54.0
_TIR_LOW_MGDL = 70.0
_TIR_HIGH_MGDL = 180.0
_TAR_LEVEL2_MGDL = 250.0


# --------------------------------------------------------------------------------------------
# input checking
# --------------------------------------------------------------------------------------------


def _as_array(field: str, value: object) -> npt.NDArray[np.float64]:
    """``value`` as a float array, refusing booleans, strings, objects and ragged input."""
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise InputError(field, value, "a number or a 1-D array of numbers") from exc
    if raw.dtype.kind not in "iuf":
        raise InputError(field, value, "a number or a 1-D array of numbers")
    arr = raw.astype(np.float64)
    if arr.size == 0:
        raise InputError(field, value, "at least one value")
    return arr


def _element_name(
    field: str, arr: npt.NDArray[np.float64], bad: npt.NDArray[np.bool_]
) -> tuple[str, float]:
    """Name and value of the first flagged element (``glucose_mgdl[3]``)."""
    if arr.ndim == 0:
        return field, float(arr)
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    label = ",".join(str(i) for i in idx)
    return f"{field}[{label}]", float(arr[idx])


def _check_glucose(
    field: str, arr: npt.NDArray[np.float64], *, allow_nan: bool = False
) -> npt.NDArray[np.float64]:
    nan = np.isnan(arr)
    with np.errstate(invalid="ignore"):
        bad = ~((arr >= GLUCOSE_MIN_MGDL) & (arr <= GLUCOSE_MAX_MGDL))
    if allow_nan:
        bad &= ~nan
    if bad.any():
        name, val = _element_name(field, arr, bad)
        raise InputError(name, val, _GLUCOSE_ACCEPTED, _GLUCOSE_HINT)
    return arr


def _check_positive(
    field: str, arr: npt.NDArray[np.float64], accepted: str, hint: str = ""
) -> npt.NDArray[np.float64]:
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(arr) & (arr > 0.0))
    if bad.any():
        name, val = _element_name(field, arr, bad)
        raise InputError(name, val, accepted, hint)
    return arr


def _broadcast(
    a_field: str,
    a: npt.NDArray[np.float64],
    b_field: str,
    b: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    try:
        return np.broadcast_arrays(a, b)  # type: ignore[return-value]
    except ValueError as exc:
        raise InputError(
            b_field, f"shape {b.shape}", f"a shape broadcastable with {a_field} {a.shape}"
        ) from exc


def _scalar_or_array(x: npt.NDArray[np.float64]) -> FloatOrArray:
    return float(x) if np.ndim(x) == 0 else x


def _series(
    t_min: npt.ArrayLike, **values: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], dict[str, npt.NDArray[np.float64]]]:
    """Check a sampled series: 1-D, equal lengths, finite strictly increasing times."""
    t = _as_array("t_min", t_min)
    if t.ndim != 1:
        raise InputError("t_min", f"shape {t.shape}", "a 1-D array of sample times in minutes")
    finite = np.isfinite(t)
    if not finite.all():
        name, val = _element_name("t_min", t, ~finite)
        raise InputError(name, val, "finite sample times in minutes")
    steps = np.diff(t)
    if (steps <= 0).any():
        i = int(np.argmax(steps <= 0)) + 1
        raise InputError(
            f"t_min[{i}]",
            float(t[i]),
            "strictly increasing sample times in minutes",
            f"t_min[{i - 1}] = {float(t[i - 1])!r}; sort the samples and remove duplicates.",
        )
    out: dict[str, npt.NDArray[np.float64]] = {}
    for field, v in values.items():
        arr = _as_array(field, v)
        if arr.shape != t.shape:
            raise InputError(
                field, f"shape {arr.shape}", f"one value per sample time, shape {t.shape}"
            )
        out[field] = arr
    return t, out


def _value_at(t: npt.NDArray[np.float64], target_min: float, what: str) -> int:
    """Index of the sample taken exactly at ``target_min`` (to 1e-9 min)."""
    hit = np.flatnonzero(np.abs(t - target_min) <= 1e-9)
    if hit.size == 0:
        raise InputError(
            "t_min",
            t.tolist(),
            f"sample times that include t = {target_min:g} min",
            f"{what} needs a sample taken at exactly {target_min:g} min; values are not "
            "interpolated.",
        )
    return int(hit[0])


# --------------------------------------------------------------------------------------------
# fasting indices
# --------------------------------------------------------------------------------------------


def homa_ir(glucose_mgdl: npt.ArrayLike, insulin_uuml: npt.ArrayLike) -> FloatOrArray:
    """HOMA-IR, the homeostasis-model estimate of insulin resistance (dimensionless).

    ``HOMA-IR = G[mmol/L] · I[µU/mL] / 22.5`` (Matthews et al. 1985, Diabetologia 28:412,
    the original closed-form approximation; not the computer model HOMA2). The reference normal
    person (G = 4.5 mmol/L, I = 5 µU/mL) scores 1.

    Args:
        glucose_mgdl: fasting plasma glucose [mg/dL]; converted with
            ``GLUCOSE_MGDL_PER_MMOLL`` = 18.016.
        insulin_uuml: fasting plasma insulin [µU/mL], > 0.

    Returns:
        A float for scalar inputs, otherwise an array of the broadcast shape.

    Raises:
        InputError: glucose outside [10, 3000] mg/dL, insulin ≤ 0, or a NaN / infinite value.
    """
    g = _check_glucose("glucose_mgdl", _as_array("glucose_mgdl", glucose_mgdl))
    i = _check_positive(
        "insulin_uuml", _as_array("insulin_uuml", insulin_uuml), _INSULIN_ACCEPTED, _INSULIN_HINT
    )
    g, i = _broadcast("glucose_mgdl", g, "insulin_uuml", i)
    return _scalar_or_array(g / GLUCOSE_MGDL_PER_MMOLL * i / 22.5)


def homa_beta(glucose_mgdl: npt.ArrayLike, insulin_uuml: npt.ArrayLike) -> FloatOrArray:
    """HOMA-%B, the homeostasis-model estimate of beta-cell function [%].

    ``HOMA-%B = 20 · I[µU/mL] / (G[mmol/L] − 3.5)`` (Matthews et al. 1985, Diabetologia 28:412).
    The reference normal person (G = 4.5 mmol/L, I = 5 µU/mL) scores 100 %.

    The formula is undefined at G ≤ 3.5 mmol/L (63.06 mg/dL): the denominator is zero or
    negative, so such glucose raises rather than returning an infinite or negative "function".

    Args:
        glucose_mgdl: fasting plasma glucose [mg/dL], must exceed 3.5 mmol/L = 63.056 mg/dL.
        insulin_uuml: fasting plasma insulin [µU/mL], > 0.

    Returns:
        HOMA-%B in percent; a float for scalar inputs, otherwise an array.

    Raises:
        InputError: invalid glucose or insulin, or glucose ≤ 3.5 mmol/L.
    """
    g = _check_glucose("glucose_mgdl", _as_array("glucose_mgdl", glucose_mgdl))
    i = _check_positive(
        "insulin_uuml", _as_array("insulin_uuml", insulin_uuml), _INSULIN_ACCEPTED, _INSULIN_HINT
    )
    g, i = _broadcast("glucose_mgdl", g, "insulin_uuml", i)
    g_mmoll = g / GLUCOSE_MGDL_PER_MMOLL
    excess = g_mmoll - _HOMA_BETA_GLUCOSE_FLOOR_MMOLL
    too_low = excess <= 1e-12
    if too_low.any():
        floor_mgdl = _HOMA_BETA_GLUCOSE_FLOOR_MMOLL * GLUCOSE_MGDL_PER_MMOLL
        name, val = _element_name("glucose_mgdl", g, too_low)
        raise InputError(
            name,
            val,
            f"a fasting glucose above 3.5 mmol/L ({floor_mgdl:.3f} mg/dL) for HOMA-%B",
            "HOMA-%B = 20·I/(G − 3.5) is undefined at or below 3.5 mmol/L.",
        )
    return _scalar_or_array(20.0 * i / excess)


def quicki(glucose_mgdl: npt.ArrayLike, insulin_uuml: npt.ArrayLike) -> FloatOrArray:
    """QUICKI, the quantitative insulin sensitivity check index (dimensionless).

    ``QUICKI = 1 / (log10 I[µU/mL] + log10 G[mg/dL])`` (Katz et al. 2000, J Clin Endocrinol
    Metab 85:2402). Note that, unlike HOMA, glucose enters in mg/dL.

    Args:
        glucose_mgdl: fasting plasma glucose [mg/dL].
        insulin_uuml: fasting plasma insulin [µU/mL], > 0.

    Returns:
        A float for scalar inputs, otherwise an array.

    Raises:
        InputError: glucose outside [10, 3000] mg/dL, insulin ≤ 0, a NaN / infinite value, or
            I·G ≤ 1 (then the denominator is ≤ 0; with G ≥ 10 mg/dL this needs I ≤ 0.1 µU/mL,
            below every insulin assay).
    """
    g = _check_glucose("glucose_mgdl", _as_array("glucose_mgdl", glucose_mgdl))
    i = _check_positive(
        "insulin_uuml", _as_array("insulin_uuml", insulin_uuml), _INSULIN_ACCEPTED, _INSULIN_HINT
    )
    g, i = _broadcast("glucose_mgdl", g, "insulin_uuml", i)
    denom = np.log10(i) + np.log10(g)
    bad = denom <= 0.0
    if bad.any():
        name, val = _element_name("insulin_uuml", i, bad)
        raise InputError(
            name,
            val,
            "an insulin with I·G > 1 (µU/mL · mg/dL) so that QUICKI is finite and positive",
            _INSULIN_HINT,
        )
    return _scalar_or_array(1.0 / denom)


def tyg_index(triglycerides_mgdl: npt.ArrayLike, glucose_mgdl: npt.ArrayLike) -> FloatOrArray:
    """Triglyceride-glucose (TyG) index (dimensionless).

    ``TyG = ln(TG[mg/dL] · G[mg/dL] / 2)`` with fasting triglycerides and fasting glucose
    (Simental-Mendía, Rodríguez-Morán & Guerrero-Romero 2008, Metab Syndr Relat Disord 6:299).

    Args:
        triglycerides_mgdl: fasting triglycerides [mg/dL], > 0 (mmol/L × 88.57 = mg/dL).
        glucose_mgdl: fasting plasma glucose [mg/dL].

    Returns:
        A float for scalar inputs, otherwise an array.

    Raises:
        InputError: triglycerides ≤ 0 or not finite; glucose outside [10, 3000] mg/dL.
    """
    tg = _check_positive(
        "triglycerides_mgdl",
        _as_array("triglycerides_mgdl", triglycerides_mgdl),
        "a finite triglyceride concentration in mg/dL, > 0",
    )
    g = _check_glucose("glucose_mgdl", _as_array("glucose_mgdl", glucose_mgdl))
    tg, g = _broadcast("triglycerides_mgdl", tg, "glucose_mgdl", g)
    return _scalar_or_array(np.log(tg * g / 2.0))


# --------------------------------------------------------------------------------------------
# OGTT indices
# --------------------------------------------------------------------------------------------


def matsuda(
    t_min: npt.ArrayLike, glucose_mgdl: npt.ArrayLike, insulin_uuml: npt.ArrayLike
) -> float:
    """Matsuda (composite whole-body) insulin sensitivity index from an OGTT (dimensionless).

    ``ISI = 10000 / sqrt(G0 · I0 · Ḡ · Ī)`` with glucose in mg/dL, insulin in µU/mL, ``G0, I0``
    the fasting (t = 0) values and ``Ḡ, Ī`` the arithmetic means of *all* the samples given,
    the fasting one included (Matsuda & DeFronzo 1999, Diabetes Care 22:1462, who used
    0, 30, 60, 90 and 120 min). The means are plain sample means, as in the original, not
    time-weighted areas.

    Args:
        t_min: sample times [min], strictly increasing; must include exactly 0.
        glucose_mgdl: plasma glucose at each time [mg/dL].
        insulin_uuml: plasma insulin at each time [µU/mL], > 0.

    Returns:
        The index as a float.

    Raises:
        InputError: no sample at t = 0, fewer than 2 samples, unequal lengths, times not
            strictly increasing, or an invalid glucose / insulin value (NaN included).
    """
    t, v = _series(t_min, glucose_mgdl=glucose_mgdl, insulin_uuml=insulin_uuml)
    if t.size < 2:
        raise InputError("t_min", t.tolist(), "at least 2 OGTT samples (fasting and later)")
    g = _check_glucose("glucose_mgdl", v["glucose_mgdl"])
    i = _check_positive("insulin_uuml", v["insulin_uuml"], _INSULIN_ACCEPTED, _INSULIN_HINT)
    k0 = _value_at(t, 0.0, "the Matsuda index")
    return float(10000.0 / math.sqrt(g[k0] * i[k0] * g.mean() * i.mean()))


def insulinogenic_index(
    t_min: npt.ArrayLike, glucose_mgdl: npt.ArrayLike, insulin_uuml: npt.ArrayLike
) -> float:
    """Insulinogenic index, early insulin secretion during an OGTT [µU/mL per mg/dL].

    ``IGI = (I30 − I0) / (G30 − G0)`` (Seltzer et al. 1967, J Clin Invest 46:323; in this
    ratio form as used by Phillips et al. 1994, Diabet Med 11:286).

    Samples at exactly 0 and 30 min are required; values are never interpolated. The index is
    refused when glucose did not rise (``G30 ≤ G0``): the ratio is then undefined (division by
    zero) or has no interpretation as secretion per unit glucose stimulus.

    Args:
        t_min: sample times [min], strictly increasing; must include 0 and 30.
        glucose_mgdl: plasma glucose at each time [mg/dL].
        insulin_uuml: plasma insulin at each time [µU/mL], > 0.

    Returns:
        The index as a float (may be negative if insulin fell while glucose rose).

    Raises:
        InputError: no sample at 0 or 30 min, unequal lengths, times not strictly increasing,
            an invalid glucose / insulin value, or ``G30 ≤ G0``.
    """
    t, v = _series(t_min, glucose_mgdl=glucose_mgdl, insulin_uuml=insulin_uuml)
    g = _check_glucose("glucose_mgdl", v["glucose_mgdl"])
    i = _check_positive("insulin_uuml", v["insulin_uuml"], _INSULIN_ACCEPTED, _INSULIN_HINT)
    k0 = _value_at(t, 0.0, "the insulinogenic index")
    k30 = _value_at(t, 30.0, "the insulinogenic index")
    dg = float(g[k30] - g[k0])
    if dg <= 0.0:
        raise InputError(
            f"glucose_mgdl[{k30}]",
            float(g[k30]),
            f"a 30-min glucose above the fasting glucose ({float(g[k0])!r} mg/dL)",
            "The insulinogenic index (I30 − I0)/(G30 − G0) is undefined without a glucose rise.",
        )
    return float((i[k30] - i[k0]) / dg)


class OGTTClassification(NamedTuple):
    """Glucose-tolerance category of one 75-g OGTT by the ADA criteria, and the values used."""

    category: Literal[
        "normal",
        "impaired fasting glucose",
        "impaired glucose tolerance",
        "IFG+IGT",
        "diabetes",
    ]
    fasting_glucose_mgdl: float
    glucose_2h_mgdl: float


def ogtt_classification(fasting_glucose_mgdl: float, glucose_2h_mgdl: float) -> OGTTClassification:
    """Classify one 75-g OGTT by the ADA glucose criteria.

    ADA Standards of Care in Diabetes-2024, section 2 (Diabetes Care 47(Suppl 1):S20),
    Tables 2.1-2.2, venous plasma glucose:

    - ``"diabetes"``: FPG ≥ 126 mg/dL or 2-h glucose ≥ 200 mg/dL;
    - otherwise ``"IFG+IGT"`` when both of the following hold, else the one that holds:
      ``"impaired fasting glucose"``: 100 ≤ FPG < 126 mg/dL (100-125);
      ``"impaired glucose tolerance"``: 140 ≤ 2-h < 200 mg/dL (140-199);
    - ``"normal"`` otherwise.

    Thresholds are applied as ``≥`` on the values as given, so 125.5 mg/dL is IFG, not
    diabetes. The ADA's IFG cut-off is 100 mg/dL (WHO uses 110). Clinically, diabetes needs
    confirmation by a repeat test; this is a research and teaching classification of one test.

    Args:
        fasting_glucose_mgdl: fasting plasma glucose [mg/dL].
        glucose_2h_mgdl: plasma glucose 2 h after the 75-g load [mg/dL].

    Returns:
        :class:`OGTTClassification` with the category and the two values as floats.

    Raises:
        InputError: a value that is not a single number, is NaN, or lies outside
            [10, 3000] mg/dL.
    """
    values = []
    for field, value in (
        ("fasting_glucose_mgdl", fasting_glucose_mgdl),
        ("glucose_2h_mgdl", glucose_2h_mgdl),
    ):
        arr = _as_array(field, value)
        if arr.ndim != 0:
            raise InputError(field, value, "a single glucose value in mg/dL")
        values.append(float(_check_glucose(field, arr)))
    fpg, g2h = values
    if fpg >= _ADA_FPG_DIABETES_MGDL or g2h >= _ADA_2H_DIABETES_MGDL:
        category = "diabetes"
    else:
        ifg = fpg >= _ADA_FPG_IFG_MGDL
        igt = g2h >= _ADA_2H_IGT_MGDL
        if ifg and igt:
            category = "IFG+IGT"
        elif ifg:
            category = "impaired fasting glucose"
        elif igt:
            category = "impaired glucose tolerance"
        else:
            category = "normal"
    return OGTTClassification(category, fpg, g2h)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# CGM metrics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CGMMetrics:
    """Glycaemic metrics of one glucose trace (see :func:`cgm_metrics`).

    Percentages are percent of time; the five time-in-ranges follow the international consensus
    (Battelino et al. 2019): ``time_below_70_percent`` includes the time below 54 and
    ``time_above_180_percent`` the time above 250, so below-70 + in-range + above-180 = 100.
    """

    mean_mgdl: float
    sd_mgdl: float
    cv_percent: float
    gmi_percent: float
    time_in_range_70_180_percent: float
    time_above_180_percent: float
    time_above_250_percent: float
    time_below_70_percent: float
    time_below_54_percent: float
    mage_mgdl: float
    """Mean amplitude of glycaemic excursions; NaN when no excursion exceeds 1 SD."""
    mage_n_excursions: int
    mage_direction: Literal["up", "down", "none"]
    n_readings: int
    """Readings used (after dropping NaNs)."""
    n_dropped: int
    """NaN glucose readings dropped."""
    duration_min: float
    """Time from the first to the last reading used [min]."""


def _reading_weights_min(t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Time each reading stands for [min]: half the interval on either side of it.

    Interior reading i stands for ``(t[i+1] − t[i−1]) / 2``, i.e. the times nearer to it than
    to either neighbour. The first and last readings are extended outward by half of their one
    interval, so each stands for a whole interval; regular sampling therefore gives every reading
    the same weight and the usual count-based percentages are reproduced exactly.
    """
    dt = np.diff(t)
    w = np.empty_like(t)
    w[0] = dt[0]
    w[-1] = dt[-1]
    w[1:-1] = 0.5 * (dt[:-1] + dt[1:])
    return w


def _turning_points(g: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Alternating peaks and nadirs of ``g``, flat runs collapsed, both end readings included."""
    keep = np.ones(g.size, dtype=bool)
    keep[1:] = np.diff(g) != 0.0
    v = g[keep]  # consecutive repeats removed
    if v.size <= 2:
        return v
    s = np.sign(np.diff(v))
    interior = np.flatnonzero(s[1:] != s[:-1]) + 1
    return v[np.concatenate(([0], interior, [v.size - 1]))]


def _mage(
    g: npt.NDArray[np.float64], sd: float
) -> tuple[float, int, Literal["up", "down", "none"]]:
    """MAGE (Service et al. 1970) by iterative elimination of sub-SD swings.

    Returns the MAGE [mg/dL], the number of excursions averaged and their direction.
    """
    ext = _turning_points(g)
    while ext.size >= 2:
        swings = np.abs(np.diff(ext))
        k = int(np.argmin(swings))
        if swings[k] > sd:
            break
        if ext.size == 2:
            ext = ext[:1]
        elif k == 0:
            ext = ext[1:]
        elif k == ext.size - 2:
            ext = ext[:-1]
        else:
            # The smallest swing is no larger than its neighbours, so the outer turning points
            # are at least as extreme as the pair removed: peaks and nadirs are preserved.
            ext = np.delete(ext, [k, k + 1])
    if ext.size < 2:
        return float("nan"), 0, "none"
    d = np.diff(ext)
    up = d[0] > 0
    chosen = d[d > 0] if up else -d[d < 0]
    return float(chosen.mean()), int(chosen.size), "up" if up else "down"


def cgm_metrics(t_min: npt.ArrayLike, glucose_mgdl: npt.ArrayLike) -> CGMMetrics:
    """Consensus CGM metrics of a glucose trace, measured or simulated.

    Weighting: each reading is weighted by the time it represents: half the interval to the
    previous reading plus half the interval to the next, with the first and last readings
    extended outward by half their one interval. Regular sampling thus gives every reading the
    same weight (the conventional count-based percentages); with irregular sampling or gaps, a
    reading after a long gap counts for the time it stands for instead of one sample. Mean, SD
    and CV use the same weights (SD is the weighted population SD, ``Σw(g − ḡ)² / Σw``).
    NaN glucose readings (sensor gaps) are dropped before weighting, so their neighbours cover
    the gap; their number is returned in ``n_dropped``.

    Metrics:

    - ``mean_mgdl``, ``sd_mgdl``, ``cv_percent = 100 · SD / mean`` (Battelino et al. 2019,
      Diabetes Care 42:1593).
    - ``gmi_percent = 3.31 + 0.02392 · mean[mg/dL]`` (Bergenstal et al. 2018, Diabetes Care
      41:2275; the regression was fitted on ≥ 10-14 days of CGM: on short traces GMI is only a
      formula value).
    - time in range 70-180 mg/dL (inclusive), above 180, above 250, below 70, below 54
      (strict), as percent of time (Battelino et al. 2019).
    - ``mage_mgdl``: mean amplitude of glycaemic excursions (Service et al. 1970, Diabetes
      19:644), computed as follows. (1) Consecutive equal readings are collapsed and the
      turning points (local peaks and nadirs) found; the first and last readings count as
      turning points, so a partial excursion at either edge of the trace counts if it exceeds
      1 SD. (2) Swings no larger than 1 SD of the trace are eliminated, smallest first: an
      interior small swing removes its peak-nadir pair, which merges it into the larger
      excursion around it (a small dip on a big rise does not split the rise), and a small swing
      at an edge removes the end reading; this automates Service's manual rule in the manner of
      Baghurst 2011 (Diabetes Technol Ther 13:296). (3) Every remaining swing exceeds 1 SD,
      measured peak-to-nadir (or nadir-to-peak). MAGE averages the swings in the direction of
      the *first* qualifying excursion (upward: nadir-to-peak; downward: peak-to-nadir), the
      usual convention; the direction is returned in ``mage_direction``. MAGE is NaN (with
      ``mage_direction = "none"``) when no swing exceeds 1 SD, e.g. a flat trace.

    Args:
        t_min: reading times [min], finite and strictly increasing.
        glucose_mgdl: glucose readings [mg/dL]; NaN marks a missing reading.

    Returns:
        :class:`CGMMetrics`.

    Raises:
        InputError: unequal lengths, times not finite or not strictly increasing, a non-NaN
            glucose outside [10, 3000] mg/dL (or infinite), or fewer than 2 non-NaN readings.
    """
    t, v = _series(t_min, glucose_mgdl=glucose_mgdl)
    g = _check_glucose("glucose_mgdl", v["glucose_mgdl"], allow_nan=True)
    ok = ~np.isnan(g)
    n_dropped = int(g.size - ok.sum())
    t, g = t[ok], g[ok]
    if g.size < 2:
        raise InputError(
            "glucose_mgdl",
            f"{g.size} non-NaN reading(s) ({n_dropped} NaN dropped)",
            "at least 2 non-NaN glucose readings",
        )
    w = _reading_weights_min(t)
    total = float(w.sum())
    mean = float(np.dot(w, g) / total)
    sd = float(np.sqrt(np.dot(w, (g - mean) ** 2) / total))

    def pct(mask: npt.NDArray[np.bool_]) -> float:
        return 100.0 * float(w[mask].sum()) / total

    mage, n_exc, direction = _mage(g, sd)
    return CGMMetrics(
        mean_mgdl=mean,
        sd_mgdl=sd,
        cv_percent=100.0 * sd / mean,
        gmi_percent=3.31 + 0.02392 * mean,
        time_in_range_70_180_percent=pct((g >= _TIR_LOW_MGDL) & (g <= _TIR_HIGH_MGDL)),
        time_above_180_percent=pct(g > _TIR_HIGH_MGDL),
        time_above_250_percent=pct(g > _TAR_LEVEL2_MGDL),
        time_below_70_percent=pct(g < _TIR_LOW_MGDL),
        time_below_54_percent=pct(g < _TBR_LEVEL2_MGDL),
        mage_mgdl=mage,
        mage_n_excursions=n_exc,
        mage_direction=direction,
        n_readings=int(g.size),
        n_dropped=n_dropped,
        duration_min=float(t[-1] - t[0]),
    )
