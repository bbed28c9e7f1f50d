"""Fit a person's meal-level twin to an oral glucose tolerance test (JAX gradients, Laplace).

What is fitted (natural logarithms; :data:`FIT_PARAMETERS`), on the Dalla Man 2007 meal model:

==========  ==============================================================  ==================
``Gb``      basal (fasting) plasma glucose [mg/dL]                          fasting state
``Ib``      basal plasma insulin [pmol/L]                                   fasting state
``Vmx``     insulin-dependent glucose utilisation (peripheral sensitivity)  eq. 16
``kp3``     insulin suppression of glucose production (hepatic             eq. 10
            sensitivity; ``kp4`` is scaled with it, their ratio is kept)
``beta``    beta-cell response to glucose (second phase)                    eq. 23
``K``       beta-cell response to the rate of glucose rise (first phase)    eq. 22
``kabs``    intestinal absorption rate                                      eq. 8
==========  ==============================================================  ==================

The basal state is parameterised by ``Gb`` and ``Ib``, as in Dalla Man 2007's identification
(the basal values are data): given them, the steady-state relations give, in closed form, the
hepatic insulin extraction ``m6`` (eqs. 3-5, as :func:`endotwin.population.glycaemia` inverts
them), the tissue glucose ``Gtb`` (the positive root of the quadratic k1*Gpb - k2*Gtb =
Vm0*Gtb/(Km0 + Gtb)) and the glucose production at zero glucose ``kp1`` = EGPb + kp2*Gpb +
kp3*Ib + kp4*Ipob (eq. 10 at steady state). The simulator then derives the same basal state from
``m6`` and ``kp1`` (checked after every fit).

Estimation: maximum a posteriori by :func:`scipy.optimize.least_squares` on whitened residuals,
with the Jacobian from :func:`jax.jacfwd` through the diffrax solve
(:func:`endotwin.backends.jax_backend.make_differentiable_solve`, forward-mode adjoint).

- Likelihood: log-normal measurement error, ``ln y_obs = ln y_model + e``, SD :data:`SIGMA_LN`
  (glucose 0.03, insulin 0.10: MODEL CHOICE covering laboratory CVs, about 2-3 % for plasma
  glucose and 5-10 % for insulin immunoassays, plus model error).
- Prior: independent normals on the log-parameters, centred on the Dalla Man 2007 mean subject
  (normal, or type 2 when fasting glucose >= 126 mg/dL, ADA) and on the measured fasting values
  for ``Gb``/``Ib``; SD ln 2 (a factor of 2 at one SD: MODEL CHOICE, weakly informative; the
  basal values get ln 1.5).
- Uncertainty: Laplace approximation with the Gauss-Newton Hessian J^T J of the whitened
  residuals at the MAP (exact for a model linear in the parameters, the usual approximation
  otherwise); its quality is checked by the synthetic-recovery coverage
  (``scripts/twin_recovery.py``).
- Identifiability: posterior SD / prior SD per parameter
  (:func:`endotwin.calibrate.posterior.identifiability`). Without insulin samples, ``Ib``,
  ``beta`` and ``K`` are not identified from glucose alone, and the report says so.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from ..backends import jax_backend as _jax_backend  # noqa: F401  (JAX in float64, its cache)
from ..challenges import OGTT_DRINK_MIN
from ..errors import CalibrationError, InputError
from ..io.ogtt_file import OGTT
from ..models import meal_model
from ..parameters import get_parameter_set
from ..person import Person
from ..population.glycaemia import IGT_2H_MGDL, IMPAIRED_BETA_AGEING
from ..schedule import Meal, Schedule
from .posterior import NOT_FITTED, Posterior, identifiability, kept_overrides
from .residual_cache import ResidualCache

FIT_PARAMETERS: tuple[str, ...] = ("Gb", "Ib", "Vmx", "kp3", "beta", "K", "kabs")
MEANING: dict[str, str] = {
    "Gb": "basal glucose [mg/dL]",
    "Ib": "basal insulin [pmol/L]",
    "Vmx": "peripheral insulin sensitivity (Vmx)",
    "kp3": "hepatic insulin sensitivity (kp3, kp4)",
    "beta": "beta-cell glucose responsiveness, 2nd phase (beta)",
    "K": "beta-cell rate responsiveness, 1st phase (K)",
    "kabs": "glucose absorption rate (kabs)",
}
#: SD of the log measurement error (MODEL CHOICE, module docstring)
SIGMA_LN = {"glucose": 0.03, "insulin": 0.10}
#: prior SD of the log-parameters (MODEL CHOICE, module docstring)
PRIOR_SD = {"Gb": math.log(1.5), "Ib": math.log(1.5)} | {
    n: math.log(2.0) for n in ("Vmx", "kp3", "beta", "K", "kabs")
}
#: ADA fasting-glucose threshold of diabetes [mg/dL]: picks the prior's Dalla Man column
T2D_FPG_MGDL = 126.0
T_END_MIN = 180.0


@dataclass(frozen=True)
class _Setup:
    """Everything the JAX residual needs for one person and one set of sample times."""

    names: tuple[str, ...]
    p0: np.ndarray  # full parameter vector of the base person
    index: dict[str, int]
    consts: dict[str, float]  # values used only in derivations (HEb, m6, ...), not in p0
    x0_fns: tuple
    times: tuple[float, ...]
    dose_g: float


def _base_set(fpg: float) -> str:
    return "dallaman2007_t2d" if fpg >= T2D_FPG_MGDL else "dallaman2007_normal"


@cache
def _initial_functions():
    import sympy as sp

    from ..model import sym

    m = meal_model()
    args = [sym(n) for n in m.parameter_names]
    return tuple(sp.lambdify(args, sp.sympify(m.initial[s]), "jax") for s in m.state_names)


def _basal(p, gb, ib):
    """Closed-form basal state from (Gb, Ib): returns a dict of derived values (jnp)."""
    import jax.numpy as jnp

    m1, m2, m4, m5, heb = p["m1"], p["m2"], p["m4"], p["m5"], p["HEb"]
    m3b = heb * m1 / (1.0 - heb)
    ipb = ib * p["VI"]
    sb = ipb * (m3b * (m2 + m4) / m1 + m4)
    ilb = (m2 + m4) / m1 * ipb
    ipob = sb / p["gamma"]
    gpb = gb * p["VG"]
    k1, k2, vm0, km0 = p["k1"], p["k2"], p["Vm0"], p["Km0"]
    b = k1 * gpb - k2 * km0 - vm0
    gtb = (b + jnp.sqrt(b * b + 4.0 * k2 * k1 * gpb * km0)) / (2.0 * k2)
    e = p["ke1"] * jnp.maximum(0.0, gpb - p["ke2"])
    egpb = p["Fcns"] + e + vm0 * gtb / (km0 + gtb)
    kp1 = egpb + p["kp2"] * gpb + p["kp3"] * ib + p["kp4"] * ipob
    return {
        "Sb": sb,
        "Ipb": ipb,
        "Ilb": ilb,
        "Ib": ib,
        "Ipob": ipob,
        "Gpb": gpb,
        "Gtb": gtb,
        "Gb": gb,
        "EGPb": egpb,
        "m6": heb + m5 * sb,
        "kp1": kp1,
    }


def _parameters(setup: _Setup, theta, with_m6: bool = False, p0=None, consts=None):
    """Full parameter vector (jnp) for log-parameters ``theta`` (and m6 when asked).

    ``p0``/``consts`` default to the setup's; the compiled residual passes them as arguments so
    that one compilation serves every person."""
    import jax.numpy as jnp

    idx = setup.index
    p0 = jnp.asarray(setup.p0 if p0 is None else p0)
    consts = setup.consts if consts is None else consts
    P = p0
    x = dict(zip(setup.names, jnp.exp(theta), strict=True))
    kp4 = p0[idx["kp4"]] * x["kp3"] / p0[idx["kp3"]]
    for n, v in (("Vmx", x["Vmx"]), ("kp3", x["kp3"]), ("kp4", kp4)):
        P = P.at[idx[n]].set(v)
    for n in ("beta", "K", "kabs"):
        P = P.at[idx[n]].set(x[n])
    named = dict(consts) | {n: P[i] for n, i in idx.items()}
    basal = _basal(named, x["Gb"], x["Ib"])
    for n, v in basal.items():
        if n in idx:
            P = P.at[idx[n]].set(v)
    return (P, basal["m6"]) if with_m6 else P


_OVERRIDE_NAMES = ("Vmx", "kp3", "kp4", "beta", "K", "kabs", "kp1")


@cache
def _override_jit(names: tuple[str, ...], index_key: tuple):
    """Jitted (theta, p0, consts) -> override values (:data:`_OVERRIDE_NAMES` order, then m6);
    compiled once per process, whatever the person."""
    import jax
    import jax.numpy as jnp

    index = dict(index_key)
    shell = _Setup(names, np.zeros(len(index)), index, {}, (), (), 0.0)
    idx = jnp.asarray([index[n] for n in _OVERRIDE_NAMES])

    def fn(theta, p0, consts):
        cd = {k: consts[j] for j, k in enumerate(_CONST_KEYS) if k not in index}
        P, m6 = _parameters(shell, theta, with_m6=True, p0=p0, consts=cd)
        return jnp.concatenate([P[idx], jnp.atleast_1d(m6)])

    return jax.jit(fn)


def _override_fn(setup: _Setup):
    """theta -> override vector for ``setup`` (the shared jitted function, bound to it)."""
    fn = _override_jit(setup.names, tuple(sorted(setup.index.items())))
    consts = np.array([setup.consts.get(k, np.nan) for k in _CONST_KEYS])
    return lambda theta: fn(theta, setup.p0, consts)


def overrides(setup: _Setup, theta: np.ndarray, fn=None) -> dict[str, float]:
    """Simulator parameter overrides for log-parameters ``theta`` (numpy)."""
    v = np.asarray((fn or _override_fn(setup))(np.asarray(theta, dtype=float)), dtype=float)
    return {n: float(x) for n, x in zip(_OVERRIDE_NAMES, v[:-1], strict=True)} | {
        "m6": float(v[-1])
    }


@cache
def _solver(times: tuple[float, ...]):
    import diffrax
    import jax

    from ..backends.base import SolverOptions
    from ..backends.jax_backend import make_differentiable_solve

    m = meal_model()
    save = [m.state_names.index("Gp"), m.state_names.index("Ip")]
    solve = make_differentiable_solve(
        m,
        np.asarray(times, dtype=float),
        save,
        SolverOptions(rtol=1e-8, atol=1e-8, h_max=5.0),
        adjoint=diffrax.ForwardMode(),
    )
    return jax, solve


_CONST_KEYS = ("HEb", "m1", "m2", "m4", "m5", "VI", "gamma", "VG", "k1", "k2", "Vm0", "Km0")


@cache
def _compiled(times: tuple[float, ...], dose_g: float, names: tuple[str, ...], index_key: tuple):
    """Jitted residual and Jacobian for one sampling design; the person and the data are
    arguments, so this compiles once per design and process (and JAX's persistent cache keeps
    the executable across processes)."""
    import jax.numpy as jnp

    m = meal_model()
    jax, solve = _solver(times)
    sched = Schedule(meals=[Meal(0.0, dose_g, duration_min=OGTT_DRINK_MIN, label="OGTT")])
    seg_t, seg_u = (jnp.asarray(a) for a in sched.segments(m.input_names, T_END_MIN))
    index = dict(index_key)
    shell = _Setup(names, np.zeros(len(index)), index, {}, _initial_functions(), times, dose_g)

    def predict(theta, p0, consts):
        cd = {k: consts[j] for j, k in enumerate(_CONST_KEYS) if k not in index}
        P = _parameters(shell, theta, p0=p0, consts=cd)
        x0 = jnp.stack([jnp.asarray(f(*P), dtype=jnp.float64) for f in shell.x0_fns])
        y = solve(x0, P, seg_t, seg_u)
        return y[:, 0] / P[index["VG"]], y[:, 1] / P[index["VI"]]

    def residuals(theta, p0, consts, lg, li, mask, w_ins, mu, sd):
        g, i = predict(theta, p0, consts)
        rg = (lg - jnp.log(g)) / SIGMA_LN["glucose"]
        ri = w_ins * jnp.where(mask, (li - jnp.log(i)) / SIGMA_LN["insulin"], 0.0)
        r = jnp.concatenate([rg, ri, (theta - mu) / sd])
        return r, (r, g, i)

    # one executable gives the Jacobian, the residuals and the predictions: a cold process
    # compiles the diffrax solve once, not three times
    return jax.jit(jax.jacfwd(residuals, has_aux=True))


@dataclass(frozen=True)
class OGTTFit:
    """Result of :func:`fit_ogtt`: the posterior and the fit's diagnostics."""

    posterior: Posterior
    glucose_fit_mgdl: np.ndarray
    insulin_fit_pmoll: np.ndarray | None
    rmse_glucose_mgdl: float
    rmse_insulin_pmoll: float | None
    seconds: float
    verdicts: dict[str, str]


