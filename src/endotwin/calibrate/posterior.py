"""The calibrated twin: a person plus a Gaussian posterior over log-parameters.

A calibration (:mod:`endotwin.calibrate.ogtt_fit`) fits the natural logarithms of a few of the
person's meal-level parameters. Its result is summarised by a Laplace approximation: the
posterior is taken as multivariate normal in log-parameter space with mean ``mean`` (the MAP
estimate) and covariance ``cov``. Some fitted quantities are not simulator parameters themselves
(the basal glucose ``Gb`` and insulin ``Ib``); :attr:`Posterior.to_overrides` turns a point in
that space into the simulator's parameter overrides (``m6``, ``kp1``, ...), so every sampled twin
is an ordinary :class:`~endotwin.person.Person`.

The file format (``endotwin calibrate --out twin.json``, ``docs/calibrate.md``) is JSON with the
keys of :meth:`Posterior.to_dict`: ``format`` (:data:`TWIN_FORMAT`), ``format_version``
(:data:`TWIN_FORMAT_VERSION`), ``endotwin_version``, ``person``, ``names``, ``mean_log``,
``cov_log``, ``prior_sd_log``, ``prior_mean_log`` (optional) and ``report``. The override map is
code, not data: :func:`load_posterior` rebuilds it from ``report["calibration"]`` (the kind of
fit, a key of :data:`OVERRIDE_MAPS`) and the fit's own entries (e.g. ``report["prior set"]``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ..errors import CalibrationError, InputError
from ..person import Person

#: what no meal-level calibration (OGTT or CGM) can inform, stated in every fit's report
NOT_FITTED = (
    "leptin secretion and hypothalamic leptin sensitivity, inflammatory tone (CRP, JNK/IKK), "
    "ectopic lipid (DAG), mitochondrial capacity, GLUT4 and beta-cell mass adaptation: glucose "
    "and insulin over hours carry no information about them, so the twin keeps the population "
    "defaults of its parameter sets; a measured leptin in the record sets the person's leptin "
    "level (leptin_measured), not their leptin sensitivity"
)


def kept_overrides(person: Person) -> dict[str, float]:
    """The person's own overrides of the slow layers (e.g. ``leptin_measured`` from a record),
    which a meal-level fit neither uses nor changes and its twin keeps."""
    from ..models import meal_model

    meal = set(meal_model().parameter_names)
    return {k: v for k, v in person.parameters.items() if k not in meal}


#: maps a vector of log-parameters (in ``Posterior.names`` order) to parameter overrides
OverrideMap = Callable[[np.ndarray], dict[str, float]]

#: ``format`` of a twin file written by :meth:`Posterior.save`
TWIN_FORMAT = "endotwin twin posterior"
#: version of that format; :func:`load_posterior` refuses newer files it cannot read
TWIN_FORMAT_VERSION = 1
#: identifiability thresholds on posterior SD / prior SD of a log-parameter (MODEL CHOICE):
#: below :data:`IDENTIFIED_RATIO` "identified", below :data:`WEAK_RATIO` "weakly identified",
#: otherwise "not identified"
IDENTIFIED_RATIO = 0.5
WEAK_RATIO = 0.9
#: relative tolerance of the checks of a loaded covariance (symmetry, no negative eigenvalue)
#: and of the loaded person against the posterior mean
_COV_RTOL = 1e-8
#: :meth:`Posterior.draw` gives up after this many rejected draws per person asked for
MAX_REJECTED_PER_DRAW = 10
_MAP_RTOL = 1e-6


class PosteriorDraws(NamedTuple):
    """Result of :meth:`Posterior.draw`: the kept log-parameter draws (rows), the people built
    from them (same order) and how many draws were rejected for leaving the bounds."""

    log: np.ndarray
    people: list[Person]
    rejected: int


@dataclass(frozen=True, eq=False)
class Posterior:
    """A person and the Gaussian (Laplace) posterior of their fitted log-parameters.

    person: the person with the MAP overrides applied (``Person.parameters``).
    names: fitted quantities, e.g. ``("Gb", "Ib", "Vmx", "kp3", "beta", "K", "kabs")``.
    mean, cov: posterior mean and covariance of their natural logarithms.
    prior_sd: prior standard deviation of each log-parameter (for the identifiability ratio).
    to_overrides: maps a log-parameter vector to the person's parameter overrides.
    report: free-form fit summary (residuals, data used, identifiability) for reports; its
        ``"calibration"`` entry names the kind of fit (a key of :data:`OVERRIDE_MAPS`) so that a
        saved twin can be loaded (:func:`load_posterior`).
    prior_mean: prior mean of each log-parameter, when the fit records it (reports show it).
    """

    person: Person
    names: tuple[str, ...]
    mean: np.ndarray
    cov: np.ndarray
    prior_sd: np.ndarray
    to_overrides: OverrideMap
    report: Mapping[str, Any] = field(default_factory=dict)
    prior_mean: np.ndarray | None = None

    @property
    def sd(self) -> np.ndarray:
        """Posterior standard deviation of each log-parameter."""
        return np.sqrt(np.diag(self.cov))

    def interval(self, level: float = 0.9) -> dict[str, tuple[float, float]]:
        """Equal-tailed posterior interval of each parameter (on its natural scale)."""
        from scipy.stats import norm

        if not 0.0 < level < 1.0:
            raise InputError("level", level, "a probability in (0, 1)")
        z = float(norm.ppf(0.5 + level / 2.0))
        return {
            n: (float(np.exp(m - z * s)), float(np.exp(m + z * s)))
            for n, m, s in zip(self.names, self.mean, self.sd, strict=True)
        }

    def sample_log(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` draws of the log-parameters, shape (n, len(names))."""
        rng = np.random.default_rng(seed)
        return rng.multivariate_normal(self.mean, self.cov, size=n, method="eigh")

    def draw(self, n: int, seed: int = 0) -> PosteriorDraws:
        """``n`` people from the posterior truncated to the simulator's parameter bounds.

        Log-parameters are drawn as :meth:`sample_log` does (the same generator, so when every
        draw is inside the bounds the draws are ``sample_log(n, seed)``); a draw whose overrides
        leave a parameter's bounds (the model's support) is rejected and replaced by the next
        one from the same generator. Deterministic for a given ``seed``. Raises
        :class:`CalibrationError` when more than :data:`MAX_REJECTED_PER_DRAW` draws per person
        asked for are rejected (a posterior mostly outside the bounds).
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise InputError("n (posterior draws)", n, "a whole number >= 0")
        rng = np.random.default_rng(seed)
        base = dict(self.person.parameters)
        logs: list[np.ndarray] = []
        people: list[Person] = []
        rejected = 0
        batch = int(n)
        while len(people) < n:
            for x in rng.multivariate_normal(self.mean, self.cov, size=batch, method="eigh"):
                try:
                    person = replace(
                        self.person,
                        parameters={**base, **self.to_overrides(x)},
                        label=f"{self.person.label} draw {len(people)}",
                    )
                except InputError:
                    rejected += 1
                    continue
                logs.append(x)
                people.append(person)
            if rejected > MAX_REJECTED_PER_DRAW * n:
                raise CalibrationError(
                    f"{rejected} of {rejected + len(people)} posterior draws of "
                    f"{self.person.label} leave the simulator's parameter bounds: the posterior "
                    "lies mostly outside the model's support; check the data and recalibrate"
                )
            batch = n - len(people)
        log = np.asarray(logs, dtype=float).reshape(len(logs), len(self.names))
        return PosteriorDraws(log, people, rejected)

    def sample_people(self, n: int, seed: int = 0) -> list[Person]:
        """``n`` people drawn from the posterior (the person with sampled overrides), truncated
        to the simulator's parameter bounds (:meth:`draw`)."""
        return self.draw(n, seed).people

    @property
    def sd_ratio(self) -> np.ndarray:
        """Posterior SD / prior SD of each log-parameter (1: the data added nothing)."""
        return self.sd / self.prior_sd

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the override map is not serialised; :func:`load_posterior`
        rebuilds it from ``report["calibration"]``)."""
        from .. import __version__

        p = self.person
        out: dict[str, Any] = {
            "format": TWIN_FORMAT,
            "format_version": TWIN_FORMAT_VERSION,
            "endotwin_version": __version__,
            "person": {
                "label": p.label,
                "sex": p.sex,
                "age": p.age,
                "height_cm": p.height_cm,
                "weight_kg": p.weight_kg,
                "body_fat_pct": p.body_fat_pct,
                "parameter_set": p.parameter_set
                if isinstance(p.parameter_set, str)
                else p.parameter_set.name,
                "parameters": dict(p.parameters),
            },
            "names": list(self.names),
            "mean_log": self.mean.tolist(),
            "cov_log": self.cov.tolist(),
            "prior_sd_log": self.prior_sd.tolist(),
            "report": dict(self.report),
        }
        if self.prior_mean is not None:
            out["prior_mean_log"] = np.asarray(self.prior_mean, dtype=float).tolist()
        return out

    def save(self, path: str | Path) -> Path:
        """Write the twin as JSON (module docstring); read it back with :meth:`load`."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2, default=_json_default))
        return path

    @classmethod
    def load(cls, path: str | Path) -> Posterior:
        """Read a twin written by :meth:`save` (see :func:`load_posterior`)."""
        return load_posterior(path)


