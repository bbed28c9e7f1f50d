"""Fit a person's meal-level twin to a continuous-glucose-monitor (CGM) trace (JAX, Laplace).

The OGTT calibration (:mod:`endotwin.calibrate.ogtt_fit`) is the template: the same log-parameters,
the same closed-form basal state in JAX, a :func:`jax.jacfwd` Jacobian through the diffrax solve
(forward-mode adjoint), :func:`scipy.optimize.least_squares` (trf) on whitened residuals, a Laplace
posterior ``inv(J^T J)`` and identifiability verdicts. What differs for free-living CGM data is
written out below; each choice that is not taken from a source is labelled MODEL CHOICE.

Model
-----
The Dalla Man 2007 meal model with the CGM sensor of the UVA/Padova simulator (Kovatchev 2009;
Dalla Man 2014, :mod:`endotwin.components.cgm_sensor`): the CGM reads interstitial glucose, a
first-order lag of plasma glucose, ``dGs/dt = -ksc*(Gs - Gp)``. ``ksc`` is fixed at
:data:`KSC_PER_MIN` = 0.1 /min, a 10-min plasma-to-sensor delay (MODEL CHOICE within the published
range: 5-6 min physiological plasma-to-interstitium lag measured with tracers, Basu et al. 2013,
Diabetes 62:4083, plus the sensor's own filtering delay; the simglucose virtual adults have
1/ksc of 7-18 min). The sensor starts at equilibrium with plasma.

Windows (MODEL CHOICE)
----------------------
A CGM trace spans days; the model is run on *day windows* from :data:`WINDOW_START_HOUR` (03:00
on the trace's own clock) for :data:`WINDOW_HOURS` (24 h), each starting from the fasting steady
state of the twin (overnight fast; the dawn rise and any late snack are model error). Windows with
fewer than :data:`MIN_COVERAGE` (70 %) of the readings expected at the trace's sampling interval
are not used. The days that contain a logged meal come first (up to :data:`MAX_WINDOWS` = 3); the
earliest other usable days are added until there are :data:`MIN_WINDOWS` = 2. All windows share
the person's parameters; they are solved in one ``vmap``.

Meals
-----
- Logged meal with carbohydrate (:class:`~endotwin.schedule.Meal`): its time, and its carbohydrate
  fitted with a prior centred on the logged amount, SD ln 1.25 (carbohydrate counting errs by
  about 20 %: MODEL CHOICE).
- Logged meal with unknown carbohydrate (:class:`LoggedMeal`, e.g. the Hall 2018 standardized
  breakfasts, whose carbohydrate content could not be retrieved, see
  :data:`endotwin.io.meal_log.HALL2018_MEALS`): its time, and one carbohydrate per meal *kind*
  (every "CF" shares one amount), fitted.
- Unlogged meals are detected from sustained CGM rises (:func:`detect_meals`; on by default,
  ``detect=False`` for a complete meal log): each gets its own fitted carbohydrate.
- Unknown carbohydrate gets a weak log-normal prior, median :data:`CARB_PRIOR_G` = 50 g, SD ln 2
  (a factor of 2 at one SD; 95 % range 13-200 g. MODEL CHOICE: adults eat roughly 200-300 g of
  carbohydrate a day in three to five eating occasions, and the detector finds the larger ones).
- Every meal is eaten over 15 min (the schedule's default) with the mixed-meal absorption of
  Dalla Man 2006.

Carbohydrate and insulin sensitivity trade off: with glucose alone a larger meal and a more
sensitive person give similar excursions (the height is set by carbs/BW against secretion and
uptake, only the shape separates them). The fit reports the posterior correlation of log SI with
the log carbohydrates (``CGMFit.report["max |corr(log SI, log carbs)|"]``). Body weight is
unknown in the iglu files: the fitted grams are for the assumed weight (only carbs/BW is seen).

What is fitted (glucose only)
-----------------------------
The seven log-parameters of the OGTT fit (:data:`~endotwin.calibrate.ogtt_fit.FIT_PARAMETERS`:
``Gb, Ib, Vmx, kp3, beta, K, kabs``) plus the meal carbohydrates. Without insulin samples ``Ib``,
``beta`` and ``K`` are carried with their priors (the OGTT fit's: Dalla Man 2007 mean subject, SD
ln 2; ``Ib`` SD ln 1.5, centred on ``fasting_insulin_uuml`` when given) rather than fixed, so that
their uncertainty widens the others' intervals; the Laplace verdicts say they are not identified.
The prior set (Dalla Man normal or type-2 column) is chosen as in the OGTT fit, from the fasting
glucose: here the median CGM reading from 03:00 to 06:00 of the fitted windows, against the ADA
threshold of 126 mg/dL. Parameters are box-constrained to the set's bounds; a parameter that ends
on a bound is reported ("at bound"), and its interval is not trustworthy.

Insulin sensitivity (reported index)
------------------------------------
``SI`` [10^-4 dL/kg/min per uU/mL] is the minimal-model definition (Bergman et al. 1979; Dalla Man
et al. 2002 give the oral minimal model's SI in these units) applied to the fitted meal model at
its basal state: the glucose flux that one unit of insulin adds (peripheral uptake, eq. 16, and
suppression of production, eq. 10), per unit of glucose concentration,

    SI = [Vmx * Gtb/(Km0 + Gtb) + kp3] / Gb * 6 * 1e4

(``Vmx``, ``kp3`` per pmol/L; 6 pmol/L = 1 uU/mL; ``Gtb`` from ``Gb``). MODEL CHOICE: the paper
gives no such index; this one uses only parameters that glucose can inform (not ``Ib``, ``beta``,
``K``). For the Dalla Man mean normal subject it is 17 and for the mean type-2 subject 4.6 (in
these units): the order of magnitude of published oral-minimal-model SI, which is a related
but not the same quantity, so compare SI between twins, not with minimal-model values. Its
90 % interval comes from 4000 draws of the Laplace posterior; its verdict compares the posterior
and prior SDs of log SI. SI in absolute terms depends on the Dalla Man column (VG, Km0, ...):
compare subjects fitted on the same column.

Noise (likelihood)
------------------
Log-normal error, first with SD :data:`SIGMA_LN` = sqrt(0.10^2 + 0.10^2) = 0.14: CGM error of
modern sensors (MARD 9-10 %, e.g. Dexcom G6, Shah et al. 2018, Diabetes Technol Ther 20:428; a
MARD m is an SD of about m/0.8 for normal errors) plus model error of the same size for
free-living, unlogged activity and meals (MODEL CHOICE). CGM errors are autocorrelated over tens
of minutes (Facchinetti et al. 2014, IEEE TBME 61:620), so the errors are AR(1) in time with
correlation time :data:`TAU_MIN` = 30 min (MODEL CHOICE) and the residuals are whitened
accordingly: treating 288 readings a day as independent would give far too narrow intervals.
After this first fit the SD and the correlation time of the residuals are measured (the time is
the first lag at which their autocorrelation falls below 1/e, at most :data:`TAU_MAX_MIN` =
4 h); where either is larger than assumed, the fit is repeated with the larger value (empirical
Bayes, one pass). The noise is never taken smaller than assumed. Both values are in the report.

Numerics
--------
- Forward-mode sensitivities are integrated with the primal's steps, but diffrax's error control
  sees only the primal. On the overnight steady state the primal's error is nil and the steps
  grow to the limit, where the explicit Tsit5 step can be unstable for the fastest mode of the
  insulin kinetics: the sensitivities then explode while the solution stays right. The step is
  capped at :data:`H_MAX_MIN` = 2 min. Tsit5's stability interval on the negative real axis
  ends at -3.51 (from its tableau), so modes down to -1.75 /min are stable; the fastest mode
  at the fasting state is -0.90 /min for the Dalla Man normal column and -1.45 /min for the
  type-2 column, whatever Gb, Ib, beta and K. Faster modes arise only when K*kp4/VG is several
  times its mean value (the secretion response to dG/dt feeding back through portal insulin on
  glucose production); the Jacobian check below catches that case.
- The derivation constant ``HEb`` (not a model parameter) is compiled in rather than passed as
  an argument: while the step was still uncapped, the traced version gave exploding
  sensitivities where the compiled-in one did not (probably the same instability, excited by
  rounding differences); it is kept compiled in.
- After every fit the compiled Jacobian is checked against a finite difference along one
  direction (:func:`_check_jacobian`): an error of orders of magnitude (a broken Jacobian)
  raises :class:`CalibrationError` rather than returning a posterior built on a wrong Hessian;
  a relative error above 25 % warns that the residuals are not smooth at the MAP (the model's
  ``max(0, .)`` kinks, e.g. the secretion's response to a rising glucose only), so the Laplace
  intervals are rough there. The error is in the report.

Performance: the compiled residual-and-Jacobian is cached per design (number of windows, meal
slots rounded up to a multiple of 4, padded reading and segment counts), so the subjects of a file
share a few compilations; JAX's persistent cache keeps them across processes. A subject takes
5-30 s on one CPU core (about 0.25 s per Jacobian, 30-80 Jacobians).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import numpy as np

from ..errors import CalibrationError, InputError
from ..io.cgm_file import PHYSIOLOGIC_RANGE_MGDL, CGMTrace
from ..model import Model
from ..parameters import get_parameter_set
from ..person import Person
from ..schedule import Meal, Schedule
from .ogtt_fit import (
    _CONST_KEYS,
    FIT_PARAMETERS,
    PRIOR_SD,
    _base_set,
    _check_basal,
    _parameters,
    _Setup,
    check_bounds,
    overrides,
)
from .posterior import NOT_FITTED, Posterior, identifiability, kept_overrides
from .residual_cache import ResidualCache

#: plasma -> sensor rate constant [1/min] (10-min delay; module docstring)
KSC_PER_MIN = 0.1
#: day windows: start hour on the trace's clock and length (MODEL CHOICE)
WINDOW_START_HOUR = 3.0
WINDOW_HOURS = 24.0
MIN_COVERAGE = 0.7
MIN_WINDOWS = 2
MAX_WINDOWS = 3
#: model output grid [min] (the prediction is interpolated to the reading times)
GRID_MIN = 5.0
#: largest solver step [min]: keeps the explicit Tsit5 steps stable for the sensitivities
#: (module docstring, "Numerics")
H_MAX_MIN = 2.0
#: noise: SD of log error (sensor 0.10 and model 0.10 in quadrature) and AR(1) correlation time
SIGMA_SENSOR_LN = 0.10
SIGMA_MODEL_LN = 0.10
SIGMA_LN = math.hypot(SIGMA_SENSOR_LN, SIGMA_MODEL_LN)
TAU_MIN = 30.0
TAU_MAX_MIN = 240.0
#: carbohydrate priors: unknown amount (median, SD of ln) and a logged amount (SD of ln)
CARB_PRIOR_G = 50.0
CARB_PRIOR_SD = math.log(2.0)
LOGGED_CARB_SD = math.log(1.25)
CARB_BOUNDS_G = (1.0, 300.0)
MEAL_DURATION_MIN = 15.0
#: meal detection (MODEL CHOICE, see detect_meals)
DETECT_RATE_MGDL_PER_MIN = 0.5
DETECT_MIN_RISE_MGDL = 25.0
DETECT_ONSET_SHIFT_MIN = 20.0
DETECT_MIN_SEPARATION_MIN = 90.0
LOGGED_EXCLUSION_MIN = (-30.0, 150.0)
MAX_MEALS_PER_WINDOW = 8
#: Jacobian check (relative error along one direction): warn above, raise above
JACOBIAN_WARN = 0.25
JACOBIAN_FAIL = 3.0
#: fit-level data checks
MIN_READINGS = 36
FLAT_RANGE_MGDL = 10.0
MGDL_MEDIAN_MIN = 25.0
#: basal glucose box [mg/dL] and basal insulin box [pmol/L] (wide plausibility limits)
GB_BOUNDS = (40.0, 400.0)
IB_BOUNDS = (6.0, 300.0)
#: default person when the data carry no covariates (module docstring of scripts/cgm_real_data.py)
ASSUMED_WEIGHT_KG = 80.0
SI_UNIT = "10^-4 dL/kg/min per uU/mL"
#: fasting window for the prior-set choice [hours on the trace's clock]
FASTING_HOURS = (3.0, 6.0)


@dataclass(frozen=True)
class LoggedMeal:
    """A logged meal whose carbohydrate is unknown: ``time_min`` from the trace's first reading;
    meals of one ``kind`` share one fitted carbohydrate amount."""

    time_min: float
    kind: str

    def __post_init__(self) -> None:
        if not (isinstance(self.time_min, int | float) and math.isfinite(self.time_min)):
            raise InputError("LoggedMeal.time_min", self.time_min, "a finite number of minutes")
        if not str(self.kind).strip():
            raise InputError("LoggedMeal.kind", self.kind, "a non-empty meal kind, e.g. 'CF'")


@dataclass(frozen=True)
class FittedMeal:
    """A meal of the fit: time [min from the trace's first reading], where it came from, and
    its fitted carbohydrate [g] (MAP and 90 % interval; the parameter it shares)."""

    time_min: float
    label: str
    source: str  # "logged (carbs known)", "logged (carbs fitted)" or "detected"
    parameter: str
    carbs_g: float
    carbs_90: tuple[float, float]
    window: int


@dataclass(frozen=True)
class CGMFit:
    """Result of :func:`fit_cgm`."""

    posterior: Posterior
    times_min: np.ndarray  # fitted readings, minutes from the trace's first reading
    glucose_mgdl: np.ndarray  # observed
    fitted_mgdl: np.ndarray  # the twin's sensor glucose at those times
    window_starts_min: tuple[float, ...]
    window_min: float
    meals: tuple[FittedMeal, ...]
    rmse_mgdl: float
    mard_pct: float
    si: float
    si_90: tuple[float, float]
    si_verdict: str
    verdicts: dict[str, str]
    prior_set: str
    seconds: float
    report: dict[str, Any] = field(default_factory=dict)


# --- model -------------------------------------------------------------------------------------


@cache
def cgm_meal_model() -> Model:
    """The Dalla Man 2007 meal model with the UVA/Padova CGM sensor compartment ``Gs``."""
    from ..components.cgm_sensor import cgm_sensor
    from ..models import meal_model

    return Model("dallaman2007_cgm", [*meal_model().components, cgm_sensor()])


@cache
def _initial_functions():
    import sympy as sp

    from ..model import sym

    m = cgm_meal_model()
    args = [sym(n) for n in m.parameter_names]
    return tuple(sp.lambdify(args, sp.sympify(m.initial[s]), "jax") for s in m.state_names)


def parameter_values(person: Person) -> dict[str, float]:
    """The person's values of every :func:`cgm_meal_model` parameter (``ksc`` added)."""
    m = cgm_meal_model()
    return person.parameter_values(m.parameter_names) | {"ksc": KSC_PER_MIN}


def _setup(person: Person, base: str) -> _Setup:
    m = cgm_meal_model()
    p = replace(person, parameter_set=base, parameters={})
    vals = m.derive_parameters(parameter_values(p))
    index = {n: i for i, n in enumerate(m.parameter_names)}
    return _Setup(
        names=FIT_PARAMETERS,
        p0=m.parameter_matrix(vals)[0],
        index=index,
        consts={k: float(v[0]) for k, v in vals.items() if k not in index},
        x0_fns=_initial_functions(),
        times=(),
        dose_g=0.0,
    )


def simulate_cgm(
    person: Person, schedule: Schedule, duration_min: float, times_min: Sequence[float]
) -> np.ndarray:
    """Sensor glucose [mg/dL] of ``person`` at ``times_min`` from the fasting state, on the Numba
    backend (independent of the JAX fit: synthetic data and cross-checks)."""
    from ..simulate import run

    m = cgm_meal_model()
    sol = run(m, parameter_values(person), schedule, duration_min=duration_min)
    t = sol.time_min
    return np.interp(times_min, t, sol["Subcutaneous glucose [mg/dL]"].values[0])


def si_index(gb, vmx, kp3, p: dict[str, float]) -> np.ndarray:
    """The model's insulin sensitivity SI [10^-4 dL/kg/min per uU/mL] (module docstring),
    vectorised over ``gb`` [mg/dL], ``vmx``, ``kp3``; ``p``: the set's VG, k1, k2, Vm0, Km0."""
    gb, vmx, kp3 = (np.asarray(a, dtype=float) for a in (gb, vmx, kp3))
    k1, k2, vm0, km0 = p["k1"], p["k2"], p["Vm0"], p["Km0"]
    gpb = gb * p["VG"]
    b = k1 * gpb - k2 * km0 - vm0
    gtb = (b + np.sqrt(b * b + 4.0 * k2 * k1 * gpb * km0)) / (2.0 * k2)
    return (vmx * gtb / (km0 + gtb) + kp3) / gb * 6.0 * 1e4


# --- data checks, windows and meal detection ---------------------------------------------------


def _check_trace(trace: CGMTrace) -> None:
    who = f"CGM trace {trace.subject!r}"
    g = np.asarray(trace.glucose_mgdl, dtype=float)
    if g.size < 2:
        raise InputError(
            f"{who}: readings",
            int(g.size),
            f"at least {MIN_READINGS} readings (3 h at 5-min sampling)",
            "A single reading cannot be fitted.",
        )
    if not np.all(np.isfinite(g)):
        raise InputError(f"{who}: glucose", "a non-finite value", "finite glucose in mg/dL")
    dt = np.diff(np.asarray(trace.minutes, dtype=float))
    if np.all(dt == 0):
        raise InputError(
            f"{who}: time",
            str(trace.times[0]),
            "readings at different times",
            f"All {g.size} readings share one timestamp.",
        )
    if np.any(dt <= 0):
        raise InputError(
            f"{who}: time", "readings out of order or repeated", "strictly increasing times"
        )
    med = float(np.median(g))
    if med < MGDL_MEDIAN_MIN:
        raise InputError(
            f"{who}: glucose unit",
            f"mg/dL (median reading {med:g})",
            "readings in mg/dL",
            "A median below 25 mg/dL is impossible; the values look like mmol/L: multiply by "
            "18.016 (or read the file with unit='mmol/L').",
        )
    lo, hi = PHYSIOLOGIC_RANGE_MGDL
    bad = np.flatnonzero((g < lo) | (g > hi))
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"{who}: glucose reading {i} ({trace.times[i]})",
            float(g[i]),
            f"[{lo:g}, {hi:g}] mg/dL (physiologic limits)",
            "Fix or remove the reading; it is not clipped.",
        )
    if g.size < MIN_READINGS:
        raise InputError(
            f"{who}: readings",
            int(g.size),
            f"at least {MIN_READINGS} readings (3 h at 5-min sampling) for a fit",
        )