def _setup(person: Person, base: str, times: Sequence[float] = (), dose_g: float = 75.0) -> _Setup:
    m = meal_model()
    p = replace(person, parameter_set=base, parameters={})
    vals = m.derive_parameters(p.parameter_values(m.parameter_names))
    p0 = m.parameter_matrix(vals)[0]
    index = {n: i for i, n in enumerate(m.parameter_names)}
    return _Setup(
        names=FIT_PARAMETERS,
        p0=p0,
        index=index,
        consts={k: float(v[0]) for k, v in vals.items() if k not in index},
        x0_fns=_initial_functions(),
        times=tuple(float(t) for t in times),
        dose_g=float(dose_g),
    )


def override_map(person: Person, prior_set: str) -> Callable[[np.ndarray], dict[str, float]]:
    """The map from a log-parameter vector (:data:`FIT_PARAMETERS` order) to ``person``'s
    simulator overrides, for a twin fitted on the Dalla Man set ``prior_set``; rebuilds a
    saved :class:`Posterior`'s ``to_overrides``."""
    setup = _setup(person, prior_set)
    fn = _override_fn(setup)
    return lambda theta: overrides(setup, theta, fn)


def fit_ogtt(person: Person, ogtt: OGTT, *, fasting_insulin_uuml: float | None = None) -> OGTTFit:
    """Fit the person's meal-level parameters to an OGTT (module docstring).

    ``fasting_insulin_uuml``: a separately measured fasting insulin, used as the prior centre of
    ``Ib`` when the OGTT has no insulin samples. Raises :class:`CalibrationError` when the fit
    fails or leaves the parameters' bounds.
    """

    t0 = time.perf_counter()
    if fasting_insulin_uuml is not None and not (
        isinstance(fasting_insulin_uuml, int | float) and 0.5 <= fasting_insulin_uuml <= 300.0
    ):
        raise InputError("fasting_insulin_uuml", fasting_insulin_uuml, "[0.5, 300] uU/mL")
    g_obs = np.asarray(ogtt.glucose_mgdl, dtype=float)
    i_obs = None if ogtt.insulin_uuml is None else 6.0 * np.asarray(ogtt.insulin_uuml, float)
    if i_obs is not None and not np.isfinite(i_obs[0]):
        raise InputError("OGTT insulin at 0 min", None, "a fasting insulin sample")
    base = _base_set(float(g_obs[0]))
    setup = _setup(person, base, ogtt.times_min, ogtt.dose_g)
    pset = get_parameter_set(base)
    ib0 = (
        float(i_obs[0])
        if i_obs is not None
        else 6.0 * fasting_insulin_uuml
        if fasting_insulin_uuml is not None
        else float(setup.p0[setup.index["Ib"]])
    )
    mu = np.log(
        [float(g_obs[0]), ib0]
        + [float(setup.p0[setup.index[n]]) for n in ("Vmx", "kp3", "beta", "K", "kabs")]
    )
    sd = np.array([PRIOR_SD[n] for n in FIT_PARAMETERS])
    jac_aux = _compiled(
        setup.times, setup.dose_g, FIT_PARAMETERS, tuple(sorted(setup.index.items()))
    )
    consts = np.array([setup.consts.get(k, np.nan) for k in _CONST_KEYS])
    has_i = i_obs is not None
    mask = np.isfinite(i_obs) if has_i else np.zeros(len(g_obs), bool)
    li = np.log(np.where(mask, i_obs, 1.0)) if has_i else np.zeros(len(g_obs))
    data = (setup.p0, consts, np.log(g_obs), li, mask, 1.0 if has_i else 0.0, mu, sd)
    from scipy.optimize import least_squares

    cache = ResidualCache(jac_aux, data)

    from ..backends.jax_backend import _error_checks_as_nan

    # traced without host callbacks, so JAX's persistent cache can keep the executables
    with _error_checks_as_nan():
        lo, hi = _log_bounds(setup, pset)
        x0 = np.clip(mu, lo + 1e-9, hi - 1e-9)
        res = least_squares(cache.fun, x0, jac=cache.jac, method="trf", x_scale=sd, bounds=(lo, hi))
        if not res.success or not np.all(np.isfinite(res.x)):
            raise CalibrationError(f"OGTT fit did not converge: {res.message}")
        J = cache.jac(res.x)
        _, g_fit, i_fit = cache.aux(res.x)
    cov = np.linalg.inv(J.T @ J)
    cov = 0.5 * (cov + cov.T)
    ov = overrides(setup, res.x, _override_fn(setup))
    check_bounds(ov, pset)
    ageing, ageing_note = _ageing(person, ogtt)
    fitted = replace(
        person, parameter_set=base, parameters={**ageing, **kept_overrides(person), **ov}
    )
    _check_basal(fitted, float(np.exp(res.x[0])), float(np.exp(res.x[1])))
    post_sd = np.sqrt(np.diag(cov))
    verdicts = dict(zip(FIT_PARAMETERS, identifiability(sd, post_sd), strict=True))
    at_bound = [
        n
        for n, x, a, b in zip(FIT_PARAMETERS, res.x, lo, hi, strict=True)
        if min(x - a, b - x) < 1e-6
    ]
    rmse_g = float(np.sqrt(np.mean((g_fit - g_obs) ** 2)))
    rmse_i = None if not has_i else float(np.sqrt(np.mean((i_fit[mask] - i_obs[mask]) ** 2)))
    report = {
        "calibration": "ogtt",
        "not fitted": NOT_FITTED,
        "data": "OGTT glucose" + (" and insulin" if i_obs is not None else " only"),
        "samples": len(g_obs),
        "prior set": base,
        "RMSE glucose [mg/dL]": rmse_g,
        "RMSE insulin [pmol/L]": rmse_i,
        "identifiability": verdicts,
        "at a bound": at_bound,
        "noise SD (log)": dict(SIGMA_LN),
        "ageing of insulin release": ageing_note,
    }
    post = Posterior(
        person=fitted,
        names=FIT_PARAMETERS,
        mean=np.asarray(res.x, dtype=float),
        cov=cov,
        prior_sd=sd,
        to_overrides=override_map(fitted, base),
        prior_mean=mu,
        report=report,
    )
    return OGTTFit(
        post,
        g_fit,
        i_fit if has_i else None,
        rmse_g,
        rmse_i,
        time.perf_counter() - t0,
        verdicts,
    )