def identifiability(prior_sd: Sequence[float], post_sd: Sequence[float]) -> list[str]:
    """Verdict per parameter from how much the data shrank its prior.

    ratio = posterior SD / prior SD of the log-parameter: < :data:`IDENTIFIED_RATIO` (0.5)
    "identified" (the data carry at least 75 % of the information), up to :data:`WEAK_RATIO`
    (0.9) "weakly identified", >= 0.9 "not identified" (the estimate is essentially the prior).
    Thresholds are a MODEL CHOICE stated in the report.
    """
    out = []
    for a, b in zip(prior_sd, post_sd, strict=True):
        r = b / a
        out.append(
            "identified"
            if r < IDENTIFIED_RATIO
            else "weakly identified"
            if r < WEAK_RATIO
            else "not identified"
        )
    return out


def _json_default(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return float(x)


# --------------------------------------------------------------------------------------------
# loading a saved twin
# --------------------------------------------------------------------------------------------


def _ogtt_override_map(person: Person, names: tuple[str, ...], report: Mapping[str, Any]):
    # float64 JAX, as in the fit: without it the map computes in float32 and the draws of a
    # loaded twin would differ (in the 8th digit) from those of the fitted one
    from ..backends import jax_backend  # noqa: F401
    from .ogtt_fit import FIT_PARAMETERS, override_map

    if names != FIT_PARAMETERS:
        raise InputError(
            "names",
            list(names),
            f"the OGTT calibration's parameters {list(FIT_PARAMETERS)}, in that order",
        )
    prior_set = report.get("prior set")
    if prior_set not in OGTT_PRIOR_SETS:
        raise InputError(
            "report['prior set']",
            prior_set,
            f"the Dalla Man parameter set the fit started from: one of {list(OGTT_PRIOR_SETS)}",
        )
    return override_map(person, prior_set)


def _cgm_override_map(person: Person, names: tuple[str, ...], report: Mapping[str, Any]):
    """A CGM fit (:mod:`endotwin.calibrate.cgm_fit`): the OGTT fit's physiological
    log-parameters first, then the meals' carbohydrates, which are not person parameters."""
    from .ogtt_fit import FIT_PARAMETERS

    k = len(FIT_PARAMETERS)
    if names[:k] != FIT_PARAMETERS:
        raise InputError(
            "names",
            list(names),
            f"the CGM calibration's parameters: {list(FIT_PARAMETERS)} first, then the meals'",
        )
    physiological = _ogtt_override_map(person, FIT_PARAMETERS, report)
    return lambda theta: physiological(np.asarray(theta, dtype=float)[:k])


#: parameter sets an OGTT fit starts from (normal, or type 2 by fasting glucose)
OGTT_PRIOR_SETS = ("dallaman2007_normal", "dallaman2007_t2d")

#: kind of calibration (``report["calibration"]``) -> builder of the override map from the
#: loaded person, the fitted names and the report (an :class:`InputError` it raises is prefixed
#: with the file's name). A new kind of fit registers itself here (lazy imports: the fit modules
#: import this one).
OVERRIDE_MAPS: dict[str, Callable[[Person, tuple[str, ...], Mapping[str, Any]], OverrideMap]] = {
    "ogtt": _ogtt_override_map,
    "cgm": _cgm_override_map,
}

_PERSON_KEYS = (
    "label",
    "sex",
    "age",
    "height_cm",
    "weight_kg",
    "body_fat_pct",
    "parameter_set",
    "parameters",
)


def _vector(data: Mapping[str, Any], key: str, n: int, src: str) -> np.ndarray:
    raw = data[key]
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{src}: {key}", raw, f"a list of {n} numbers") from None
    if arr.shape != (n,):
        raise InputError(
            f"{src}: {key}", f"shape {arr.shape}", f"a list of {n} numbers (one per name)"
        )
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{src}: {key}", arr.tolist(), "finite numbers (no NaN or Infinity)")
    return arr


def _covariance(data: Mapping[str, Any], n: int, src: str) -> np.ndarray:
    raw = data["cov_log"]
    try:
        cov = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{src}: cov_log", raw, f"a {n} x {n} matrix of numbers") from None
    if cov.shape != (n, n):
        raise InputError(f"{src}: cov_log", f"shape {cov.shape}", f"a {n} x {n} matrix")
    if not np.all(np.isfinite(cov)):
        raise InputError(f"{src}: cov_log", "non-finite entries", "finite numbers")
    scale = float(np.max(np.abs(np.diag(cov)))) if n else 0.0
    asym = float(np.max(np.abs(cov - cov.T))) if n else 0.0
    if asym > _COV_RTOL * max(scale, 1e-300):
        raise InputError(
            f"{src}: cov_log",
            f"largest asymmetry {asym:.3g}",
            "a symmetric covariance matrix",
            "The file may have been edited or damaged; recalibrate.",
        )
    eig = np.linalg.eigvalsh(0.5 * (cov + cov.T)) if n else np.zeros(0)
    if np.any(np.diag(cov) < 0) or (n and eig.min() < -_COV_RTOL * max(scale, 1e-300)):
        raise InputError(
            f"{src}: cov_log",
            f"smallest eigenvalue {eig.min():.3g}",
            "a positive semi-definite covariance matrix",
            "The file may have been edited or damaged; recalibrate.",
        )
    return cov


def _person(raw: Any, src: str) -> Person:
    if not isinstance(raw, Mapping):
        raise InputError(f"{src}: person", raw, f"a mapping with keys {list(_PERSON_KEYS)}")
    unknown = sorted(set(raw) - set(_PERSON_KEYS))
    if unknown:
        raise InputError(f"{src}: person", unknown, f"only the keys {list(_PERSON_KEYS)}")
    for key in ("weight_kg", "parameter_set", "parameters"):
        if key not in raw:
            raise InputError(
                f"{src}: person.{key}", None, "present", "The twin file is incomplete."
            )
    params = raw["parameters"]
    if not isinstance(params, Mapping) or not all(
        isinstance(k, str)
        and isinstance(v, int | float)
        and not isinstance(v, bool)
        and math.isfinite(v)
        for k, v in params.items()
    ):
        raise InputError(
            f"{src}: person.parameters", params, "a mapping of parameter name to finite number"
        )
    if not isinstance(raw["parameter_set"], str):
        raise InputError(
            f"{src}: person.parameter_set", raw["parameter_set"], "a built-in parameter set name"
        )
    kwargs = {k: raw[k] for k in _PERSON_KEYS if k in raw and raw[k] is not None}
    kwargs["parameters"] = {k: float(v) for k, v in params.items()}
    try:
        return Person(**kwargs)
    except InputError as e:
        raise InputError(f"{src}: person.{e.field}", e.value, e.accepted, e.hint) from None
    except TypeError as e:  # a wrongly typed covariate
        raise InputError(f"{src}: person", dict(raw), "valid person fields", str(e)) from None


def posterior_from_dict(data: Any, source: str = "twin file") -> Posterior:
    """Rebuild a :class:`Posterior` from :meth:`Posterior.to_dict` output (validated).

    Raises :class:`InputError` naming the problem: not a twin file, a newer format version,
    missing keys, wrong shapes, non-finite numbers, a covariance that is not symmetric positive
    semi-definite, an unknown kind of calibration, or a person whose parameters are not the
    posterior mean's.
    """
    src = source
    if not isinstance(data, Mapping):
        raise InputError(src, type(data).__name__, "a JSON object written by endotwin calibrate")
    fmt = data.get("format", TWIN_FORMAT)  # files written before the key existed have none
    if fmt != TWIN_FORMAT:
        raise InputError(f"{src}: format", fmt, repr(TWIN_FORMAT))
    version = data.get("format_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InputError(f"{src}: format_version", version, "a positive integer")
    if version > TWIN_FORMAT_VERSION:
        from .. import __version__

        raise InputError(
            f"{src}: format_version",
            version,
            f"at most {TWIN_FORMAT_VERSION}",
            f"The file was written by endotwin {data.get('endotwin_version', '?')}; this is "
            f"{__version__}. Upgrade endotwin to read it.",
        )
    required = ("person", "names", "mean_log", "cov_log", "prior_sd_log", "report")
    missing = [k for k in required if k not in data]
    if missing:
        raise InputError(
            f"{src}: keys",
            missing,
            f"all of {list(required)}",
            "Not a complete twin file; write one with `endotwin calibrate --out twin.json`.",
        )
    names = data["names"]
    if (
        not isinstance(names, list)
        or not names
        or not all(isinstance(n, str) and n for n in names)
        or len(set(names)) != len(names)
    ):
        raise InputError(f"{src}: names", names, "a non-empty list of distinct parameter names")
    names_t = tuple(names)
    n = len(names_t)
    mean = _vector(data, "mean_log", n, src)
    prior_sd = _vector(data, "prior_sd_log", n, src)
    if np.any(prior_sd <= 0):
        raise InputError(f"{src}: prior_sd_log", prior_sd.tolist(), "positive numbers")
    prior_mean = _vector(data, "prior_mean_log", n, src) if "prior_mean_log" in data else None
    cov = _covariance(data, n, src)
    report = data["report"]
    if not isinstance(report, Mapping):
        raise InputError(f"{src}: report", report, "a JSON object (the fit summary)")
    kind = report.get("calibration")
    if kind not in OVERRIDE_MAPS:
        raise InputError(
            f"{src}: report['calibration']",
            kind,
            f"one of {sorted(OVERRIDE_MAPS)}",
            "The kind of fit decides how parameters map to the simulator.",
        )
    person = _person(data["person"], src)
    try:
        to_overrides = OVERRIDE_MAPS[kind](person, names_t, report)
    except InputError as e:
        raise InputError(f"{src}: {e.field}", e.value, e.accepted, e.hint) from None
    at_map = to_overrides(mean)
    off = {
        k: (person.parameters.get(k), v)
        for k, v in at_map.items()
        if k not in person.parameters
        or not math.isclose(person.parameters[k], v, rel_tol=_MAP_RTOL)
    }
    if off:
        raise InputError(
            f"{src}: person.parameters",
            {k: a for k, (a, _) in off.items()},
            f"the values at the posterior mean { ({k: b for k, (_, b) in off.items()}) }",
            "The person and the posterior disagree: the file may have been edited; recalibrate.",
        )
    return Posterior(
        person=person,
        names=names_t,
        mean=mean,
        cov=cov,
        prior_sd=prior_sd,
        to_overrides=to_overrides,
        report=dict(report),
        prior_mean=prior_mean,
    )


def load_posterior(path: str | Path) -> Posterior:
    """Read a twin file written by :meth:`Posterior.save` (``endotwin calibrate --out``).

    The person, the Gaussian posterior and the override map are rebuilt, so
    ``load_posterior(p).sample_people(n, seed)`` gives the same people as the saved posterior.
    Raises :class:`InputError` for a missing, unreadable or invalid file
    (:func:`posterior_from_dict`).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("twin file", str(p), "an existing JSON file written by endotwin calibrate")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(
            str(p), p.name, "valid JSON written by endotwin calibrate", str(e)
        ) from None
    return posterior_from_dict(data, source=str(p))
