"""Fasting glycaemia of virtual people, and matching the Dalla Man 2007 model to it.

Four pieces (docs/population.md):

(a) **HOMA-IR from body fat** (:func:`homa_ir_median`, :data:`HOMA_SIGMA`), for studies that do
    not publish fasting insulin. Source: Martinez KE, Tucker LA, Bailey BW, LeCheminant JD,
    J Diabetes Res 2017:9502643 (key ``Martinez2017``), Table 5: NHANES 1999-2006, n = 5983 adults
    with DXA, mean HOMA-IR +/- SE by sex-specific body-fat-% quintile (unadjusted): Q1 0.99 +/-
    0.03, Q2 1.55 +/- 0.5 (printed so; most likely 0.05), Q3 2.16 +/- 0.07, Q4 2.60 +/- 0.07,
    Q5 3.92 +/- 0.17. Within a quintile HOMA-IR is taken as lognormal. Its sigma comes from the
    SEs: SD = SE * sqrt(n_q), n_q = 5983/5 (ASSUMPTION: equal quintiles), sigma_q^2 =
    ln(1 + SD^2/mean^2) for Q1, Q3, Q4, Q5 (Q2's misprinted SE is skipped), pooled as the mean of
    sigma_q^2: **sigma = 0.916** (sigma^2 = 0.840). This *over-states* the spread: the SEs of a
    complex survey include the design effect, which is not removed here. The quintile means
    become medians ``mean * exp(-sigma^2/2)``; a person's sex-specific body-fat percentile p
    (from the NHANES 2017-2018 marginal) gives the median ln HOMA-IR by linear interpolation of
    the quintile medians placed at percentiles 10, 30, 50, 70, 90 (ASSUMPTION: constant beyond
    the outer quintile centres); the person's value is that median times a lognormal residual.
(b) **Fasting glucose** (in :mod:`endotwin.population.sampler`): ranks from HbA1c; when the
    study gives no SD, ``FPG_i = mean * eAG(HbA1c_i) / eAG(mean HbA1c)`` with the ADAG
    regression eAG [mg/dL] = 28.7 * HbA1c [%] - 46.7 (Nathan DM et al., Diabetes Care
    31:1473-1478, 2008; key ``Nathan2008``; :func:`eag_mgdl`). Defaults when no glucose is
    published: :func:`default_fasting_glucose`.
(c) **Fasting insulin** = HOMA-IR * 22.5 / FPG [mmol/L] (Matthews DR et al., Diabetologia
    28:412-419, 1985; key ``Matthews1985``; :func:`insulin_from_homa`).
(d) **Matching the model** (:func:`match_fasting_state`): a HOMA-like inversion. As in Matthews
    1985, where fasting glucose and insulin together determine insulin sensitivity and beta-cell
    output, here the pair (FPG, FPI) determines two things in the Dalla Man 2007 model: the
    beta-cell offset ``m6`` (basal secretion ``Sb = (m6 - HEb)/m5`` and hence basal insulin Ib,
    in closed form) and an insulin-sensitivity factor ``s`` that scales the hepatic (``kp3``,
    delayed insulin, and ``kp4``, portal insulin: Dalla Man 2007 eq. 10) and the peripheral
    (``Vmx``, eq. 16) insulin action of the base set. With ``Ib`` fixed the steady-state
    glucose Gb (:func:`endotwin.components.steady_state.fasting_state`) falls strictly as
    ``s`` rises, so ``s`` is found by a bracketing root search. ``kp4`` is scaled as well as
    ``kp3`` because with ``kp3`` alone the portal term ``kp4*Ipob`` (which grows with Ib)
    suppresses EGP so much that the normal set cannot hold a fasting glucose of 90 mg/dL above
    a fasting insulin of 8 uU/mL with ``kp3`` and ``Vmx`` inside their bounds (with ``kp4``
    scaled too: up to 20 uU/mL). ``Vmx`` acts through
    the insulin action X, which is zero at the basal state, so it does not change Gb; scaling
    it with the hepatic terms is an ASSUMPTION (one whole-body sensitivity, as HOMA-IR has one).

    What the bounds allow (parameter bounds of :mod:`endotwin.parameters.sets.dallaman2007`):
    ``m6 <= 0.999`` caps the fasting insulin at 36.1 uU/mL on the normal set and 18.8 uU/mL on
    the type-2 set; ``s >= 0.05`` (kp4's lower bound, 0.05 x 0.0618) caps the fasting glucose
    of the normal set at about 135 mg/dL at 2 uU/mL, 130 at 10, 125 at 20 and 119 at 30 uU/mL.
    People outside a set's reach cannot be matched on it (docs/population.md: what this
    truncates).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri

from ..components.steady_state import fasting_state
from ..errors import InputError
from ..parameters import ParameterSet, get_parameter_set
from ..units import GLUCOSE_MGDL_PER_MMOLL, INSULIN_PMOLL_PER_UUML

Array = np.ndarray

# --- (a) Martinez 2017, Table 5 ------------------------------------------------------------------
#: Martinez 2017, Table 5: NHANES 1999-2006 adults with DXA
MARTINEZ_N = 5983
#: Martinez 2017, Table 5: mean HOMA-IR by sex-specific body-fat-% quintile (unadjusted)
MARTINEZ_MEANS = (0.99, 1.55, 2.16, 2.60, 3.92)
#: Martinez 2017, Table 5: their SEs (Q2 printed as 0.5, most likely 0.05; not used)
MARTINEZ_SES = (0.03, 0.5, 0.07, 0.07, 0.17)
#: the quintiles whose SE enters the pooled sigma (0-based: Q1, Q3, Q4, Q5)
_SIGMA_QUINTILES = (0, 2, 3, 4)
#: ASSUMPTION: each quintile's mean sits at the quintile's middle percentile
QUINTILE_CENTRES = (10.0, 30.0, 50.0, 70.0, 90.0)


def _pooled_sigma() -> float:
    n_q = MARTINEZ_N / 5.0  # ASSUMPTION: five equal quintiles
    s2 = []
    for i in _SIGMA_QUINTILES:
        sd = MARTINEZ_SES[i] * math.sqrt(n_q)
        s2.append(math.log1p((sd / MARTINEZ_MEANS[i]) ** 2))
    return math.sqrt(sum(s2) / len(s2))


#: lognormal sigma of HOMA-IR within a body-fat quintile, from Martinez 2017 Table 5 SEs (0.916;
#: over-stated: the survey design effect is not removed)
HOMA_SIGMA = _pooled_sigma()
#: ln of the quintile medians (means converted with the pooled sigma)
_LN_MEDIANS = np.log(np.array(MARTINEZ_MEANS)) - 0.5 * HOMA_SIGMA**2


def homa_ir_median(body_fat_percentile: Array | float) -> Array:
    """Median HOMA-IR at a sex-specific body-fat percentile (0-100), Martinez 2017 Table 5.

    Linear in ln HOMA-IR between the quintile centres (10, 30, 50, 70, 90); constant outside
    them (ASSUMPTION, module docstring).
    """
    p = np.asarray(body_fat_percentile, dtype=float)
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 100)):
        raise InputError("body-fat percentile", p.tolist(), "[0, 100]")
    return np.exp(np.interp(p, QUINTILE_CENTRES, _LN_MEDIANS))


# --- (b) ADAG eAG --------------------------------------------------------------------------------
#: Nathan 2008 (ADAG), Diabetes Care 31:1473, abstract: eAG [mg/dL] = 28.7 x A1C - 46.7
EAG_SLOPE = 28.7
EAG_INTERCEPT = -46.7
#: ADAG's spread of one person's mean glucose around eAG: HbA1c [%] -> (eAG, low, high) [mg/dL].
#: Source: Nathan 2008 (ADAG) as tabulated in the ADA Standards of Care, Table 6.1 "Mean glucose
#: levels for specified A1C levels" (data in parentheses labelled 95 % CI), numbers read from a
#: reproduction of that table. INTERPRETED as a range for one person: the mean's own interval
#: from 507 people would be a few mg/dL wide, not +/- 26 at 6 %, and R^2 = 0.84 (abstract) leaves
#: a residual spread of this size. The ranges are symmetric about eAG in mg/dL (6 %: 126 - 26,
#: 126 + 26), so they are read as normal: SD = (high - low) / (2 * 1.96).
ADAG_RANGE_MGDL = {
    5.0: (97.0, 76.0, 120.0),
    6.0: (126.0, 100.0, 152.0),
    7.0: (154.0, 123.0, 185.0),
    8.0: (183.0, 147.0, 217.0),
    9.0: (212.0, 170.0, 249.0),
    10.0: (240.0, 193.0, 282.0),
    11.0: (269.0, 217.0, 314.0),
    12.0: (298.0, 240.0, 347.0),
}


def eag_mgdl(hba1c_pct: Array | float) -> Array:
    """Estimated average glucose [mg/dL] from HbA1c [%] (Nathan 2008, ADAG regression)."""
    h = np.asarray(hba1c_pct, dtype=float)
    if np.any(~np.isfinite(h)) or np.any(h <= -EAG_INTERCEPT / EAG_SLOPE):
        raise InputError("HbA1c", h.tolist(), f"> {-EAG_INTERCEPT / EAG_SLOPE:.3g} % (eAG > 0)")
    return EAG_SLOPE * h + EAG_INTERCEPT


def eag_sd_mgdl(hba1c_pct: Array | float) -> Array:
    """SD [mg/dL] of one person's mean glucose around eAG at an HbA1c [%]
    (:data:`ADAG_RANGE_MGDL`); linear in HbA1c between the tabulated levels, constant beyond
    5 % and 12 % (ASSUMPTION)."""
    h = np.asarray(hba1c_pct, dtype=float)
    if np.any(~np.isfinite(h)):
        raise InputError("HbA1c", h.tolist(), "finite values [%]")
    levels = sorted(ADAG_RANGE_MGDL)
    sd = [(ADAG_RANGE_MGDL[a][2] - ADAG_RANGE_MGDL[a][1]) / (2.0 * 1.96) for a in levels]
    return np.interp(h, levels, sd)


def mean_glucose_target(
    hba1c_pct: Array | float, u: Array | float, floor_mgdl: Array | float
) -> Array:
    """One person's mean glucose [mg/dL] at an HbA1c [%]: eAG plus a normal deviation of SD
    :func:`eag_sd_mgdl`, truncated below at ``floor_mgdl`` (the person's fasting glucose:
    ASSUMPTION, a day with meals does not average below its fasting level; without the floor the
    matched secretion of such a person drives the model's glucose through zero). ``u`` in [0, 1)
    is the uniform that picks the quantile of the truncated normal (inverse-CDF draw)."""
    eag = eag_mgdl(hba1c_pct)
    sd = eag_sd_mgdl(hba1c_pct)
    u = np.asarray(u, dtype=float)
    floor = np.asarray(floor_mgdl, dtype=float)
    if np.any(~np.isfinite(u)) or np.any((u < 0.0) | (u >= 1.0)):
        raise InputError("u", u.tolist(), "uniform draws in [0, 1)")
    if np.any(~np.isfinite(floor)) or np.any(floor >= eag + 6.0 * sd):
        raise InputError(
            "fasting glucose (floor of the mean glucose) [mg/dL]",
            floor.tolist(),
            "finite, below eAG + 6 ADAG SDs (a fasting glucose that high is not this HbA1c's)",
        )
    lo = ndtr((floor - eag) / sd)
    return eag + sd * ndtri(lo + u * (1.0 - lo))


#: the parameter set whose fasting steady state is the default glucose of each status
DEFAULT_GLUCOSE_SET = {"normal": "dallaman2007_normal", "type 2 diabetes": "dallaman2007_t2d"}


#: Age-related decline of insulin release [1/year] for people recruited with impaired glucose
#: regulation: Szoke 2008 (Diabetes Care 31:539) abstract, impaired glucose tolerance, first
#: phase 2.2 %/year and second phase 1.4 %/year (normal glucose tolerance: 0.7 %/year, the
#: parameter-set default). Szoke gives no rate for diabetes; people with diabetes get the IGT
#: rates, the fastest measured.
IMPAIRED_BETA_AGEING: Mapping[str, float] = MappingProxyType(
    {"beta_age_first": 0.022, "beta_age_second": 0.014}
)


#: Impaired glucose tolerance: 2-h plasma glucose >= 140 mg/dL after a 75 g OGTT (WHO 1999,
#: ADA), Szoke 2008's grouping.
IGT_2H_MGDL = 140.0


def ageing_overrides(status: str) -> dict[str, float]:
    """Parameter overrides for the age-related decline of insulin release (Szoke 2008) of a
    person recruited with ``status``: none for ``"normal"`` (the set's NGT rates)."""
    return {} if status == "normal" else dict(IMPAIRED_BETA_AGEING)


def default_fasting_glucose(status: str) -> float:
    """Default mean fasting glucose [mg/dL] for a glycaemic status, when a study gives none.

    The steady-state Gb of the Dalla Man 2007 mean subject (normal: 91.8 mg/dL; type 2
    diabetes: 159.2 mg/dL; :func:`endotwin.components.steady_state.fasting_state`). Prediabetes
    has no such subject: raises :class:`InputError` asking for the study's value.
    """
    if status not in DEFAULT_GLUCOSE_SET:
        raise InputError(
            "fasting_glucose_mgdl",
            None,
            "a published mean fasting glucose for a 'prediabetes' population",
            "Dalla Man 2007 has mean subjects only for 'normal' and 'type 2 diabetes'",
        )
    v = get_parameter_set(DEFAULT_GLUCOSE_SET[status]).values()
    fs = fasting_state({k: np.array([x]) for k, x in v.items()})
    return float(fs["Gb"][0])


# --- (c) Matthews 1985 ---------------------------------------------------------------------------
#: Matthews 1985 HOMA-IR denominator: FPG [mmol/L] x FPI [uU/mL] / 22.5
HOMA_DENOMINATOR = 22.5


def insulin_from_homa(homa_ir: Array | float, fpg_mgdl: Array | float) -> Array:
    """Fasting insulin [uU/mL] = HOMA-IR * 22.5 / FPG [mmol/L] (Matthews 1985)."""
    return (
        np.asarray(homa_ir, dtype=float)
        * HOMA_DENOMINATOR
        / (np.asarray(fpg_mgdl, dtype=float) / GLUCOSE_MGDL_PER_MMOLL)
    )


def homa_ir(fpg_mgdl: Array | float, fpi_uuml: Array | float) -> Array:
    """HOMA-IR = FPG [mmol/L] * FPI [uU/mL] / 22.5 (Matthews 1985)."""
    return (
        np.asarray(fpg_mgdl, dtype=float)
        / GLUCOSE_MGDL_PER_MMOLL
        * np.asarray(fpi_uuml, dtype=float)
        / HOMA_DENOMINATOR
    )


# --- (d) matching the Dalla Man 2007 steady state ------------------------------------------------
#: tolerances of the check after matching (mg/dL, pmol/L)
GB_TOL_MGDL = 0.01
IB_TOL_PMOLL = 0.01
#: the glucose mass at which steady_state.fasting_state checks for a physiological state [mg/kg]
_GP_FLOOR = 1e-6
#: the parameters scaled by the insulin-sensitivity factor s: hepatic insulin action (kp3:
#: delayed insulin, kp4: portal insulin; Dalla Man 2007 eq. 10) and peripheral (Vmx, eq. 16)
SCALED = ("kp3", "kp4", "Vmx")


def match_overrides(base: Mapping[str, float], m6: float, s: float) -> dict[str, float]:
    """A person's parameter overrides from a fasting-state match: ``m6`` and the
    sensitivity factor ``s`` applied to :data:`SCALED` of the base set's values."""
    return {"m6": float(m6), **{k: float(base[k] * s) for k in SCALED}}


def _basal_insulin_m6(values: Mapping[str, Array], ib_pmoll: Array) -> tuple[Array, Array]:
    """Closed-form m6 giving basal insulin ``ib`` (inverting steady_state.fasting_state).

    ``Ipb = Ib*VI``; ``Sb = Ipb*(m3b*(m2 + m4)/m1 + m4)`` with ``m3b = HEb*m1/(1 - HEb)``;
    ``m6 = HEb + m5*Sb`` (Dalla Man 2007 eqs. 3-5). Returns (m6, Sb).
    """
    m1, m2, m4, m5, HEb = (values[k] for k in ("m1", "m2", "m4", "m5", "HEb"))
    m3b = HEb * m1 / (1.0 - HEb)
    sb = ib_pmoll * values["VI"] * (m3b * (m2 + m4) / m1 + m4)
    return HEb + m5 * sb, sb


def _s_bounds(values: Mapping[str, float], pset: ParameterSet) -> tuple[float, float]:
    """Range of s keeping every scaled parameter (kp3, kp4, Vmx) inside the set's bounds."""
    lo, hi = 0.0, math.inf
    for name in SCALED:
        base = float(values[name])
        if base <= 0:
            raise InputError(name, base, "a positive base value (it is scaled by s)")
        lo = max(lo, pset[name].lower / base)
        hi = min(hi, pset[name].upper / base)
    return lo, hi


def _s_cap(values: Mapping[str, Array], ib: Array, sb: Array) -> Array:
    """Largest s for which the set still has a fasting state (steady_state's own check).

    ``fasting_state`` requires its glucose residual at Gp = 1e-6 mg/kg to be positive, which
    holds when ``kp1 - kp2*1e-6 - s*(kp3_0*Ib + kp4_0*Ipob) > Fcns + k1*1e-6`` (``Ipob =
    Sb/gamma``; the tissue glucose and uptake there are then zero). Returned with a 1e-6
    relative margin.
    """
    ipob = sb / values["gamma"]
    room = values["kp1"] - (values["kp2"] + values["k1"]) * _GP_FLOOR - values["Fcns"]
    return room / (values["kp3"] * ib + values["kp4"] * ipob) * (1.0 - 1e-6)


def _scaled(values: Mapping[str, Array], m6: Array, s: Array) -> dict[str, Array]:
    p = dict(values)
    p["m6"] = m6
    for name in SCALED:
        p[name] = values[name] * s
    return p


def _gb(values: Mapping[str, Array], m6: Array, s: Array) -> Array:
    return fasting_state(_scaled(values, m6, s))["Gb"]


def _illinois(
    f: Callable[[Array], Array], lo: Array, hi: Array, f_lo: Array, f_hi: Array, active: Array
) -> Array:
    """Vectorised Illinois false position for decreasing ``f`` with ``f(lo) >= 0 >= f(hi)``.

    Stops when every active root has ``|f| < 1e-9`` (mg/dL here) or its bracket is below
    1e-14; at most 200 steps. Inactive entries return ``lo``.
    """
    lo, hi, f_lo, f_hi = lo.copy(), hi.copy(), f_lo.copy(), f_hi.copy()
    x = lo.copy()
    side = np.zeros(lo.size, dtype=int)  # which end moved last: -1 lo, +1 hi
    todo = active & (np.abs(f_lo) > 0) & (np.abs(f_hi) > 0)
    x = np.where(active & (f_hi == 0), hi, x)
    for _ in range(200):
        if not np.any(todo):
            break
        den = f_lo - f_hi
        x_new = np.where(den > 0, lo + f_lo * (hi - lo) / np.where(den > 0, den, 1.0), lo)
        x = np.where(todo, x_new, x)
        fx = f(x)
        pos = todo & (fx > 0)  # root above x: x becomes the new lo
        neg = todo & (fx <= 0)
        f_hi = np.where(pos & (side == -1), 0.5 * f_hi, f_hi)
        f_lo = np.where(neg & (side == 1), 0.5 * f_lo, f_lo)
        lo, f_lo = np.where(pos, x, lo), np.where(pos, fx, f_lo)
        hi, f_hi = np.where(neg, x, hi), np.where(neg, fx, f_hi)
        side = np.where(pos, -1, np.where(neg, 1, side))
        todo &= (np.abs(fx) >= 1e-9) & (hi - lo > 1e-14)
    return x


def match_fasting_states(
    values: Mapping[str, float],
    fpg_mgdl: Array,
    fpi_uuml: Array,
    parameter_set: str | ParameterSet = "dallaman2007_normal",
) -> tuple[Array, Array, Array]:
    """Vectorised :func:`match_fasting_state` for many (FPG, FPI) pairs on one base set.

    Returns ``(m6, s, ok)``: ``ok`` is False where no s in the bounds (or m6 in its bounds)
    reproduces the pair; ``m6``/``s`` are NaN there. Bracketed false position on s (Illinois
    variant, vectorised; the scalar version uses brentq), then the
    result is checked with :func:`fasting_state` (Gb within 0.01 mg/dL, Ib within 0.01 pmol/L).
    """
    pset = get_parameter_set(parameter_set)
    fpg = np.asarray(fpg_mgdl, dtype=float)
    fpi = np.asarray(fpi_uuml, dtype=float)
    n = fpg.size
    v = {k: np.full(n, float(x)) for k, x in values.items()}
    ib = fpi * INSULIN_PMOLL_PER_UUML
    m6, sb = _basal_insulin_m6(v, ib)
    p6 = pset["m6"]
    ok = (m6 >= p6.lower) & (m6 <= p6.upper) & (sb > 0) & np.isfinite(fpg) & (fpg > 0)
    s_lo, s_hi = _s_bounds(values, pset)
    cap = _s_cap(v, ib, sb)
    hi = np.minimum(s_hi, cap)
    ok &= hi > s_lo
    # people without a solution are carried along at the base set (s = 1), which has a state
    lo = np.where(ok, s_lo, 1.0)
    hi = np.where(ok, hi, 1.0)
    m6_safe = np.where(ok, m6, float(values["m6"]))
    f_lo = _gb(v, m6_safe, lo) - fpg
    f_hi = _gb(v, m6_safe, hi) - fpg
    ok &= (f_lo >= 0) & (f_hi <= 0)
    s = _illinois(lambda x: _gb(v, m6_safe, x) - fpg, lo, hi, f_lo, f_hi, ok)
    if np.any(ok):
        fs = fasting_state(_scaled(v, m6_safe, s))
        good = (np.abs(fs["Gb"] - fpg) < GB_TOL_MGDL) & (np.abs(fs["Ib"] - ib) < IB_TOL_PMOLL)
        if np.any(ok & ~good):
            i = int(np.argmax(ok & ~good))
            raise InputError(
                "fasting state match",
                (float(fpg[i]), float(fpi[i])),
                "a steady state reproducing FPG and FPI",
                f"check failed: Gb = {fs['Gb'][i]:.4f} mg/dL, Ib = {fs['Ib'][i]:.4f} pmol/L",
            )
    return np.where(ok, m6, np.nan), np.where(ok, s, np.nan), ok


def match_fasting_state(
    values: Mapping[str, float],
    fpg_mgdl: float,
    fpi_uuml: float,
    parameter_set: str | ParameterSet = "dallaman2007_normal",
) -> dict[str, float]:
    """Overrides ``{"m6", "kp3", "kp4", "Vmx"}`` giving the base set the fasting state (FPG, FPI).

    A HOMA-like inversion (Matthews 1985) in the Dalla Man 2007 model (module docstring, (d)):
    ``m6`` in closed form so that the basal insulin ``Ib = FPI * 6.0`` pmol/L (units.py), then
    the insulin-sensitivity factor ``s`` (multiplying ``kp3``, ``kp4`` and ``Vmx`` of ``values``) by
    :func:`scipy.optimize.brentq` so that the steady-state ``Gb`` equals FPG. The result is
    checked with :func:`endotwin.components.steady_state.fasting_state` (Gb within 0.01 mg/dL,
    Ib within 0.01 pmol/L).

    values: the base parameter values (e.g. ``Person.parameter_values()`` or
        ``get_parameter_set("dallaman2007_normal").values()``).
    parameter_set: the set whose bounds the overrides must respect.
    Raises :class:`InputError` naming fpg/fpi when no m6 or no s within the bounds works.
    """
    for name, x, lo, hi, unit in (
        ("fpg_mgdl", fpg_mgdl, 20.0, 600.0, "mg/dL"),
        ("fpi_uuml", fpi_uuml, 0.1, 300.0, "uU/mL"),
    ):
        if isinstance(x, bool) or not isinstance(x, int | float) or not (lo <= x <= hi):
            raise InputError(name, x, f"a number in [{lo:g}, {hi:g}] {unit}")
    pset = get_parameter_set(parameter_set)
    v = {k: np.array([float(x)]) for k, x in values.items()}
    ib = float(fpi_uuml) * INSULIN_PMOLL_PER_UUML
    m6_arr, sb = _basal_insulin_m6(v, np.array([ib]))
    m6 = float(m6_arr[0])
    p6 = pset["m6"]
    if not (p6.lower <= m6 <= p6.upper) or sb[0] <= 0:
        raise InputError(
            "fpi_uuml",
            fpi_uuml,
            f"a fasting insulin whose basal secretion needs m6 within [{p6.lower:g}, {p6.upper:g}]",
            f"it needs m6 = {m6:.4g}",
        )
    s_lo, s_hi = _s_bounds(values, pset)
    s_hi = min(s_hi, float(_s_cap(v, np.array([ib]), sb)[0]))

    def resid(s: float) -> float:
        return float(_gb(v, m6_arr, np.array([s]))[0]) - float(fpg_mgdl)

    if s_hi <= s_lo or resid(s_lo) < 0 or resid(s_hi) > 0:
        raise InputError(
            "fpg_mgdl, fpi_uuml",
            (fpg_mgdl, fpi_uuml),
            "a fasting glucose/insulin pair the model reaches with kp3, kp4 and Vmx within "
            "their bounds",
            f"the insulin-sensitivity factor would have to leave [{s_lo:.3g}, {s_hi:.3g}]",
        )
    s = brentq(resid, s_lo, s_hi, xtol=1e-14, rtol=1e-14, maxiter=200)
    out = {"m6": m6, **{k: float(values[k]) * s for k in SCALED}}
    fs = fasting_state({**v, **{k: np.array([x]) for k, x in out.items()}})
    gb, ib_model = float(fs["Gb"][0]), float(fs["Ib"][0])
    if abs(gb - fpg_mgdl) >= GB_TOL_MGDL or abs(ib_model - ib) >= IB_TOL_PMOLL:
        raise InputError(
            "fpg_mgdl, fpi_uuml",
            (fpg_mgdl, fpi_uuml),
            "a pair the steady state reproduces",
            f"check failed: Gb = {gb:.4f} mg/dL, Ib = {ib_model:.4f} pmol/L",
        )
    return out


__all__ = [
    "ADAG_RANGE_MGDL",
    "HOMA_SIGMA",
    "MARTINEZ_MEANS",
    "default_fasting_glucose",
    "eag_mgdl",
    "eag_sd_mgdl",
    "homa_ir",
    "homa_ir_median",
    "insulin_from_homa",
    "match_fasting_state",
    "match_fasting_states",
    "mean_glucose_target",
]