def _ageing(person: Person, ogtt: OGTT) -> tuple[dict[str, float], str]:
    """Szoke 2008's impaired-glucose-tolerance rates of age-related decline of insulin release
    when the 75 g OGTT's 2-h glucose is >= 140 mg/dL (and the person sets no rate of their own);
    otherwise the parameter set's normal-glucose-tolerance rates."""
    times = np.asarray(ogtt.times_min, dtype=float)
    g = np.asarray(ogtt.glucose_mgdl, dtype=float)
    own = {"beta_age_first", "beta_age_second"} & set(person.parameters)
    if own:
        return {}, "the person's own rates"
    if ogtt.dose_g != 75.0 or not np.any(np.isclose(times, 120.0)):
        return {}, "normal-glucose-tolerance rates (no 2-h glucose of a 75 g OGTT)"
    g2h = float(g[np.isclose(times, 120.0)][0])
    if g2h >= IGT_2H_MGDL:
        return dict(IMPAIRED_BETA_AGEING), (
            f"impaired-glucose-tolerance rates (2-h glucose {g2h:.0f} mg/dL >= "
            f"{IGT_2H_MGDL:.0f}; Szoke 2008)"
        )
    return {}, f"normal-glucose-tolerance rates (2-h glucose {g2h:.0f} mg/dL)"