def _day_windows(trace: CGMTrace, start_hour: float, hours: float) -> list[tuple[float, float]]:
    """Candidate windows ``(start, coverage)`` [min from the first reading]."""
    t0: datetime = trace.start
    first = t0.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=start_hour)
    if first < t0:
        first += timedelta(days=1)
    length = hours * 60.0
    minutes = np.asarray(trace.minutes, dtype=float)
    step = float(np.median(np.diff(minutes)))
    out = []
    s = (first - t0).total_seconds() / 60.0
    while s + length <= minutes[-1] + step:
        n = int(np.sum((minutes >= s) & (minutes < s + length)))
        out.append((s, min(1.0, n * step / length)))
        s += 1440.0
    return out


def detect_meals(minutes: np.ndarray, glucose_mgdl: np.ndarray) -> list[float]:
    """Meal onsets [min] detected from sustained CGM rises (MODEL CHOICE).

    Rule: on the trace resampled to 5 min (gaps over 30 min left empty) and smoothed by a
    centred 3-point mean, a *rise* is a run of times where glucose climbs at least
    :data:`DETECT_RATE_MGDL_PER_MIN` (0.5 mg/dL/min, 15 mg/dL in 30 min) over the next 30 min;
    it is a meal when the peak within 60 min after the run exceeds the nadir of the 30 min
    before it by :data:`DETECT_MIN_RISE_MGDL` (25 mg/dL). The onset is the time the trace
    departs from the nadir (the last time within 2 mg/dL of it) minus
    :data:`DETECT_ONSET_SHIFT_MIN` (20 min: gastric emptying, absorption and the sensor delay
    make the model's CGM depart 15-25 min after eating begins, for the Dalla Man normal and
    type-2 mean subjects of 60-100 kg). Onsets within :data:`DETECT_MIN_SEPARATION_MIN`
    (90 min) of the previous one are merged into it (one meal).
    Rate-of-change detectors of this kind are the usual approach (e.g. Dassau et al. 2008,
    Diabetes Care 31:295); the thresholds here are chosen to find main meals, not snacks.
    """
    t = np.asarray(minutes, dtype=float)
    g = np.asarray(glucose_mgdl, dtype=float)
    if t.size < 4:
        return []
    grid = np.arange(t[0], t[-1] + 1e-9, 5.0)
    gi = np.interp(grid, t, g)
    # empty where the nearest readings are more than 30 min apart
    k = np.clip(np.searchsorted(t, grid), 1, t.size - 1)
    gi[(t[k] - t[k - 1]) > 30.0] = np.nan
    sm = gi.copy()
    sm[1:-1] = (gi[:-2] + gi[1:-1] + gi[2:]) / 3.0
    lag = 6  # 30 min
    rise = np.full(sm.size, np.nan)
    rise[:-lag] = (sm[lag:] - sm[:-lag]) / 30.0
    up = np.nan_to_num(rise, nan=0.0) >= DETECT_RATE_MGDL_PER_MIN
    onsets: list[float] = []
    i = 0
    n = sm.size
    while i < n:
        if not up[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and up[j + 1]:
            j += 1
        a = max(0, i - 6)
        pre = sm[a : i + 1]
        post = sm[i : min(n, j + lag + 13)]
        if np.any(np.isfinite(pre)) and np.any(np.isfinite(post)):
            ia = a + int(np.nanargmin(pre))
            if np.nanmax(post) - sm[ia] >= DETECT_MIN_RISE_MGDL:
                # departure: the last time glucose is within 2 mg/dL of the nadir
                floor = sm[ia] + 2.0
                while ia + 1 < n and np.isfinite(sm[ia + 1]) and sm[ia + 1] <= floor:
                    ia += 1
                onset = grid[ia] - DETECT_ONSET_SHIFT_MIN
                if not onsets or onset - onsets[-1] >= DETECT_MIN_SEPARATION_MIN:
                    onsets.append(float(onset))
        i = j + 1
    return onsets


# --- design ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Design:
    windows: int
    slots: int
    n_obs: int
    n_seg: int
    window_min: float


def _pad_to(n: int, k: int) -> int:
    return max(k, math.ceil(n / k) * k)


@cache
def _residual_function(design: _Design, index_key: tuple, const_key: tuple):
    """``residuals(theta, *data) -> (r, (r, prediction))`` for one design (not jitted).

    The derivation constants that are not model parameters (``HEb``) are compiled in
    (``const_key``; module docstring, "Numerics"); :func:`fit_cgm` checks the Jacobian against a
    finite difference after every fit."""
    import diffrax
    import jax
    import jax.numpy as jnp

    from ..backends.base import SolverOptions
    from ..backends.jax_backend import make_differentiable_solve

    m = cgm_meal_model()
    index = dict(index_key)
    grid = np.arange(0.0, design.window_min + 1e-9, GRID_MIN)
    solve = make_differentiable_solve(
        m,
        grid,
        [m.state_names.index("Gs")],
        SolverOptions(rtol=1e-6, atol=1e-6, h_max=H_MAX_MIN),
        adjoint=diffrax.ForwardMode(),
    )
    vsolve = jax.vmap(solve, in_axes=(None, None, 0, 0))
    interp = jax.vmap(lambda t, y: jnp.interp(t, jnp.asarray(grid), y))
    shell = _Setup(FIT_PARAMETERS, np.zeros(len(index)), index, {}, _initial_functions(), (), 0.0)
    nphys = len(FIT_PARAMETERS)
    x0_fns = shell.x0_fns

    cd = dict(const_key)

    def residuals(theta, p0, basis, seg_t, t_obs, ln_obs, mask, rho, scale, mu, sd):
        P = _parameters(shell, theta[:nphys], p0=p0, consts=cd)
        x0 = jnp.stack([jnp.asarray(f(*P), dtype=jnp.float64) for f in x0_fns])
        carbs = jnp.exp(theta[nphys:])
        seg_u = jnp.einsum("wsik,k->wsi", basis, carbs)
        gs = vsolve(x0, P, seg_t, seg_u)[..., 0] / P[index["VG"]]
        pred = interp(t_obs, gs)
        e = jnp.where(mask, ln_obs - jnp.log(jnp.where(mask, pred, 1.0)), 0.0)
        e_prev = jnp.concatenate([jnp.zeros_like(e[:, :1]), e[:, :-1]], axis=1)
        r = jnp.where(mask, (e - rho * e_prev) / (SIGMA_LN * jnp.sqrt(1.0 - rho**2)), 0.0)
        r = jnp.concatenate([scale * r.ravel(), (theta - mu) / sd])
        return r, (r, pred)

    return residuals


@cache
def _compiled(design: _Design, index_key: tuple, const_key: tuple):
    """Jitted residuals and Jacobian for one design; person, data and meals are arguments."""
    import jax

    return jax.jit(jax.jacfwd(_residual_function(design, index_key, const_key), has_aux=True))


# --- the fit -----------------------------------------------------------------------------------


def _physiological_bounds(pset) -> tuple[np.ndarray, np.ndarray]:
    """Box of the log-parameters: the set's bounds (kp3 also within kp4's, as kp4 moves with
    it), and wide plausibility limits for the basal values."""
    lo = {n: pset[n].lower for n in FIT_PARAMETERS[2:]}
    hi = {n: pset[n].upper for n in FIT_PARAMETERS[2:]}
    ratio = pset["kp3"].value / pset["kp4"].value
    lo["kp3"] = max(lo["kp3"], pset["kp4"].lower * ratio)
    hi["kp3"] = min(hi["kp3"], pset["kp4"].upper * ratio)
    lows = [GB_BOUNDS[0], IB_BOUNDS[0]] + [lo[n] for n in FIT_PARAMETERS[2:]]
    highs = [GB_BOUNDS[1], IB_BOUNDS[1]] + [hi[n] for n in FIT_PARAMETERS[2:]]
    return np.log(lows), np.log(highs)


@dataclass(frozen=True)
class _WindowMeal:
    """A meal of one window: time [min from the window start], kind, source, known carbs."""

    time: float
    kind: str
    source: str
    carbs: float | None


def _check_arguments(
    fasting_insulin_uuml, window_start_hour, window_hours, min_windows, max_windows, meals
) -> list[Meal | LoggedMeal]:
    if fasting_insulin_uuml is not None and not (
        isinstance(fasting_insulin_uuml, int | float) and 0.5 <= fasting_insulin_uuml <= 300.0
    ):
        raise InputError("fasting_insulin_uuml", fasting_insulin_uuml, "[0.5, 300] uU/mL")
    if not (isinstance(window_hours, int | float) and 6.0 <= window_hours <= 48.0):
        raise InputError("window_hours", window_hours, "[6, 48] h")
    if not (isinstance(window_start_hour, int | float) and 0.0 <= window_start_hour < 24.0):
        raise InputError("window_start_hour", window_start_hour, "[0, 24) h")
    if not (1 <= min_windows <= max_windows <= 7):
        raise InputError(
            "min_windows/max_windows", (min_windows, max_windows), "1 <= min <= max <= 7"
        )
    out = list(meals or [])
    for m in out:
        if not isinstance(m, Meal | LoggedMeal):
            raise InputError("meals", type(m).__name__, "Meal or LoggedMeal objects")
    return out


def _choose_windows(
    trace: CGMTrace,
    meal_times: list[float],
    start_hour: float,
    hours: float,
    min_windows: int,
    max_windows: int,
) -> list[float]:
    """Window starts [min from the first reading]: the usable days with a logged meal first,
    then the earliest other usable days up to ``min_windows``."""
    who = f"CGM trace {trace.subject!r}"
    span_h = float(trace.minutes[-1]) / 60.0
    if span_h < hours:
        raise InputError(
            f"{who}: span",
            f"{span_h:.1f} h",
            f">= {hours:g} h (one day window from {start_hour:02g}:00)",
            "The fit needs at least one whole window that starts in the overnight fast.",
        )
    length = hours * 60.0
    cands = _day_windows(trace, start_hour, hours)
    usable = [s for s, c in cands if c >= MIN_COVERAGE]
    if not usable:
        best = max((c for _, c in cands), default=0.0)
        raise InputError(
            f"{who}: coverage",
            f"{100 * best:.0f} % of the readings expected in the best window",
            f">= {100 * MIN_COVERAGE:.0f} % in at least one {hours:g}-h window from "
            f"{start_hour:02g}:00",
        )
    chosen = [s for s in usable if any(s <= t < s + length for t in meal_times)][:max_windows]
    for s in usable:
        if len(chosen) >= min(min_windows, max_windows):
            break
        if s not in chosen:
            chosen.append(s)
    return sorted(chosen)


def _window_readings(
    trace: CGMTrace, starts: list[float], length: float
) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
    """``[(minutes from the window start, glucose)]`` per window, and how many censored
    (flagged) readings were left out."""
    minutes = np.asarray(trace.minutes, dtype=float)
    g = np.asarray(trace.glucose_mgdl, dtype=float)
    flags = np.asarray(trace.flags)
    good = flags == 0 if flags.shape == minutes.shape else np.ones(minutes.size, bool)
    out, censored = [], 0
    for s in starts:
        sel = (minutes >= s) & (minutes < s + length)
        censored += int(np.sum(sel & ~good))
        sel &= good
        out.append((minutes[sel] - s, g[sel]))
    return out, censored


def _window_meals(
    trace: CGMTrace,
    start: float,
    readings: tuple[np.ndarray, np.ndarray],
    meals: list[Meal | LoggedMeal],
    length: float,
    detect: bool,
) -> list[_WindowMeal]:
    out = []
    for m in meals:
        t = float(m.time_min) - start
        if not 0.0 <= t < length - 1.0:
            continue
        if isinstance(m, Meal):
            out.append(_WindowMeal(t, m.label, "logged (carbs known)", float(m.carbs_g)))
        else:
            out.append(_WindowMeal(t, str(m.kind), "logged (carbs fitted)", None))
    if detect:
        lo, hi = LOGGED_EXCLUSION_MIN
        logged = [m.time for m in out]
        for t in detect_meals(*readings):
            if 0.0 <= t < length - 30.0 and not any(lo <= t - a <= hi for a in logged):
                out.append(_WindowMeal(t, "detected", "detected", None))
    out.sort(key=lambda m: m.time)
    if len(out) > MAX_MEALS_PER_WINDOW:
        raise InputError(
            f"CGM trace {trace.subject!r}: meals in the window from {_clock(trace, start)}",
            len(out),
            f"at most {MAX_MEALS_PER_WINDOW} meals per window",
        )
    return out


def _check_window_data(trace: CGMTrace, readings: list[tuple[np.ndarray, np.ndarray]]) -> None:
    who = f"CGM trace {trace.subject!r}"
    g = np.concatenate([g for _, g in readings])
    if g.size < MIN_READINGS:
        raise InputError(
            f"{who}: readings in the fitted windows", int(g.size), f">= {MIN_READINGS}"
        )
    if float(np.ptp(g)) < FLAT_RANGE_MGDL:
        raise InputError(
            f"{who}: glucose range",
            f"{float(np.ptp(g)):.1f} mg/dL over {g.size} readings",
            f">= {FLAT_RANGE_MGDL:g} mg/dL",
            "A flat trace has no dynamics to fit; the sensor may have failed or the values "
            "may be a constant fill.",
        )


def _carb_parameters(
    trace: CGMTrace, starts: list[float], win_meals: list[list[_WindowMeal]]
) -> tuple[list[str], list[float], list[float], list[list[int]]]:
    """Names, prior means and SDs (log) of the carbohydrate parameters, and each meal's
    parameter index: one per kind for logged meals of unknown size, one per other meal."""
    names: list[str] = []
    mu: list[float] = []
    sd: list[float] = []
    slots: list[list[int]] = []
    for s, ms in zip(starts, win_meals, strict=True):
        row = []
        for m in ms:
            if m.source == "logged (carbs fitted)":
                name = f"carbs {m.kind}"
                if name in names:
                    row.append(names.index(name))
                    continue
            else:
                name = f"carbs {m.kind} {_clock(trace, s + m.time)}"
            names.append(name)
            if m.carbs is None:
                mu.append(math.log(CARB_PRIOR_G))
                sd.append(CARB_PRIOR_SD)
            else:
                lo, hi = CARB_BOUNDS_G
                mu.append(math.log(min(max(m.carbs, 1.01 * lo), 0.99 * hi)))
                sd.append(LOGGED_CARB_SD)
            row.append(len(names) - 1)
        slots.append(row)
    return names, mu, sd, slots


def _design_arrays(
    design: _Design,
    readings: list[tuple[np.ndarray, np.ndarray]],
    win_meals: list[list[_WindowMeal]],
    slots: list[list[int]],
) -> dict[str, np.ndarray]:
    """Padded arrays of the design: the input basis (window, segment, input, carb parameter):
    the inputs of 1 g of that parameter's meals, so that the inputs are linear in the carbs;
    segment boundaries; reading times, log glucose and mask."""
    m = cgm_meal_model()
    W, N, S = design.windows, design.n_obs, design.n_seg
    length = design.window_min
    basis = np.zeros((W, S, len(m.input_names), design.slots))
    seg_t = np.full((W, S + 1), length)
    seg_t[:, 0] = 0.0
    t_obs, ln_obs = np.zeros((W, N)), np.zeros((W, N))
    mask = np.zeros((W, N), dtype=bool)
    for w, ((t_w, g_w), ms) in enumerate(zip(readings, win_meals, strict=True)):
        n = t_w.size
        t_obs[w, :n], ln_obs[w, :n], mask[w, :n] = t_w, np.log(g_w), True
        for k in sorted(set(slots[w])):
            one = [
                Meal(a.time, 1.0 if slots[w][j] == k else 0.0, MEAL_DURATION_MIN)
                for j, a in enumerate(ms)
            ]
            st, su = Schedule(meals=one).segments(m.input_names, length)
            seg_t[w, : st.size] = st
            basis[w, : su.shape[0], :, k] = su
    return {"basis": basis, "seg_t": seg_t, "t_obs": t_obs, "ln_obs": ln_obs, "mask": mask}


def _optimise(jac_aux, arrays, p0, mu, sd, lb, ub, who: str) -> dict[str, Any]:
    """MAP by least squares, then the noise from the residuals and (where it is larger than
    assumed) a second fit with it (module docstring)."""
    from scipy.optimize import least_squares

    from ..backends.jax_backend import _error_checks_as_nan

    t_obs, mask = arrays["t_obs"], arrays["mask"]
    dt_obs = np.full(t_obs.shape, np.inf)
    dt_obs[:, 1:] = np.where(mask[:, 1:] & mask[:, :-1], np.diff(t_obs, axis=1), np.inf)

    def data_for(sigma: float, tau: float) -> tuple:
        rho = np.exp(-dt_obs / tau)
        a = arrays
        return (p0, a["basis"], a["seg_t"], t_obs, a["ln_obs"], mask, rho, SIGMA_LN / sigma, mu, sd)

    cache = ResidualCache(jac_aux, data_for(SIGMA_LN, TAU_MIN))

    def solve(x0):
        res = least_squares(
            cache.fun, x0, jac=cache.jac, bounds=(lb, ub), method="trf", x_scale=sd, max_nfev=200
        )
        if not np.all(np.isfinite(res.x)) or res.status <= 0:
            raise CalibrationError(f"{who}: the CGM fit did not converge: {res.message}")
        return res

    with _error_checks_as_nan():
        res = solve(np.clip(mu, lb + 1e-6, ub - 1e-6))
        nfev = int(res.nfev)
        pred = cache.aux(res.x)[1]
        sigma_hat, tau_hat = _residual_noise(arrays["ln_obs"], pred, mask, t_obs)
        sigma, tau = max(SIGMA_LN, sigma_hat), max(TAU_MIN, min(TAU_MAX_MIN, tau_hat))
        if sigma > 1.05 * SIGMA_LN or tau > 1.05 * TAU_MIN:
            cache.data = data_for(sigma, tau)
            res = solve(res.x)
            nfev += int(res.nfev)
        J = cache.jac(res.x)
        r, pred = cache.aux(res.x)
        if not np.all(np.isfinite(r)):
            raise CalibrationError(f"{who}: the fitted twin cannot be simulated (solver failure)")
        jac_error = _check_jacobian(cache.aux, res.x, J, lb, ub, who)
    return {
        "jacobian error": jac_error,
        "x": np.asarray(res.x, dtype=float),
        "J": J,
        "pred": pred,
        "nfev": nfev,
        "noise residual": (sigma_hat, tau_hat),
        "noise used": (sigma, tau),
    }


def _si_summary(mean, cov, prior_mu, prior_sd, setup: _Setup, n_carb: int) -> dict[str, Any]:
    """SI at the MAP, its 90 % interval and verdict (4000 draws of the posterior and of the
    prior), and its largest posterior correlation with a log carbohydrate."""
    consts = {k: float(setup.p0[setup.index[k]]) for k in ("VG", "k1", "k2", "Vm0", "Km0")}
    cols = [FIT_PARAMETERS.index(n) for n in ("Gb", "Vmx", "kp3")]
    rng = np.random.default_rng(0)
    draws = rng.multivariate_normal(mean, cov, size=4000, method="eigh")
    si_post = si_index(*np.exp(draws[:, cols]).T, consts)
    prior = rng.normal(prior_mu, prior_sd, size=(4000, len(prior_mu)))
    si_prior = si_index(*np.exp(prior[:, cols]).T, consts)
    verdict = identifiability([float(np.std(np.log(si_prior)))], [float(np.std(np.log(si_post)))])
    nphys = len(FIT_PARAMETERS)
    corr = max(
        (
            abs(float(np.corrcoef(np.log(si_post), draws[:, nphys + k])[0, 1]))
            for k in range(n_carb)
        ),
        default=0.0,
    )
    return {
        "si": float(si_index(*np.exp(mean[cols]), consts)),
        "si_90": (float(np.percentile(si_post, 5)), float(np.percentile(si_post, 95))),
        "verdict": verdict[0],
        "corr": corr,
    }


def fit_cgm(
    person: Person | None,
    trace: CGMTrace,
    meals: Sequence[Meal | LoggedMeal] | None = None,
    *,
    fasting_insulin_uuml: float | None = None,
    detect: bool = True,
    window_start_hour: float = WINDOW_START_HOUR,
    window_hours: float = WINDOW_HOURS,
    max_windows: int = MAX_WINDOWS,
    min_windows: int = MIN_WINDOWS,
) -> CGMFit:
    """Fit the person's meal-level parameters and meal sizes to a CGM trace (module docstring).

    ``person``: covariates (weight) and nothing else is used; ``None`` takes an adult of
    :data:`ASSUMED_WEIGHT_KG`. ``meals``: times in minutes from the trace's first reading
    (``read_meal_log(path, start=trace.start)``); :class:`~endotwin.schedule.Meal` when the
    carbohydrate is known, :class:`LoggedMeal` when only the kind is. ``detect``: add meals found
    by :func:`detect_meals` away from the logged ones (turn off for a complete meal log).
    ``fasting_insulin_uuml``: a measured fasting insulin, the prior centre of ``Ib``.
    ``window_start_hour``, ``window_hours``, ``min_windows``, ``max_windows``: the day windows.

    Raises :class:`InputError` for data that cannot be fitted (too few readings, too short a
    span, a flat trace, impossible glucose or unit) and :class:`CalibrationError` when the fit
    fails. Warns when a parameter ends on its bound.
    """
    t_start = time.perf_counter()
    person = person or Person(weight_kg=ASSUMED_WEIGHT_KG, label="assumed adult")
    meals = _check_arguments(
        fasting_insulin_uuml, window_start_hour, window_hours, min_windows, max_windows, meals
    )
    _check_trace(trace)
    who = f"CGM trace {trace.subject!r}"
    length = window_hours * 60.0
    starts = _choose_windows(
        trace,
        [float(m.time_min) for m in meals],
        window_start_hour,
        window_hours,
        min_windows,
        max_windows,
    )
    readings, censored = _window_readings(trace, starts, length)
    _check_window_data(trace, readings)
    win_meals = [
        _window_meals(trace, s, r, meals, length, detect)
        for s, r in zip(starts, readings, strict=True)
    ]
    carb_names, carb_mu, carb_sd, slots = _carb_parameters(trace, starts, win_meals)
    n_carb, nphys = len(carb_names), len(FIT_PARAMETERS)
    design = _Design(
        windows=len(starts),
        slots=_pad_to(max(n_carb, 1), 4),
        n_obs=_pad_to(max(t.size for t, _ in readings), 64),
        n_seg=2 * MAX_MEALS_PER_WINDOW + 1,
        window_min=length,
    )

    # prior (set chosen by the overnight glucose), bounds, and the compiled residual
    fasting = _fasting_glucose(readings, window_start_hour)
    base = _base_set(fasting)
    setup = _setup(person, base)
    pset = get_parameter_set(base)
    ib0 = (
        6.0 * fasting_insulin_uuml
        if fasting_insulin_uuml is not None
        else float(setup.p0[setup.index["Ib"]])
    )
    centre = [fasting, ib0] + [float(setup.p0[setup.index[n]]) for n in FIT_PARAMETERS[2:]]
    pad = design.slots - n_carb
    mu = np.concatenate([np.log(centre), carb_mu, np.full(pad, math.log(CARB_PRIOR_G))])
    sd = np.concatenate(
        [[PRIOR_SD[n] for n in FIT_PARAMETERS], carb_sd, np.full(pad, CARB_PRIOR_SD)]
    )
    lb_p, ub_p = _physiological_bounds(pset)
    lb = np.concatenate([lb_p, np.full(design.slots, math.log(CARB_BOUNDS_G[0]))])
    ub = np.concatenate([ub_p, np.full(design.slots, math.log(CARB_BOUNDS_G[1]))])
    arrays = _design_arrays(design, readings, win_meals, slots)
    const_key = tuple((k, float(setup.consts[k])) for k in _CONST_KEYS if k not in setup.index)
    jac_aux = _compiled(design, tuple(sorted(setup.index.items())), const_key)
    opt = _optimise(jac_aux, arrays, setup.p0, mu, sd, lb, ub, who)

    # Laplace: Gauss-Newton Hessian of the whitened residuals at the MAP (padding left out:
    # its parameters see only their priors and are independent of the others)
    used = np.arange(nphys + n_carb)
    n_data = design.windows * design.n_obs
    J = opt["J"]
    Jd, Jp = J[:n_data][:, used], J[n_data:][:, used]
    try:
        cov = np.linalg.inv(Jd.T @ Jd + Jp.T @ Jp)
    except np.linalg.LinAlgError:
        raise CalibrationError(f"{who}: the Laplace Hessian is singular") from None
    cov = 0.5 * (cov + cov.T)
    mean = opt["x"][used]
    names = (*FIT_PARAMETERS, *carb_names)
    prior_sd = sd[used]
    post_sd = np.sqrt(np.diag(cov))
    verdicts = dict(zip(names, identifiability(prior_sd, post_sd), strict=True))
    at_bound = [
        n
        for n, x, a, b in zip(names, mean, lb[used], ub[used], strict=True)
        if min(x - a, b - x) < 1e-3
    ]
    for n in at_bound:
        verdicts[n] = "at bound"
    if opt["jacobian error"] > JACOBIAN_WARN:
        warnings.warn(
            f"{who}: the residuals are not smooth at the fitted point (the Jacobian differs from "
            f"a finite difference by {100 * opt['jacobian error']:.0f} %); the Laplace intervals "
            "are rough",
            stacklevel=2,
        )
    if at_bound:
        warnings.warn(
            f"{who}: the CGM fit ends on the bound of {at_bound}; their intervals are not "
            "trustworthy (the data may be implausible for the model)",
            stacklevel=2,
        )
    ov = overrides(setup, mean[:nphys])
    check_bounds(ov, pset, f"{who}: the CGM fit")
    fitted_person = replace(person, parameter_set=base, parameters={**kept_overrides(person), **ov})
    _check_basal(fitted_person, float(np.exp(mean[0])), float(np.exp(mean[1])))
    si = _si_summary(mean, cov, mu[used], prior_sd, setup, n_carb)

    # fitted trace and meals
    pred = opt["pred"]
    times = np.concatenate([t + s for (t, _), s in zip(readings, starts, strict=True)])
    observed = np.concatenate([g for _, g in readings])
    fitted = np.concatenate([pred[w, : t.size] for w, (t, _) in enumerate(readings)])
    rmse = float(np.sqrt(np.mean((fitted - observed) ** 2)))
    mard = float(100.0 * np.mean(np.abs(fitted - observed) / observed))
    z = 1.6448536269514722  # 90 % two-sided
    fitted_meals = tuple(
        FittedMeal(
            time_min=s + m.time,
            label=m.kind,
            source=m.source,
            parameter=carb_names[k],
            carbs_g=float(np.exp(mean[nphys + k])),
            carbs_90=(
                float(np.exp(mean[nphys + k] - z * post_sd[nphys + k])),
                float(np.exp(mean[nphys + k] + z * post_sd[nphys + k])),
            ),
            window=w,
        )
        for w, (s, ms) in enumerate(zip(starts, win_meals, strict=True))
        for m, k in zip(ms, slots[w], strict=True)
    )
    report: dict[str, Any] = {
        "calibration": "cgm",
        "not fitted": NOT_FITTED,
        "data": "CGM glucose only",
        "subject": trace.subject,
        "readings fitted": int(observed.size),
        "censored readings left out": censored,
        "windows": [_clock(trace, s) for s in starts],
        "window length [h]": window_hours,
        "prior set": base,
        "fasting glucose (03-06 h median) [mg/dL]": fasting,
        "assumed weight [kg]": person.weight_kg,
        "meals": {
            "logged": sum(1 for f in fitted_meals if f.source != "detected"),
            "detected": sum(1 for f in fitted_meals if f.source == "detected"),
        },
        "RMSE [mg/dL]": rmse,
        "MARD [%]": mard,
        "noise SD (log)": SIGMA_LN,
        "noise correlation time [min]": TAU_MIN,
        "residual noise SD (log), correlation time [min]": opt["noise residual"],
        "noise used: SD (log), correlation time [min]": opt["noise used"],
        "identifiability": verdicts,
        "SI": si["si"],
        "SI 90%": si["si_90"],
        "SI unit": SI_UNIT,
        "SI verdict": si["verdict"],
        "max |corr(log SI, log carbs)|": si["corr"],
        "least_squares evaluations": opt["nfev"],
        "Jacobian check (relative error)": opt["jacobian error"],
        "design": {
            "windows": design.windows,
            "meal slots": design.slots,
            "readings per window": design.n_obs,
        },
    }
    post = Posterior(
        person=fitted_person,
        names=names,
        mean=mean,
        cov=cov,
        prior_sd=prior_sd,
        to_overrides=lambda th: overrides(setup, np.asarray(th)[:nphys]),
        report=report,
        prior_mean=mu[used],
    )
    seconds = time.perf_counter() - t_start
    report["seconds"] = seconds
    return CGMFit(
        posterior=post,
        times_min=times,
        glucose_mgdl=observed,
        fitted_mgdl=fitted,
        window_starts_min=tuple(starts),
        window_min=length,
        meals=fitted_meals,
        rmse_mgdl=rmse,
        mard_pct=mard,
        si=si["si"],
        si_90=si["si_90"],
        si_verdict=si["verdict"],
        verdicts=verdicts,
        prior_set=base,
        seconds=seconds,
        report=report,
    )


def _residual_noise(ln_obs, pred, mask, t_obs) -> tuple[float, float]:
    """SD of the log residuals and their correlation time [min]: the first lag at which the
    autocorrelation (readings at the median spacing, within windows) falls below 1/e."""
    e = np.where(mask, ln_obs - np.log(np.where(mask, pred, 1.0)), np.nan)
    sigma = float(np.sqrt(np.nanmean(e**2)))
    step = float(np.median(np.diff(t_obs[mask.any(axis=1)][0][: int(mask[0].sum())])))
    ec = e - np.nanmean(e, axis=1, keepdims=True)
    var = np.nanmean(ec**2)
    for k in range(1, e.shape[1] // 2):
        a, b = ec[:, k:], ec[:, :-k]
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() < 10:
            break
        if float(np.mean(a[ok] * b[ok])) / var < math.exp(-1.0):
            return sigma, k * step
    return sigma, TAU_MAX_MIN


def _check_jacobian(residual_aux, x, J, lb, ub, who: str) -> float:
    """Internal check: the compiled forward-mode Jacobian against a finite difference along one
    fixed direction, pointing away from the bounds (one extra evaluation). Returns the relative
    error. A miscompiled or unstable Jacobian is off by orders of magnitude and raises
    :class:`CalibrationError`; a moderate mismatch is the model's kinks (``max(0, .)`` in
    secretion, production and excretion) near the MAP, and :func:`fit_cgm` warns about it."""
    h = 1e-3
    v = np.random.default_rng(0).normal(size=x.size)
    v /= np.linalg.norm(v)
    v = np.where(x + h * v > ub, -np.abs(v), np.where(x + h * v < lb, np.abs(v), v))
    r1 = np.asarray(residual_aux(x)[0]).copy()
    r2 = np.asarray(residual_aux(x + h * v)[0])
    fd, jv = r2 - r1, h * (J @ v)
    err = float(np.linalg.norm(fd - jv))
    size = float(np.linalg.norm(jv)) + h
    if not (np.isfinite(err) and err <= JACOBIAN_FAIL * size):
        raise CalibrationError(
            f"{who}: internal check: the Jacobian of the CGM residuals disagrees with a finite "
            f"difference (|J dx - dr| = {err:.3g}, |J dx| = {float(np.linalg.norm(jv)):.3g})"
        )
    return err / size


def _clock(trace: CGMTrace, minutes: float) -> str:
    return (trace.start + timedelta(minutes=float(minutes))).strftime("%Y-%m-%d %H:%M")


def _fasting_glucose(readings, start_hour: float) -> float:
    """Median reading between :data:`FASTING_HOURS` on the clock in the windows (all readings
    when there are fewer than 6 there)."""
    a = (FASTING_HOURS[0] - start_hour) * 60.0
    b = (FASTING_HOURS[1] - start_hour) * 60.0
    v = np.concatenate([g[(t >= a) & (t < b)] for t, g in readings])
    if v.size < 6:
        v = np.concatenate([g for _, g in readings])
    return float(np.clip(np.median(v), GB_BOUNDS[0] * 1.05, GB_BOUNDS[1] * 0.95))


def hall2018_logged_meals(
    trace: CGMTrace, meals: Sequence[tuple[datetime, str]]
) -> list[LoggedMeal]:
    """The Hall 2018 meals of one subject (:func:`endotwin.io.meal_log.read_hall2018_meals`) as
    :class:`LoggedMeal` on the trace's clock (kind ``CF``/``PB``/``Bar``); meals before the first
    reading are left out."""
    from ..io.meal_log import hall2018_meal_code

    out = []
    for t, code in meals:
        minutes = (t - trace.start).total_seconds() / 60.0
        if minutes >= 0.0:
            out.append(LoggedMeal(minutes, hall2018_meal_code(code)))
    return out