def _log_bounds(setup: _Setup, pset) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of the log-parameters from the parameter set's plausibility bounds (``Gb``/``Ib``
    unbounded: the basal state is checked through ``m6`` and ``kp1`` after the fit); ``kp3``
    also keeps ``kp4`` (scaled with it) inside its bounds. A MAP at a bound is reported
    (``report["at a bound"]``): its Laplace interval is then not trustworthy."""
    lo = np.full(len(FIT_PARAMETERS), -np.inf)
    hi = np.full(len(FIT_PARAMETERS), np.inf)
    for j, n in enumerate(FIT_PARAMETERS):
        if n in ("Gb", "Ib"):
            continue
        lo[j], hi[j] = math.log(pset[n].lower), math.log(pset[n].upper)
        if n == "kp3":
            r = float(setup.p0[setup.index["kp3"]] / setup.p0[setup.index["kp4"]])
            lo[j] = max(lo[j], math.log(pset["kp4"].lower * r))
            hi[j] = min(hi[j], math.log(pset["kp4"].upper * r))
    return lo, hi


def check_bounds(ov: dict[str, float], pset, who: str = "the OGTT fit") -> None:
    """Refuse fitted overrides outside the parameter set's plausibility bounds (``who`` names
    the fit in the message; the CGM fit uses it too)."""
    for n, v in ov.items():
        p = pset[n]
        if not (p.lower <= v <= p.upper):
            raise CalibrationError(
                f"{who} puts {n} = {v:.4g} outside its bounds [{p.lower:g}, {p.upper:g}] "
                f"({p.bounds_source}); the data may be implausible for the Dalla Man model"
            )


def _check_basal(person: Person, gb: float, ib: float) -> None:
    from ..components.steady_state import fasting_state

    m = meal_model()
    vals = m.derive_parameters(person.parameter_values(m.parameter_names))
    fs = fasting_state(vals)
    if abs(float(fs["Gb"][0]) - gb) > 0.01 or abs(float(fs["Ib"][0]) - ib) > 0.01:
        raise CalibrationError(
            f"internal check: the fitted overrides give Gb = {float(fs['Gb'][0]):.3f} mg/dL, "
            f"Ib = {float(fs['Ib'][0]):.3f} pmol/L, not the fitted {gb:.3f} / {ib:.3f}"
        )


def simulate_ogtt(person: Person, times: Sequence[float], dose_g: float = 75.0):
    """Glucose [mg/dL] and insulin [pmol/L] of ``person`` at ``times`` of an OGTT
    (:func:`endotwin.challenges.ogtt`, Numba path: independent of the JAX fit; used for
    synthetic data and cross-checks)."""
    from ..challenges import ogtt

    sol = ogtt(person, glucose_g=dose_g).solution
    t = sol.time_min
    g = np.interp(times, t, sol["Plasma glucose [mg/dL]"].values[0])
    i = np.interp(times, t, sol["Plasma insulin [pmol/L]"].values[0])
    return g, i
